import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import aslValidator from 'asl-validator';
import { buildApp } from './app.js';
import { resolveDeployConfig } from './config.js';
import { packageRoot } from './lambda-entry.js';
import { WorkloadStack } from './workload-stack.js';

// One synth for the whole file (bundling included, as `auditlake aws synth` does it), cdk-nag AwsSolutions on.
const config = resolveDeployConfig({ centralAccount: '111111111111', regions: ['eu-west-1'], memberAccounts: ['222222222222', '333333333333'], alarmEmail: 'secops@example.com' });
let outdir = '';
let central: Template;
let workload: Template;
let centralJson: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
let workloadJson: typeof centralJson;

before(() => {
  outdir = mkdtempSync(join(tmpdir(), 'auditlake-cdk-test-'));
  const { app, central: [c], workload: [w] } = buildApp(config, outdir);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const asm = app.synth(); // throws on any unacknowledged cdk-nag finding
  centralJson = asm.getStackByName(c.stackName).template;
  workloadJson = asm.getStackByName(w.stackName).template;
  central = Template.fromJSON(centralJson);
  workload = Template.fromJSON(workloadJson);
});
after(() => rmSync(outdir, { recursive: true, force: true }));

const ofType = (t: typeof centralJson, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const bucketByName = (kind: string) => {
  const hit = ofType(centralJson, 'AWS::S3::Bucket').find(([, r]) => r.Properties?.BucketName === `auditlake-${kind}-111111111111-eu-west-1`);
  assert.ok(hit, `bucket ${kind}`);
  return hit;
};

test('cdk-nag AwsSolutions: no unacknowledged finding (the report is empty)', () => {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ violations: unknown[] }> };
  assert.deepEqual(report.pluginReports.flatMap((p) => p.violations), []);
});

test('every bucket blocks public access and refuses plain HTTP', () => {
  const buckets = ofType(centralJson, 'AWS::S3::Bucket');
  assert.equal(buckets.length, 5);
  for (const [id, b] of buckets) {
    assert.deepEqual(b.Properties?.PublicAccessBlockConfiguration, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }, id);
    const policy = ofType(centralJson, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: id }));
    assert.ok(policy, `${id} has a bucket policy`);
    const deny = (policy[1].Properties?.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement.find((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }));
    assert.ok(deny, `${id} denies non-TLS requests`);
  }
});

test('vault: Object Lock with the preset retention, SSE-KMS with bucket key, versioned, access-logged; landing: SSE-S3, no Object Lock', () => {
  const [, vault] = bucketByName('vault');
  assert.equal(vault.Properties?.ObjectLockEnabled, true);
  assert.deepEqual(vault.Properties?.ObjectLockConfiguration, { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 183 } } });
  const enc = (vault.Properties?.BucketEncryption as { ServerSideEncryptionConfiguration: Array<Record<string, unknown>> }).ServerSideEncryptionConfiguration[0];
  assert.equal((enc.ServerSideEncryptionByDefault as Record<string, unknown>).SSEAlgorithm, 'aws:kms');
  assert.equal(enc.BucketKeyEnabled, true);
  assert.deepEqual(vault.Properties?.VersioningConfiguration, { Status: 'Enabled' });
  assert.ok(vault.Properties?.LoggingConfiguration, 'access logging');
  const rules = (vault.Properties?.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
  assert.ok(rules.some((r) => r.ExpirationInDays === 183 && r.Prefix === 'AWSLogs/'), 'seed 001: 6 months');

  const [, landing] = bucketByName('landing');
  assert.equal(landing.Properties?.ObjectLockEnabled, undefined);
  assert.equal(landing.Properties?.ObjectLockConfiguration, undefined);
  const lenc = (landing.Properties?.BucketEncryption as { ServerSideEncryptionConfiguration: Array<{ ServerSideEncryptionByDefault: Record<string, unknown> }> }).ServerSideEncryptionConfiguration[0];
  assert.deepEqual(lenc.ServerSideEncryptionByDefault, { SSEAlgorithm: 'AES256' });
  const [, lake] = bucketByName('lake');
  assert.match(JSON.stringify(lake.Properties?.BucketEncryption), /aws:kms/);
});

