import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from './app.js';
import { resolveDeployConfig } from './config.js';

test('Security Lake (opt-in): one CreateCustomLogSource per OCSF class, crawler role, hourly export into the returned locations; cdk-nag clean; off by default', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'auditlake-cdk-sl-'));
  try {
    const c = resolveDeployConfig({ centralAccount: '111111111111', regions: ['eu-west-1'], securityLake: true });
    // bundling off: the wiring is under test, not the handler bundle
    const { app, central: [stack] } = buildApp(c, outdir, { 'aws:cdk:bundling-stacks': [] });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ violations: unknown[] }> };
    assert.deepEqual(report.pluginReports.flatMap((p) => p.violations), []);
    const t = Template.fromStack(stack);
    const sources = Object.values(t.findResources('Custom::AWS')).map((r) => JSON.stringify(r.Properties.Create));
    assert.equal(sources.length, 4);
    for (const [uid, cls] of [[3001, 'ACCOUNT_CHANGE'], [3002, 'AUTHENTICATION'], [6003, 'API_ACTIVITY'], [6005, 'DATASTORE_ACTIVITY']] as const) {
      const s = sources.find((x) => x.includes(`auditlake-${uid}`));
      assert.ok(s, `custom source of class ${uid}`);
      assert.match(s, /createCustomLogSource/);
      assert.ok(s.includes(cls), `${uid} declares ${cls}`);
    }
    const exporter = Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.includes('OcsfExport'));
    assert.ok(exporter, 'the export function');
    const vars = exporter[1].Properties.Environment.Variables as Record<string, unknown>;
    for (const uid of [3001, 3002, 6003, 6005]) assert.match(JSON.stringify(vars[`AUDITLAKE_OCSF_LOCATION_${uid}`]), /source.provider.location/);
    assert.equal(exporter[1].Properties.ReservedConcurrentExecutions, 1);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }], Version: '2012-10-17' } });
    const off = buildApp(resolveDeployConfig({ centralAccount: '111111111111', regions: ['eu-west-1'] }), join(outdir, 'off'), { 'aws:cdk:bundling-stacks': [] });
    Template.fromStack(off.central[0]).resourceCountIs('Custom::AWS', 0);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
