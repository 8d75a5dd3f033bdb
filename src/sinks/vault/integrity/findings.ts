/**
 * What `auditlake verify` can say about one file. Kinds in PROBLEM_KINDS make verify exit non-zero; the others are
 * informational (a valid object, an authorised expiry, an object recorded but not yet in a digest).
 */
export type FindingKind =
  // vault objects
  | 'valid'
  | 'pending'
  | 'authorised-expiry'
  | 'modified'
  | 'missing'
  | 'moved'
  | 'inserted'
  // digest files
  | 'digest-valid'
  | 'digest-missing'
  | 'digest-modified'
  | 'digest-signature-invalid'
  | 'digest-invalid-format'
  | 'digest-moved'
  | 'digest-inserted'
  | 'chain-broken'
  // --expect-head: the head the user kept is not in the chain (cut off or rolled back)
  | 'head-not-found';

export const PROBLEM_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'modified',
  'missing',
  'moved',
  'inserted',
  'digest-missing',
  'digest-modified',
  'digest-signature-invalid',
  'digest-invalid-format',
  'digest-moved',
  'digest-inserted',
  'chain-broken',
  'head-not-found',
]);

export interface Finding {
  kind: FindingKind;
  /** `digest` for digest files and the chain, `checkpoint` for checkpoints, `object` for vault objects. */
  subject: 'digest' | 'checkpoint' | 'object';
  /** The store key the finding is about. */
  key: string;
  /** Human-readable detail (never secret material). */
  detail: string;
  /** The digest that listed the object (objects), or the digest that points at this one (digests). */
  digest?: string;
}

export function isProblem(f: Finding): boolean {
  return PROBLEM_KINDS.has(f.kind);
}