test('landing bucket policy: Redshift and CloudTrail may write only under each member account prefix', () => {
  const policy = JSON.stringify(ofType(centralJson, 'AWS::S3::BucketPolicy').map(([, p]) => p.Properties));
  for (const a of ['222222222222', '333333333333']) {
    assert.match(policy, new RegExp(`/redshift/AWSLogs/${a}/\\*`));
    assert.match(policy, new RegExp(`/cloudtrail/AWSLogs/${a}/\\*`));
    assert.match(policy, new RegExp(`arn:aws:cloudtrail:\\*:${a}:trail/\\*`));
  }
  assert.match(policy, /redshift\.amazonaws\.com/);
  assert.match(policy, /DenyEvidenceDeletion/);
});

test('KMS key: rotation on, retained, direct use confined by encryption context to the configured accounts', () => {
  central.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain' });
  const [[, key]] = ofType(centralJson, 'AWS::KMS::Key');
  const st = (key.Properties?.KeyPolicy as { Statement: Array<Record<string, any>> }).Statement; // eslint-disable-line @typescript-eslint/no-explicit-any -- CloudFormation JSON
  const confine = st.find((s) => s.Sid === 'ConfineEnvelopeUseToConfiguredAccounts');
  assert.ok(confine);
  assert.equal(confine.Effect, 'Deny');
  assert.deepEqual(confine.Condition.StringNotLikeIfExists['kms:EncryptionContext:auditlake:object'], ['*AWSLogs/111111111111/*', '*AWSLogs/222222222222/*', '*AWSLogs/333333333333/*']);
});

/** Actions AWS does not scope to resources (X-Ray tracing; CloudWatch Logs vended delivery for Step Functions logging). */
const NO_RESOURCE_LEVEL = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups']);

test('least privilege: no IAM statement allows * on *, and Resource * only for actions that have no resource level', () => {
  for (const t of [centralJson, workloadJson]) {
    const docs: Array<[string, { Statement: Array<{ Effect: string; Action: string | string[]; Resource: unknown }> }]> = [];
    for (const [id, r] of ofType(t, 'AWS::IAM::Policy')) docs.push([id, r.Properties?.PolicyDocument as never]);
    for (const [id, r] of ofType(t, 'AWS::IAM::Role')) for (const p of (r.Properties?.Policies as Array<{ PolicyDocument: never }>) ?? []) docs.push([id, p.PolicyDocument]);
    assert.ok(docs.length > 0);
    for (const [id, d] of docs) {
      for (const s of d.Statement.filter((x) => x.Effect === 'Allow')) {
        const actions = ([] as string[]).concat(s.Action);
        const resources = ([] as unknown[]).concat(s.Resource);
        assert.ok(!actions.includes('*'), `${id}: Action *`);
        if (resources.includes('*')) assert.ok(actions.every((a) => NO_RESOURCE_LEVEL.has(a)), `${id}: ${actions.join(',')} on *`);
      }
    }
  }
  // the managed basic-execution policy (logs:* on every group) is not used
  assert.doesNotMatch(JSON.stringify(centralJson), /AWSLambdaBasicExecutionRole/);
});

