import { CreateOptionGroupCommand, DescribeDBInstancesCommand, DescribeOptionGroupsCommand, ModifyDBInstanceCommand, ModifyOptionGroupCommand, type RDSClient } from '@aws-sdk/client-rds';
import { AuditlakeError } from '../../../core/errors.js';
import { enableRdsAuditing } from '../../../sources/aws-databases/rds-audit.js';
import { enableRedshiftAuditing } from '../../../sources/aws-databases/redshift-audit.js';
import { configureCluster } from './aurora.js';
import { classify, type EnableState } from './state.js';
import { stepHandler, type StepDeps } from './step-handler.js';

/**
 * Step 2: the audit settings. PostgreSQL/MySQL/MariaDB through src/sources/aws-databases/rds-audit.ts (custom parameter group with
 * pgaudit, option group with MARIADB_AUDIT_PLUGIN, CloudWatch Logs export); SQL Server: option group with
 * SQLSERVER_AUDIT writing to the landing bucket; Redshift through src/sources/aws-databases/redshift-audit.ts (EnableLogging to the
 * landing bucket, enable_user_activity_logging). A busy instance or group is retried by the state machine.
 */
export async function configureStep(s: EnableState, d: StepDeps): Promise<EnableState> {
  const now = d.now().toISOString();
  try {
    if (s.kind === 'redshift') {
      const r = await enableRedshiftAuditing(d.clients.redshift, s.id, { bucket: d.config.landingBucket, prefix: d.config.redshiftPrefix });
      return { ...s, enabledAt: now, needsReboot: r.changes.some((c) => c.applyMethod === 'pending-reboot') || r.status.some((x) => x.includes('pending-reboot')), notes: [...s.notes, ...r.changes.map((c) => `${c.setting}: ${c.from || "''"} -> ${c.to}`)] };
    }
    if (s.kind === 'rds-cluster') {
      const r = await configureCluster(d.clients.rds, s.id);
      return { ...s, enabledAt: now, needsReboot: r.needsReboot, notes: [...s.notes, ...r.notes] };
    }
    if (s.engine.startsWith('sqlserver')) return await sqlServer(s, d, now);
    const r = await enableRdsAuditing(d.clients.rds, s.id);
    return {
      ...s,
      enabledAt: now,
      needsReboot: r.status.some((x) => x.includes('pending-reboot')),
      notes: [...s.notes, ...r.changes.map((c) => `${c.setting}: ${c.from || "''"} -> ${c.to} (${c.applyMethod})`), ...r.nextSteps.filter((n) => !n.startsWith('reboot'))],
    };
  } catch (e) {
    throw classify(e, `configure ${s.account}/${s.region}/${s.id}`);
  }
}

/** SQL Server audits to S3 itself: option group `auditlake-<engine>-<major>` with SQLSERVER_AUDIT. */
async function sqlServer(s: EnableState, d: StepDeps, now: string): Promise<EnableState> {
  const rds: RDSClient = d.clients.rds;
  const inst = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: s.id }))).DBInstances?.[0];
  if (!inst) throw new AuditlakeError('E_NOT_FOUND', `configure: ${s.id} disappeared`);
  const major = (inst.EngineVersion ?? '').split('.').slice(0, 2).join('.');
  const group = `auditlake-${s.engine}-${major.replace('.', '-')}`;
  const current = inst.OptionGroupMemberships?.[0]?.OptionGroupName ?? '';
  const exists = await rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: group })).then(() => true, (e: Error) => (e.name === 'OptionGroupNotFoundFault' ? false : Promise.reject(e)));
  if (!exists) await rds.send(new CreateOptionGroupCommand({ OptionGroupName: group, EngineName: s.engine, MajorEngineVersion: major, OptionGroupDescription: 'auditlake: SQLSERVER_AUDIT to the central landing bucket' }));
  await rds.send(new ModifyOptionGroupCommand({
    OptionGroupName: group,
    ApplyImmediately: true,
    OptionsToInclude: [{
      OptionName: 'SQLSERVER_AUDIT',
      OptionSettings: [
        { Name: 'S3_BUCKET_ARN', Value: `arn:aws:s3:::${d.config.landingBucket}/sqlserver/AWSLogs/${s.account}` },
        { Name: 'IAM_ROLE_ARN', Value: `arn:aws:iam::${s.account}:role/${d.config.memberRoleName}-sqlserver-audit` },
        { Name: 'ENABLE_COMPRESSION', Value: 'true' },
      ],
    }],
  }));
  const notes = [...s.notes, `option group: ${current || 'none'} -> ${group} (SQLSERVER_AUDIT)`];
  if (current !== group) await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: s.id, OptionGroupName: group, ApplyImmediately: true }));
  notes.push('inside the database: CREATE SERVER AUDIT … TO FILE (FILEPATH = \'D:\\rdsdbdata\\SQLAudit\') and a SERVER AUDIT SPECIFICATION — RDS then uploads the .sqlaudit files');
  return { ...s, enabledAt: now, needsReboot: false, notes };
}

export const handler = stepHandler(configureStep);
