import { AuditlakeError } from '../../core/errors.js';
import { FRAMEWORKS } from '../../retention/frameworks.js';

const DAY = 86_400_000;

/** What `auditlake aws synth|deploy` turns into CDK context; everything the stacks need, nothing looked up. */
export interface DeployConfig {
  /** The central (audit) account that owns the vault, the lake and the pipeline. */
  centralAccount: string;
  /** Regions with a central cell (Redshift only logs to a bucket in the cluster's own region). First = home. */
  regions: string[];
  /** Workload accounts whose Redshift/RDS/CloudTrail land centrally. */
  memberAccounts: string[];
  /** AWS Organizations id (`o-…`): widens bus/bucket/destination policies to the org instead of the account list. */
  organizationId?: string;
  /** An existing organization trail writing to the landing bucket: the workload stack then creates no trail. */
  orgTrailArn?: string;
  retention: RetentionPresetId;
  /** Object Lock mode of the vault's default retention. */
  lockMode: 'GOVERNANCE' | 'COMPLIANCE';
  /** `create` a CMK here, or use an existing key ARN (its key policy is then yours to keep). */
  key: { kind: 'create' } | { kind: 'import'; arn: string };
  /** The RDS workflow may reboot a database to activate static parameters (pgaudit preload). */
  allowReboot: boolean;
  /** The setup step may connect to PostgreSQL as the master user (pgaudit role + extension); needs network reach. */
  inDatabaseSetup?: boolean;
  /** Master login secrets of databases whose password RDS does not manage: `<account>/<region>/<id>` or `<id>` → ARN. */
  masterSecretArns?: Record<string, string>;
  /** Register auditlake as Security Lake custom sources (one per OCSF class) and export to them hourly (issue 16). */
  securityLake?: boolean;
  /** Alarm when an account sent no Redshift/CloudTrail object for this many hours. */
  silenceHours: number;
  /** Optional e-mail subscribed to the alarm topic. */
  alarmEmail?: string;
  /** Resource name prefix (bucket names are `<prefix>-<kind>-<account>-<region>`). */
  prefix: string;
}

export type RetentionPresetId = 'seed-6-months' | 'pci-dss' | 'hipaa' | 'gxp';

export interface RetentionPreset {
  id: RetentionPresetId;
  /** Days before vault objects expire; null = never (record lifetime). */
  keepDays: number | null;
  /** Object Lock default retention in days (WORM window). */
  lockDays: number;
  about: string;
}

const days = (ms: number) => Math.ceil(ms / DAY);

/**
 * Retention presets. seed-6-months is the founding document's "kept 6 months" (seed 001): 183 days, the longest
 * six calendar months. The framework presets reuse the retention module's minimums so `retention` and the bucket
 * agree. gxp keeps records for their lifetime: no expiry, a 10-year lock window that an audit can extend per object.
 */
export const RETENTION_PRESETS: Record<RetentionPresetId, RetentionPreset> = {
  'seed-6-months': { id: 'seed-6-months', keepDays: 183, lockDays: 183, about: 'seed 001: keep 6 months' },
  'pci-dss': { id: 'pci-dss', keepDays: days(FRAMEWORKS['pci-dss'].minKeepMs!), lockDays: days(FRAMEWORKS['pci-dss'].minKeepMs!), about: FRAMEWORKS['pci-dss'].requirement },
  hipaa: { id: 'hipaa', keepDays: days(FRAMEWORKS.hipaa.minKeepMs!), lockDays: days(FRAMEWORKS.hipaa.minKeepMs!), about: FRAMEWORKS.hipaa.requirement },
  gxp: { id: 'gxp', keepDays: null, lockDays: 3650, about: FRAMEWORKS.gxp.requirement },
};

const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const DEFAULT_CONFIG: Omit<DeployConfig, 'centralAccount' | 'regions'> = {
  memberAccounts: [],
  retention: 'seed-6-months',
  lockMode: 'GOVERNANCE',
  key: { kind: 'create' },
  allowReboot: false,
  silenceHours: 26,
  prefix: 'auditlake',
};