test('DLQs everywhere: every consumed queue redrives, every rule target and async function has a DLQ', () => {
  const queues = ofType(centralJson, 'AWS::SQS::Queue');
  const dlqIds = new Set(queues.flatMap(([, q]) => (q.Properties?.RedrivePolicy ? [JSON.stringify((q.Properties.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn)] : [])));
  for (const [id, q] of queues) {
    const isDlq = [...dlqIds].some((d) => d.includes(`"${id}"`));
    assert.ok(q.Properties?.RedrivePolicy || isDlq || /Failures/.test(id), `${id} is neither redriven nor a DLQ`);
  }
  for (const [, m] of ofType(centralJson, 'AWS::Lambda::EventSourceMapping')) {
    const qid = (m.Properties?.EventSourceArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    assert.ok(centralJson.Resources[qid].Properties?.RedrivePolicy, `${qid} feeds a Lambda and has a DLQ`);
    assert.deepEqual(m.Properties?.FunctionResponseTypes, ['ReportBatchItemFailures']);
  }
  for (const t of [centralJson, workloadJson]) {
    for (const [id, r] of ofType(t, 'AWS::Events::Rule')) for (const tg of r.Properties?.Targets as Array<Record<string, unknown>>) assert.ok(tg.DeadLetterConfig, `${id} target has a DLQ`);
  }
  const sweep = ofType(centralJson, 'AWS::Lambda::Function').find(([id]) => id.startsWith('IngestSweep'));
  assert.ok(sweep?.[1].Properties?.DeadLetterConfig, 'the scheduled sweep has a DLQ');
  assert.equal(sweep?.[1].Properties?.ReservedConcurrentExecutions, 1);
});

test('Lambdas: Node 22, own log groups with retention; the RDS workflow sets the audit log groups to 1 day', () => {
  const fns = ofType(centralJson, 'AWS::Lambda::Function');
  assert.ok(fns.length >= 9);
  for (const [id, f] of fns) assert.equal(f.Properties?.Runtime, 'nodejs22.x', id);
  for (const [id, g] of ofType(centralJson, 'AWS::Logs::LogGroup')) assert.ok(g.Properties?.RetentionInDays, `${id} has a retention`);
  const steps = fns.filter(([id]) => id.startsWith('RdsAutoEnableStep'));
  assert.equal(steps.length, 6);
  const setup = steps.find(([id]) => id.startsWith('RdsAutoEnableStepSetup'))![1];
  const setupEnv = (setup.Properties?.Environment as { Variables: Record<string, string> }).Variables;
  assert.equal(setupEnv.IN_DATABASE_SETUP, 'false', 'in-database setup is opt-in');
  assert.equal(setupEnv.NODE_EXTRA_CA_CERTS, '/var/runtime/ca-cert.pem', 'pg verifies the RDS certificate');
  for (const [, f] of steps) assert.equal((f.Properties?.Environment as { Variables: Record<string, string> }).Variables.LOG_RETENTION_DAYS, '1');
  const ingest = fns.find(([id]) => id.startsWith('IngestLandingToVault'))![1];
  const env = (ingest.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
  assert.deepEqual(Object.keys(env).sort(), ['AUDITLAKE_HOME', 'AUDITLAKE_KMS_KEY', 'AUDITLAKE_LOCK_DAYS', 'AUDITLAKE_LOCK_MODE', 'AUDITLAKE_VAULT', 'NODE_OPTIONS']);
});

test('landing notifications: one non-overlapping prefix per pipeline, straight to the queues', () => {
  const [, landing] = bucketByName('landing');
  const qc = (landing.Properties?.NotificationConfiguration as { QueueConfigurations: Array<{ Filter: { S3Key: { Rules: Array<{ Value: string }> } } }> }).QueueConfigurations;
  assert.deepEqual(qc.map((q) => q.Filter.S3Key.Rules[0].Value).sort(), ['cloudtrail/', 'firehose/rds/', 'redshift/']);
  assert.equal(ofType(centralJson, 'Custom::S3BucketNotifications').length, 0);
});

test('Glue table with partition projection (account injected, all partition columns strings); Athena results encrypted', () => {
  const [[, table]] = ofType(centralJson, 'AWS::Glue::Table');
  const ti = table.Properties?.TableInput as { Parameters: Record<string, string>; PartitionKeys: Array<{ Name: string; Type: string }> };
  assert.equal(ti.Parameters['projection.enabled'], 'true');
  assert.equal(ti.Parameters['projection.account.type'], 'injected');
  assert.equal(ti.Parameters['projection.log_type.values'], 'connection,user,activity,api');
  assert.deepEqual(ti.PartitionKeys, [{ Name: 'log_type', Type: 'string' }, { Name: 'account', Type: 'string' }, { Name: 'region', Type: 'string' }, { Name: 'date', Type: 'string' }]);
  central.hasResourceProperties('AWS::Athena::WorkGroup', { WorkGroupConfiguration: Match.objectLike({ EnforceWorkGroupConfiguration: true, ResultConfiguration: Match.objectLike({ EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }) }) }) });
});

test('alarms: each DLQ, each function, failed enablements, and silence per member account and source', () => {
  const alarms = ofType(centralJson, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const silence = alarms.filter((a) => String(a.AlarmDescription).includes('no '));
  assert.equal(silence.length, 4);
  for (const a of silence) {
    assert.equal(a.TreatMissingData, 'breaching');
    assert.equal(a.EvaluationPeriods, 26);
  }
  const dlqCount = ofType(centralJson, 'AWS::SQS::Queue').filter(([, q]) => !q.Properties?.RedrivePolicy).length;
  assert.equal(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible').length, dlqCount);
  assert.ok(alarms.filter((a) => a.MetricName === 'Errors').length >= 9);
  const [, landing] = bucketByName('landing');
  assert.equal((landing.Properties?.MetricsConfigurations as unknown[]).length, 4);
});

test('RDS workflow: bus admits the member accounts, rule → state machine, valid ASL with retries and a catch on every task', () => {
  const [[, bus]] = ofType(centralJson, 'AWS::Events::EventBusPolicy').length ? ofType(centralJson, 'AWS::Events::EventBusPolicy') : ofType(centralJson, 'AWS::Events::EventBus');
  assert.match(JSON.stringify(bus.Properties), /222222222222/);
  central.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ detail: { eventSource: ['rds.amazonaws.com', 'redshift.amazonaws.com'], eventName: ['CreateDBInstance', 'CreateDBCluster', 'ModifyDBInstance', 'CreateCluster'] } }) });
  const [[, sm]] = ofType(centralJson, 'AWS::StepFunctions::StateMachine');
  const parts = (sm.Properties?.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const token = (p: unknown) => (JSON.stringify(p) === '{"Ref":"AWS::Partition"}' ? 'aws' : JSON.stringify(p).includes('Fn::GetAtt') ? 'arn:aws:lambda:eu-west-1:111111111111:function:step' : 'x');
  const asl = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : token(p))).join(''));
  const v = aslValidator(asl);
  assert.ok(v.isValid, v.errorsText());
  const tasks = Object.entries(asl.States as Record<string, { Type: string; Resource?: string; Retry?: unknown[]; Catch?: unknown[] }>).filter(([, s]) => s.Type === 'Task' && String(s.Resource).includes('lambda'));
  assert.deepEqual(tasks.map(([n]) => n), ['Describe', 'Configure', 'Reboot', 'Setup', 'Ship', 'Verify']);
  for (const [name, s] of tasks) {
    assert.ok(s.Retry?.length, `${name} retries`);
    assert.ok(s.Catch?.length, `${name} catches`);
  }
  central.hasResourceProperties('AWS::Logs::Destination', { DestinationName: 'auditlake-rds-audit' });
  central.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', { ExtendedS3DestinationConfiguration: Match.objectLike({ Prefix: 'firehose/rds/' }) });
});

