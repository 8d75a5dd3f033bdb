import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

export interface Suppression {
  /** cdk-nag rule id, optionally narrowed to one finding: `AwsSolutions-IAM5[Resource::*]`. */
  id: string;
  /** One line: why this finding is acceptable here. */
  reason: string;
}

/**
 * Acknowledges cdk-nag findings through CDK's own `Validations.acknowledge` (what cdk-nag 3 reads), so the stacks
 * need cdk-nag only in the tests that run it — a devDependency — and not at synth time.
 */
export function suppress(scope: IConstruct, list: Suppression[]): void {
  if (list.length) Validations.of(scope).acknowledge(...list);
}

const WILDCARD_REASONS = new WeakMap<IConstruct, string>();

/**
 * Marks the IAM policies under `scope` as having justified wildcards. cdk-nag reports IAM5 once per wildcard
 * (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/prefix/*]`) and only accepts acknowledgements of that exact finding, so
 * {@link acknowledgeWildcards} computes them from the resolved policies at the end of the stack: a new wildcard
 * under a justified scope is covered by the same reason, one anywhere else fails the nag test.
 */
export function justifyWildcards(scope: IConstruct, reason: string): void {
  WILDCARD_REASONS.set(scope, reason);
}

export function acknowledgeWildcards(stack: Stack): void {
  for (const c of stack.node.findAll()) {
    if (!(c instanceof iam.CfnPolicy) && !(c instanceof iam.CfnRole)) continue;
    let reason: string | undefined;
    for (let s: IConstruct | undefined = c; s && !reason; s = s.node.scope) reason = WILDCARD_REASONS.get(s);
    if (!reason) continue;
    const docs = c instanceof iam.CfnPolicy ? [c.policyDocument] : ((c.policies ?? []) as Array<{ policyDocument: unknown }>).map((p) => p.policyDocument);
    const findings = new Set<string>();
    for (const doc of docs) {
      const resolved = stack.resolve(doc) as { Statement?: Array<{ Action?: unknown; Resource?: unknown }> };
      for (const st of resolved.Statement ?? []) {
        for (const a of ([] as unknown[]).concat(st.Action ?? [])) if (typeof a === 'string' && a.includes('*')) findings.add(`Action::${a}`);
        for (const r of ([] as unknown[]).concat(st.Resource ?? [])) {
          const s = render(r);
          if (s.includes('*')) findings.add(`Resource::${s}`);
        }
      }
    }
    suppress(c, [...findings].map((f) => ({ id: `AwsSolutions-IAM5[${f}]`, reason })));
  }
}

/** cdk-nag's rendering of intrinsics in a finding: `<LogicalId.Attr>`, `<LogicalId>`, joins flattened. */
function render(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return `<${String(o.Ref)}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
  }
  return JSON.stringify(v);
}
