import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from './app.js';
import { resolveDeployConfig } from './config.js';
import { cdkEntry, deployPlan, findOnPath, runPlan } from './deploy.js';

const scratch = mkdtempSync(join(tmpdir(), 'auditlake-cdk-deploy-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const fleet = resolveDeployConfig({ centralAccount: '111111111111', memberAccounts: ['222222222222', '333333333333'], regions: ['eu-west-1', 'eu-central-1'], retention: 'pci-dss' });

test('deploy plan: bootstrap every central region, then deploy the central stacks of each region from the synthesized assembly', () => {
  const plan = deployPlan(fleet, { assembly: '/tmp/asm', bootstrap: true, profile: 'audit' });
  assert.deepEqual(plan.invocations, [
    ['bootstrap', 'aws://111111111111/eu-west-1', 'aws://111111111111/eu-central-1', '--profile', 'audit'],
    ['deploy', 'Auditlake-Central-eu-west-1', 'Auditlake-Central-eu-central-1', '--app', '/tmp/asm', '--require-approval', 'broadening', '--profile', 'audit', '--outputs-file', '/tmp/asm/outputs.json'],
  ]);
});

test('deploy plan: --workload deploys only the member templates (bootstrapless: no bootstrap even if asked), --yes never prompts', () => {
  const c = resolveDeployConfig({ centralAccount: '111111111111', regions: ['us-east-1'], prefix: 'acme-audit' });
  assert.deepEqual(deployPlan(c, { assembly: 'out', workload: true, bootstrap: true, requireApproval: 'never' }).invocations, [
    ['deploy', 'AcmeAudit-Workload-us-east-1', '--app', 'out', '--require-approval', 'never', '--outputs-file', 'out/outputs.json'],
  ]);
});

test('the assembly cdk deploys carries the config: members, regions, retention preset, key choice', () => {
  const imported = 'arn:aws:kms:eu-west-1:111111111111:key/0b8c6f5e-1a2b-4c3d-9e8f-0123456789ab';
  const c = resolveDeployConfig({ centralAccount: '111111111111', memberAccounts: ['222222222222'], regions: ['eu-west-1'], retention: 'pci-dss', lockMode: 'COMPLIANCE', key: { kind: 'import', arn: imported } });
  // bundling off: this test is about what the config turns into, not about the handler bundles
  const { app, central } = buildApp(c, join(scratch, 'asm'), { 'aws:cdk:bundling-stacks': [] });
  app.synth();
  const t = Template.fromStack(central[0]);
  const json = JSON.stringify(t.toJSON());
  t.resourceCountIs('AWS::KMS::Key', 0);
  assert.ok(json.includes(imported), 'the imported key is used');
  const vault = Object.values(t.findResources('AWS::S3::Bucket')).find((b) => b.Properties.BucketName === 'auditlake-vault-111111111111-eu-west-1');
  assert.deepEqual(vault?.Properties.ObjectLockConfiguration.Rule.DefaultRetention, { Mode: 'COMPLIANCE', Days: 365 });
  const bus = Object.values(t.findResources('AWS::Events::EventBusPolicy'));
  assert.match(JSON.stringify(bus), /arn:\S*?:iam::222222222222:root/);
  assert.doesNotMatch(JSON.stringify(bus), /333333333333/);
  assert.equal(central[0].region, 'eu-west-1');
  assert.equal(central[0].account, '111111111111');
});

test('cdk entry: the local aws-cdk, else a cdk on PATH, else npx aws-cdk@2', () => {
  assert.deepEqual(cdkEntry({ local: '/x/node_modules/aws-cdk/bin/cdk', onPath: '/usr/bin/cdk' }, '/node'), ['/node', '/x/node_modules/aws-cdk/bin/cdk']);
  assert.deepEqual(cdkEntry({ local: null, onPath: '/usr/bin/cdk' }), ['/usr/bin/cdk']);
  assert.deepEqual(cdkEntry({ local: null, onPath: null }), ['npx', '--yes', 'aws-cdk@2']);
});

test('a recording fake cdk on PATH is invoked with exactly the plan, in order; its exit code propagates and stops the plan', async () => {
  const bin = join(scratch, 'bin');
  const log = join(scratch, 'argv.log');
  rmSync(bin, { recursive: true, force: true });
  mkdirSync(bin);
  // One line per invocation, arguments NUL-free and tab-separated; exits with $FAKE_CDK_EXIT on `deploy`.
  writeFileSync(join(bin, 'cdk'), `#!/bin/sh\n(IFS='\t'; printf '%s\\n' "$*") >> "${log}"\nif [ "$1" = deploy ]; then exit "\${FAKE_CDK_EXIT:-0}"; fi\nexit 0\n`);
  chmodSync(join(bin, 'cdk'), 0o755);
  const path = `${bin}:${process.env.PATH ?? ''}`;
  const found = findOnPath('cdk', path);
  assert.equal(found, join(bin, 'cdk'));
  const plan = deployPlan(fleet, { assembly: join(scratch, 'asm'), bootstrap: true, requireApproval: 'never' });
  const entry = cdkEntry({ local: null, onPath: found });
  const ok = await runPlan(entry, plan, { ...process.env, PATH: path, FAKE_CDK_EXIT: '0' });
  assert.deepEqual(ok, { code: 0 });
  const recorded = () => readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(recorded(), plan.invocations);
  rmSync(log);
  const failed = await runPlan(entry, { invocations: [...plan.invocations, ['deploy', 'never-reached']] }, { ...process.env, PATH: path, FAKE_CDK_EXIT: '7' });
  assert.deepEqual(failed, { code: 7, failed: plan.invocations[1] });
  assert.equal(recorded().length, 2, 'nothing runs after the failed deploy');
  await assert.rejects(runPlan([join(scratch, 'no-such-cdk')], plan), (e: Error & { code?: string }) => e.code === 'E_IO' && /cannot run/.test(e.message));
});