test('workload stack: StackSet-friendly (no assets, no account id), Redshift parameter group, trail, forwarding rule, scoped member role', () => {
  const text = JSON.stringify(workloadJson);
  assert.doesNotMatch(text, /222222222222|333333333333/, 'no member account baked in');
  assert.equal(ofType(workloadJson, 'AWS::Lambda::Function').length, 0);
  assert.equal((workloadJson as { Parameters?: Record<string, unknown> }).Parameters?.BootstrapVersion, undefined);
  workload.hasResourceProperties('AWS::Redshift::ClusterParameterGroup', { Parameters: Match.arrayWith([{ ParameterName: 'enable_user_activity_logging', ParameterValue: 'true' }]) });
  workload.hasResourceProperties('AWS::CloudTrail::Trail', { S3BucketName: 'auditlake-landing-111111111111-eu-west-1', S3KeyPrefix: 'cloudtrail', EnableLogFileValidation: true, IsMultiRegionTrail: true });
  workload.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ detail: Match.objectLike({ eventName: Match.arrayWith(['CreateDBInstance', 'CreateDBCluster', 'ModifyDBInstance']) }) }), Targets: Match.arrayWith([Match.objectLike({ Arn: 'arn:aws:events:eu-west-1:111111111111:event-bus/auditlake-governance' })]) });
  workload.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'auditlake-member-eu-west-1',
    AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/auditlake-enable-eu-west-1' } } })] }),
  });
});

