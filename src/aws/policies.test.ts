import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_COLUMNS } from '../sinks/lake/schema.js';
import { athenaDdl } from './athena-ddl.js';
import { landingBucketPolicy, vaultBucketPolicy } from './policies.js';

type St = { Effect: string; Principal: unknown; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string | string[] | boolean>> };
const glob = (pat: string, s: string) => new RegExp(`^${pat.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(s);
const arr = <T,>(x: T | T[]) => (Array.isArray(x) ? x : [x]);

/** A small IAM evaluator: explicit deny wins, then any allow; StringEquals/StringLike/ArnLike/Bool conditions. */
function evaluate(policy: { Statement: St[] }, req: { principal: string; action: string; resource: string; ctx: Record<string, string> }): 'allow' | 'deny' {
  const matches = (s: St) => {
    const p = s.Principal as string | Record<string, string>;
    const principalOk = p === '*' || Object.values(p).some((v) => v === req.principal);
    const condOk = Object.entries(s.Condition ?? {}).every(([op, kv]) => Object.entries(kv).every(([k, v]) => {
      const have = req.ctx[k];
      if (have === undefined) return false;
      return arr(v as string).some((want) => (op === 'StringEquals' || op === 'Bool' ? String(want) === have : glob(String(want), have)));
    }));
    return principalOk && condOk && arr(s.Action).some((a) => glob(a, req.action)) && arr(s.Resource).some((r) => glob(r, req.resource));
  };
  if (policy.Statement.some((s) => s.Effect === 'Deny' && matches(s))) return 'deny';
  return policy.Statement.some((s) => s.Effect === 'Allow' && matches(s)) ? 'allow' : 'deny';
}

const input = { central: '111111111111', accounts: ['222222222222', '333333333333'], region: 'us-east-1', landingBucket: 'land', vaultBucket: 'vault', lakeBucket: 'lake' };

test('landing policy: Redshift of each account writes only its own AWSLogs/<account>/ prefix, over TLS', () => {
  const p = landingBucketPolicy(input) as unknown as { Statement: St[] };
  const put = (acct: string, prefix: string, tls = 'true') => evaluate(p, { principal: 'redshift.amazonaws.com', action: 's3:PutObject', resource: `arn:aws:s3:::land/AWSLogs/${prefix}/redshift/x.gz`, ctx: { 'aws:SourceAccount': acct, 'aws:SourceArn': `arn:aws:redshift:us-east-1:${acct}:cluster:c1`, 'aws:SecureTransport': tls } });
  assert.equal(put('222222222222', '222222222222'), 'allow');
  assert.equal(put('333333333333', '333333333333'), 'allow');
  assert.equal(put('222222222222', '333333333333'), 'deny');
  assert.equal(put('444444444444', '444444444444'), 'deny');
  assert.equal(put('222222222222', '222222222222', 'false'), 'deny');
  assert.equal(evaluate(p, { principal: 'arn:aws:iam::193672423079:user/logs', action: 's3:PutObject', resource: 'arn:aws:s3:::land/AWSLogs/222222222222/r.gz', ctx: { 'aws:SecureTransport': 'true' } }), 'allow');
  assert.ok(!JSON.stringify(p).includes('ObjectLock'), 'landing bucket has no Object Lock (Redshift refuses it)');
});

test('vault policy: nobody can delete a vault object, not even the central account', () => {
  const p = vaultBucketPolicy(input) as unknown as { Statement: St[] };
  for (const principal of ['arn:aws:iam::111111111111:root', 'arn:aws:iam::111111111111:role/auditlake-landing-to-vault']) {
    assert.equal(evaluate(p, { principal, action: 's3:DeleteObject', resource: 'arn:aws:s3:::vault/AWSLogs/2/x.alv', ctx: { 'aws:SecureTransport': 'true' } }), 'deny');
  }
});

test('Athena DDL matches the lake schema: every Parquet column, string partition columns, projection per view', () => {
  const ddl = athenaDdl({ lakeLocation: 's3://b/home/lake', regions: ['us-east-1'] });
  assert.equal(ddl.length, 6);
  for (const t of ddl.slice(1)) {
    for (const [n] of FILE_COLUMNS) assert.ok(t.includes(`\`${n}\` `), n);
    assert.match(t, /PARTITIONED BY \(`log_type` string, `account` string, `region` string, `date` string\)/);
    assert.match(t, /'projection.account.type'='injected'/);
    assert.match(t, /log_type=\$\{log_type\}\/account=\$\{account\}\/region=\$\{region\}\/date=\$\{date\}\//);
  }
  assert.match(ddl[2], /auditlake\.connections[\s\S]*'projection.log_type.values'='connection'/);
});