/** Validates a partial config (flags, context, file) into a DeployConfig; every error names the field. */
export function resolveDeployConfig(raw: Partial<DeployConfig> & Record<string, unknown>): DeployConfig {
  const c = { ...DEFAULT_CONFIG, ...raw } as DeployConfig;
  const bad = (field: string, why: string): never => {
    throw new AuditlakeError('E_USAGE', `aws deploy config: ${field}: ${why}`);
  };
  if (!c.centralAccount || !ACCOUNT_RE.test(c.centralAccount)) bad('centralAccount', `must be a 12-digit account id, got ${JSON.stringify(c.centralAccount)}`);
  if (!Array.isArray(c.regions) || c.regions.length === 0) bad('regions', 'at least one region is needed');
  for (const r of c.regions) if (!REGION_RE.test(r)) bad('regions', `${JSON.stringify(r)} is not a region name`);
  for (const a of c.memberAccounts) if (!ACCOUNT_RE.test(a)) bad('memberAccounts', `${JSON.stringify(a)} is not a 12-digit account id`);
  if (new Set(c.memberAccounts).size !== c.memberAccounts.length) bad('memberAccounts', 'duplicates');
  if (c.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(c.organizationId)) bad('organizationId', `${c.organizationId} is not an organization id (o-…)`);
  if (c.orgTrailArn !== undefined && !/^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/.+$/.test(c.orgTrailArn)) bad('orgTrailArn', `${c.orgTrailArn} is not a trail ARN`);
  if (!Object.hasOwn(RETENTION_PRESETS, c.retention)) bad('retention', `unknown preset ${c.retention} (${Object.keys(RETENTION_PRESETS).join(', ')})`);
  if (c.lockMode !== 'GOVERNANCE' && c.lockMode !== 'COMPLIANCE') bad('lockMode', 'GOVERNANCE or COMPLIANCE');
  if (c.key.kind === 'import' && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/.test(c.key.arn)) bad('key', `${c.key.arn} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid>; an alias is not enough for a key policy)`);
  if (c.key.kind === 'import' && c.regions.length > 1) bad('key', 'an imported key serves one region; give one region per deployment or let auditlake create the keys');
  if (!Number.isInteger(c.silenceHours) || c.silenceHours < 1 || c.silenceHours > 24 * 7) bad('silenceHours', 'an integer between 1 and 168');
  if (!/^[a-z][a-z0-9-]{1,20}$/.test(c.prefix)) bad('prefix', 'lowercase letters, digits and dashes, 2–21 characters (it starts every bucket name)');
  return c;
}

/** Deterministic names: the workload stacks refer to central resources by name, never through stack exports. */
export function names(c: Pick<DeployConfig, 'prefix' | 'centralAccount'>, region: string) {
  const p = c.prefix;
  const acct = c.centralAccount;
  return {
    landingBucket: `${p}-landing-${acct}-${region}`,
    vaultBucket: `${p}-vault-${acct}-${region}`,
    lakeBucket: `${p}-lake-${acct}-${region}`,
    accessLogsBucket: `${p}-access-logs-${acct}-${region}`,
    athenaResultsBucket: `${p}-athena-results-${acct}-${region}`,
    bus: `${p}-governance`,
    busArn: `arn:aws:events:${region}:${acct}:event-bus/${p}-governance`,
    logsDestination: `${p}-rds-audit`,
    logsDestinationArn: `arn:aws:logs:${region}:${acct}:destination:${p}-rds-audit`,
    /** The central role the enable workflow runs as; member roles trust exactly this ARN. */
    enableRoleName: `${p}-enable-${region}`,
    enableRoleArn: `arn:aws:iam::${acct}:role/${p}-enable-${region}`,
    /** The role each member account offers the central workflow. */
    memberRoleName: `${p}-member-${region}`,
    outcomesTable: `${p}-rds-enable-outcomes`,
    glueDatabase: `${p.replace(/-/g, '_')}`,
    workgroup: `${p}`,
  };
}

/** Key prefixes in the landing bucket, one per pipeline (S3 notification filters may not overlap). */
export const LANDING_PREFIX = { redshift: 'redshift/', cloudtrail: 'cloudtrail/', firehose: 'firehose/rds/', sqlserver: 'sqlserver/' } as const;