test('member role: master secrets least-privilege (RDS-managed rds!* or tagged, KMS only via Secrets Manager); Aurora cluster groups only auditlake-*', () => {
  const [[, role]] = ofType(workloadJson, 'AWS::IAM::Role').filter(([, r]) => r.Properties?.RoleName === 'auditlake-member-eu-west-1');
  const policies = ofType(workloadJson, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties?.Roles).includes('MemberRole'));
  assert.ok(role && policies.length);
  const statements = policies.flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> }).Statement);
  const acts = (st: { Action: string | string[] }) => [st.Action].flat();
  const sm = statements.filter((st) => acts(st).some((a) => a.startsWith('secretsmanager:')));
  assert.deepEqual(sm.flatMap(acts), ['secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue'], 'read only, nothing else of Secrets Manager');
  const res = (st: { Resource: unknown }) => JSON.stringify(st.Resource);
  assert.ok(sm.some((st) => res(st).includes(':secret:rds!*') && !st.Condition), 'RDS-managed secrets');
  assert.ok(sm.some((st) => res(st).includes(':secret:*') && JSON.stringify(st.Condition) === JSON.stringify({ StringEquals: { 'aws:ResourceTag/auditlake-access': 'master-secret' } })), 'other secrets only when tagged');
  const kms = statements.filter((st) => acts(st).some((a) => a.startsWith('kms:')));
  assert.deepEqual(kms.flatMap(acts), ['kms:Decrypt']);
  assert.match(JSON.stringify(kms[0].Condition), /"kms:ViaService":"secretsmanager.eu-west-1.amazonaws.com"/);
  const create = statements.find((st) => acts(st).includes('rds:ModifyDBClusterParameterGroup'));
  assert.ok(create && res(create).includes(':cluster-pg:auditlake-*') && !res(create).includes(':cluster-pg:*"'), 'only auditlake cluster parameter groups are created or changed');
});

test('tear-down keeps the evidence: buckets, key and outcomes table are RETAIN (cdk destroy leaves them)', () => {
  const retained = (type: string) => ofType(centralJson, type).map(([id, r]) => [id, (r as { DeletionPolicy?: string }).DeletionPolicy, (r as { UpdateReplacePolicy?: string }).UpdateReplacePolicy]);
  const buckets = retained('AWS::S3::Bucket');
  assert.equal(buckets.length, 5);
  for (const [id, del, upd] of [...buckets, ...retained('AWS::KMS::Key'), ...retained('AWS::DynamoDB::Table')]) {
    assert.equal(del, 'Retain', `${id} DeletionPolicy`);
    assert.equal(upd, 'Retain', `${id} UpdateReplacePolicy`);
  }
  assert.equal(retained('AWS::KMS::Key').length, 1);
  assert.equal(retained('AWS::DynamoDB::Table').length, 1);
});

