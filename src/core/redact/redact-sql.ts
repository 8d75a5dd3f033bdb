import { redactSecrets } from './redact-secrets.js';
import { tokenizeSql, type SqlToken } from './sql-tokens.js';

const MASK = "'***'";

/**
 * Words that make a statement secret-bearing: the password / identified keywords and their misspellings (a
 * failed `ALTER USER x PASWORD 'pw'` still logs the password), key and credential clauses, and the functions
 * that take a key or a secret as an argument (AES_ENCRYPT(x, 'key'), pgp_sym_encrypt, ENCODE/DES_…).
 */
const SECRET_WORD =
  /^(?:pa?s+w(?:o?r?d)?|pwd|passwd|password\w*|ident[a-z]*f\w*|secret\w*|\w+_secret\w*|token|credentials|\w*symmetric\w*|\w*private_key|\w*api_key|\w*access_key\w*|master_key|aes_\w*crypt|des_\w*crypt|pgp_\w*crypt\w*|encrypt|decrypt)$/i;
/** Inside a literal (dynamic SQL: EXECUTE '…', format('…')): the statement keywords that carry a secret. */
const SECRET_IN_LITERAL = /pas+w|identified|secret/i;

/** Keywords whose value the pattern rules (redact-secrets.ts) understand, and what may sit between keyword and value. */
const KNOWN = /^(?:password|identified|secret_access_key|session_token|master_symmetric_key|credentials|token)$/i;
const BETWEEN = /^(?:by|using|as|with|via|=|\(|encrypted|unencrypted|[a-z_0-9]+_password|ed25519|mysql_native_password|caching_sha2_password)$/i;

/** Cheap gate before tokenizing: no candidate word, nothing to do. */
const GATE = /pa?s+w|pwd|ident|secret|token|credential|crypt|symmetric|key/i;

const isMasked = (text: string, t: SqlToken) => /^[EeNn]?'\*\*\*'$|^''\*\*\*''$/.test(text.slice(t.start, t.end));

/** True when every secret word is a known keyword directly followed (comments aside) by a literal that is masked. */
function understood(text: string, tokens: SqlToken[], triggers: number[]): boolean {
  for (const i of triggers) {
    const t = tokens[i];
    if (t.kind !== 'word' || !KNOWN.test(text.slice(t.start, t.end))) return false;
    let j = i + 1;
    let hops = 0;
    for (; j < tokens.length; j++) {
      const k = tokens[j];
      if (k.kind === 'space') continue;
      if (k.kind === 'comment') return false; // a comment between keyword and value: the patterns did not see the value
      if (k.kind === 'word' || k.kind === 'punct') {
        if (!BETWEEN.test(text.slice(k.start, k.end)) || ++hops > 4) break;
        continue;
      }
      break;
    }
    const v = tokens[j];
    if (v && v.kind === 'literal' && !isMasked(text, v)) return false;
    if (v && v.kind === 'param') return false;
    // `PASSWORD EXPIRE`, `IDENTIFIED BYY 'x'`: a keyword not followed by its value is understood only when no
    // unmasked literal or parameter follows anywhere after it.
    if (v && v.kind !== 'literal' && tokens.slice(j).some((k) => k.kind === 'param' || (k.kind === 'literal' && !isMasked(text, k)))) return false;
  }
  return true;
}

/**
 * Redaction for SQL statements (and log lines that carry one): the pattern rules first (they keep the most
 * context: `PASSWORD '***' VALID UNTIL '2027-01-01'`), then a check with a real tokenizer. When a statement
 * mentions a secret-bearing keyword or function — in code or inside a literal (dynamic SQL: `format('… PASSWORD
 * %L', 'pw')`, `EXECUTE '…'`) — and the patterns did not provably mask its value (a comment in between, a
 * misspelled keyword, a function argument, a bind parameter), every literal of the statement is masked.
 */
export function redactSql(text: string): string {
  return redactStatement(text).statement;
}

export interface RedactedStatement {
  statement: string;
  /** The statement mentions a secret-bearing word: its bind parameters must be masked too. */
  secretBearing: boolean;
  /**
   * Contents of the literals the tokenizer pass masked (4+ characters): the same values sit in the record's raw
   * line, in whatever quoting that format uses (CSV, JSON, server_audit), and are scrubbed from it (scrub()).
   */
  masked: string[];
}

export function redactStatement(text: string): RedactedStatement {
  const first = redactSecrets(text);
  if (!GATE.test(first)) return { statement: first, secretBearing: false, masked: [] };
  const tokens = tokenizeSql(first);
  const triggers: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const v = first.slice(t.start, t.end);
    if ((t.kind === 'word' && SECRET_WORD.test(v)) || (t.kind === 'literal' && !isMasked(first, t) && SECRET_IN_LITERAL.test(v))) triggers.push(i);
  }
  if (triggers.length === 0) return { statement: first, secretBearing: false, masked: [] };
  if (understood(first, tokens, triggers)) return { statement: first, secretBearing: true, masked: [] };
  let out = '';
  let at = 0;
  const masked: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'literal' || isMasked(first, t)) continue;
    const inner = literalContent(first.slice(t.start, t.end));
    if (inner.length >= 4) masked.push(inner);
    out += first.slice(at, t.start) + MASK;
    at = t.end;
  }
  return { statement: out + first.slice(at), secretBearing: true, masked };
}

/** What is between the quotes of a literal (`E'x'`, `'x'`, `$t$x$t$`); quotes doubled inside stay as they are. */
function literalContent(lit: string): string {
  const dollar = /^(\$[A-Za-z0-9_]*\$)([\s\S]*?)(?:\1)?$/.exec(lit);
  if (dollar) return dollar[2];
  const body = lit.replace(/^[EeNnXxBb]?'/, '');
  return body.endsWith("'") ? body.slice(0, -1) : body;
}

/** Removes every occurrence of the given values (and their '-doubled / \\-escaped forms) from a raw record. */
export function scrub(raw: string, values: readonly string[]): string {
  let out = raw;
  for (const v of values) {
    for (const form of new Set([v, v.replace(/'/g, "''"), v.replace(/''/g, "'"), v.replace(/'/g, "\\'"), JSON.stringify(v).slice(1, -1)])) {
      if (form.length >= 4) out = out.split(form).join('***');
    }
  }
  return out;
}