test('docs/guide/deploy-on-aws.md: every diagram node names a synthesized resource type, every major type is drawn', () => {
  const doc = readFileSync(join(packageRoot(), 'docs/guide/deploy-on-aws.md'), 'utf8');
  const mermaid = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(mermaid, 'the guide has a mermaid diagram');
  // Node definitions: ID["label"] (any bracket shape); subgraph titles are not nodes.
  const nodes = [...mermaid.matchAll(/^\s*(?!subgraph\b)(\w+)\s*[[({]+"([^"]+)"[\])}]+(:::(\w+))?/gm)].map((m) => ({ id: m[1], label: m[2], cls: m[4] }));
  assert.ok(nodes.length >= 15, `parsed ${nodes.length} nodes`);
  const synthesized = new Set([...Object.values(centralJson.Resources), ...Object.values(workloadJson.Resources)].map((r) => r.Type));
  const drawn = new Set<string>();
  for (const n of nodes) {
    if (n.cls === 'existing') continue;
    const type = /AWS::\w+::\w+/.exec(n.label)?.[0];
    assert.ok(type, `node ${n.id} names no resource type`);
    assert.ok(synthesized.has(type), `node ${n.id}: ${type} is not in the synthesized templates`);
    drawn.add(type);
  }
  const major = ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SQS::Queue', 'AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine', 'AWS::Events::EventBus', 'AWS::Events::Rule', 'AWS::KinesisFirehose::DeliveryStream', 'AWS::Logs::Destination', 'AWS::DynamoDB::Table', 'AWS::Glue::Database', 'AWS::Glue::Table', 'AWS::Athena::WorkGroup', 'AWS::CloudWatch::Alarm', 'AWS::SNS::Topic', 'AWS::CloudTrail::Trail', 'AWS::Redshift::ClusterParameterGroup', 'AWS::IAM::Role'];
  // Plumbing types (policies, log groups, permissions, mappings, aliases) are deliberately not drawn.
  const plumbing = /::(BucketPolicy|QueuePolicy|TopicPolicy|Policy|LogGroup|LogStream|Permission|EventSourceMapping|Alias|EventBusPolicy|Subscription)$/;
  for (const t of synthesized) if (!plumbing.test(t)) assert.ok(major.includes(t), `${t} is synthesized but neither major nor plumbing: draw it or classify it`);
  for (const t of major) assert.ok(drawn.has(t), `${t} is synthesized but not in the diagram`);
  const buckets = nodes.filter((n) => n.label.includes('AWS::S3::Bucket')).length;
  assert.ok(buckets >= 3, 'landing, vault and lake are drawn');
});

test('an organization trail replaces the per-account trail', () => {
  const c = resolveDeployConfig({ ...config, organizationId: 'o-abcdefghij', orgTrailArn: 'arn:aws:cloudtrail:eu-west-1:444444444444:trail/org' });
  const t = Template.fromStack(new WorkloadStack(new App(), 'W', c, 'eu-west-1'));
  t.resourceCountIs('AWS::CloudTrail::Trail', 0);
});

test('snapshot of the synthesized templates (asset hashes normalized; UPDATE_SNAPSHOTS=1 rewrites it)', () => {
  const normalize = (t: unknown) => JSON.parse(JSON.stringify(t).replace(/[0-9a-f]{64}(\.zip)?/g, '<asset-hash>'));
  const current = JSON.stringify({ central: normalize(centralJson), workload: normalize(workloadJson) }, null, 1) + '\n';
  const dir = join(packageRoot(), 'src/aws/cdk/__snapshots__');
  const file = join(dir, 'templates.json');
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, current);
  }
  assert.ok(existsSync(file), `${file} is missing: UPDATE_SNAPSHOTS=1 npm test -- src/aws/cdk`);
  assert.equal(current, readFileSync(file, 'utf8'), 'the synthesized templates changed: review the diff, then UPDATE_SNAPSHOTS=1 npm test -- src/aws/cdk');
});
