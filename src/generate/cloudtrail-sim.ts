import type { CloudTrailRecord, CloudTrailUserIdentity } from '../formats/cloudtrail/record.js';
import type { Rng } from './prng.js';
import type { AccountSpec } from './roster.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

/** API calls that switch audit logging on or off, or change what it records (the demo's "touching audit logging"). */
export const AUDIT_LOGGING_EVENTS = [
  'EnableLogging',
  'DisableLogging',
  'StartLogging',
  'StopLogging',
  'DeleteTrail',
  'ModifyClusterParameterGroup',
  'ModifyDBParameterGroup',
  'ModifyOptionGroup',
] as const;

/** One CloudTrail log file: records (a duplicate is the same object twice) delivered at `delivery`. */
export interface CloudTrailFile {
  region: string;
  delivery: number;
  unique: string;
  records: CloudTrailRecord[];
}

const CLI_UA = 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.0-26-amd64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard';
const BOTO_UA = 'Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.226-214.880.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144';
const BROWSER_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const iso = (t: number): string => new Date(t).toISOString().slice(0, 19) + 'Z';

/**
 * An account's control plane as CloudTrail records it: monitoring polls, console sign-ins (some failing),
 * role assumptions by people and by the Redshift service, IAM database credentials, and the audit-logging
 * story — a cluster created with logging on, logging disabled at night by a contractor role and re-enabled,
 * the trail stopped, a DeleteTrail refused, audit parameters changed on Redshift, RDS PostgreSQL (pgaudit)
 * and RDS MariaDB (audit plugin option group).
 */
export function createCloudTrailSim(acct: AccountSpec, index: number, rng: Rng, windowStart: number, windowEnd: number) {
  const days = Math.round((windowEnd - windowStart) / DAY);
  const a = acct.account;
  const cluster = acct.clusters[0];
  const storyDay = Math.min(days - 1, Math.floor(days * (0.35 + 0.15 * (index % 3))));
  const ids = new Map<string, string>();
  const stableId = (label: string, prefix: string): string => {
    let v = ids.get(label);
    if (!v) ids.set(label, (v = prefix + rng.fork(`id-${label}`).chars(17, UPPER)));
    return v;
  };
  const officeIp = (who: string): string => `203.0.113.${(who.charCodeAt(0) * 7 + who.length) % 250}`;

  const iamUser = (name: string): CloudTrailUserIdentity => ({
    type: 'IAMUser',
    principalId: stableId(`user-${name}`, 'AIDA'),
    arn: `arn:aws:iam::${a}:user/${name}`,
    accountId: a,
    accessKeyId: stableId(`key-${name}`, 'AKIA').slice(0, 20),
    userName: name,
  });
  const assumedRole = (role: string, sessionName: string, t: number): CloudTrailUserIdentity => {
    const roleId = stableId(`role-${role}`, 'AROA');
    return {
      type: 'AssumedRole',
      principalId: `${roleId}:${sessionName}`,
      arn: `arn:aws:sts::${a}:assumed-role/${role}/${sessionName}`,
      accountId: a,
      accessKeyId: 'ASIA' + rng.chars(16, UPPER),
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${a}:role/${role}`, accountId: a, userName: role },
        webIdFederationData: {},
        attributes: { creationDate: iso(t - rng.int(1, 50) * MINUTE), mfaAuthenticated: 'false' },
      },
    };
  };
  const root = (): CloudTrailUserIdentity => ({ type: 'Root', principalId: a, arn: `arn:aws:iam::${a}:root`, accountId: a, accessKeyId: '' });
  const service = (svc: string): CloudTrailUserIdentity => ({ type: 'AWSService', invokedBy: svc });

  function event(t: number, who: CloudTrailUserIdentity, source: string, name: string, region: string, fields: Partial<CloudTrailRecord>): CloudTrailRecord {
    const byService = who.type === 'AWSService';
    return {
      eventVersion: '1.09',
      userIdentity: who,
      eventTime: iso(t),
      eventSource: source,
      eventName: name,
      awsRegion: region,
      sourceIPAddress: byService ? String(who.invokedBy) : fields.sourceIPAddress ?? officeIp(String(who.userName ?? who.arn ?? 'x')),
      userAgent: byService ? String(who.invokedBy) : fields.userAgent ?? CLI_UA,
      requestParameters: null,
      responseElements: null,
      requestID: rng.uuid(),
      eventID: rng.uuid(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: a,
      eventCategory: 'Management',
      ...(byService ? {} : { tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${source.split('.')[0]}.${region}.amazonaws.com` } }),
      ...fields,
    };
  }

  const clusterArn = `arn:aws:redshift:${acct.region}:${a}:cluster:${cluster.name}`;
  const logging = (t: number, who: CloudTrailUserIdentity, enable: boolean, extra: Partial<CloudTrailRecord> = {}): CloudTrailRecord =>
    event(t, who, 'redshift.amazonaws.com', enable ? 'EnableLogging' : 'DisableLogging', acct.region, {
      requestParameters: enable
        ? { clusterIdentifier: cluster.name, bucketName: `acme-audit-${a}`, logDestinationType: 's3', logExports: ['connectionlog', 'userlog', 'useractivitylog'] }
        : { clusterIdentifier: cluster.name },
      responseElements: extra.errorCode ? null : { loggingEnabled: enable, bucketName: `acme-audit-${a}`, logDestinationType: 's3' },
      ...extra,
    });
  const paramGroup = (t: number, who: CloudTrailUserIdentity, value: 'true' | 'false'): CloudTrailRecord =>
    event(t, who, 'redshift.amazonaws.com', 'ModifyClusterParameterGroup', acct.region, {
      requestParameters: { parameterGroupName: `${cluster.name}-params`, parameters: [{ parameterName: 'enable_user_activity_logging', parameterValue: value, applyType: 'static' }] },
      responseElements: { parameterGroupName: `${cluster.name}-params`, parameterGroupStatus: 'Your parameter group has been updated. If you changed only dynamic parameters, associated clusters are being updated.' },
    });

  function story(dayStart: number, out: CloudTrailRecord[]): void {
    const d = Math.round((dayStart - windowStart) / DAY);
    const ops = iamUser('ops-admin');
    if (cluster.createdAt !== null && d === 0) {
      const c = cluster.createdAt;
      out.push(
        event(c - 12 * MINUTE, ops, 'redshift.amazonaws.com', 'CreateCluster', acct.region, {
          requestParameters: { clusterIdentifier: cluster.name, nodeType: 'ra3.xlplus', numberOfNodes: 2, masterUsername: 'awsuser', masterUserPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS', clusterParameterGroupName: `${cluster.name}-params`, encrypted: true },
          responseElements: { clusterIdentifier: cluster.name, clusterStatus: 'creating', clusterCreateTime: 'Oct 1, 2026 9:02:11 AM', masterUsername: 'awsuser', masterUserPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
          resources: [{ ARN: clusterArn, accountId: a, type: 'AWS::Redshift::Cluster' }],
        }),
        paramGroup(c + 3 * MINUTE, ops, 'true'),
        logging(c + 5 * MINUTE, ops, true),
      );
    }
    if (d === storyDay) {
      // 02:1x: a contractor role switches Redshift audit logging off and stops the trail; the next
      // morning ops turns both back on. A DeleteTrail attempt in between is refused.
      const night = dayStart + 2 * HOUR + rng.int(5, 40) * MINUTE;
      const contractor = assumedRole('ContractorAdmin', 'jdoe-contractor', night);
      const ip = '198.51.100.23';
      out.push(logging(night, contractor, false, { sourceIPAddress: ip, userAgent: BOTO_UA }));
      if (index % 2 === 1) out.push({ ...paramGroup(night + 2 * MINUTE, contractor, 'false'), sourceIPAddress: ip, userAgent: BOTO_UA });
      out.push(
        event(night + 4 * MINUTE, contractor, 'cloudtrail.amazonaws.com', 'StopLogging', acct.region, { requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${a}:trail/org-audit` }, sourceIPAddress: ip, userAgent: BOTO_UA }),
        event(night + 6 * MINUTE, contractor, 'cloudtrail.amazonaws.com', 'DeleteTrail', acct.region, {
          requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${a}:trail/org-audit` },
          errorCode: 'AccessDenied',
          errorMessage: `User: arn:aws:sts::${a}:assumed-role/ContractorAdmin/jdoe-contractor is not authorized to perform: cloudtrail:DeleteTrail on resource: arn:aws:cloudtrail:us-east-1:${a}:trail/org-audit with an explicit deny in a service control policy`,
          sourceIPAddress: ip,
          userAgent: BOTO_UA,
        }),
      );
      const morning = dayStart + 9 * HOUR + rng.int(0, 50) * MINUTE;
      out.push(
        event(morning, ops, 'cloudtrail.amazonaws.com', 'StartLogging', acct.region, { requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${a}:trail/org-audit` } }),
        logging(morning + 2 * MINUTE, ops, true),
      );
      if (index % 2 === 1) out.push(paramGroup(morning + 3 * MINUTE, ops, 'true'));
    }
    if (d === Math.min(days - 1, storyDay + 1)) {
      const t = dayStart + rng.int(10, 16) * HOUR;
      const dba = iamUser(acct.people[1] ?? 'dba');
      out.push(
        event(t, dba, 'rds.amazonaws.com', 'ModifyDBParameterGroup', acct.region, {
          requestParameters: { dBParameterGroupName: 'pg16-audit', parameters: [{ parameterName: 'pgaudit.log', parameterValue: rng.pick(['ddl,role', 'none', 'all']), applyMethod: 'immediate' }] },
          responseElements: { dBParameterGroupName: 'pg16-audit' },
        }),
        event(t + 20 * MINUTE, dba, 'rds.amazonaws.com', 'ModifyOptionGroup', acct.region, {
          requestParameters: { optionGroupName: 'mariadb-audit', optionsToInclude: [{ optionName: 'MARIADB_AUDIT_PLUGIN', optionSettings: [{ name: 'SERVER_AUDIT_EVENTS', value: 'CONNECT,QUERY_DDL' }] }], applyImmediately: true },
          responseElements: { optionGroupName: 'mariadb-audit', engineName: 'mariadb', majorEngineVersion: '10.11' },
        }),
      );
    }
  }

  function routine(dayStart: number, out: CloudTrailRecord[]): void {
    const weekday = new Date(dayStart).getUTCDay() % 6 !== 0;
    const from = cluster.createdAt !== null && cluster.createdAt > dayStart ? cluster.createdAt : dayStart;
    for (let h = 0; h < 24; h += 4) {
      const t = dayStart + h * HOUR + rng.int(1, 59) * MINUTE;
      if (t < from) continue;
      const notFound = rng.chance(0.02);
      out.push(
        event(t, assumedRole('DatadogIntegrationRole', 'datadog-poller', t), 'redshift.amazonaws.com', 'DescribeClusters', acct.region, {
          readOnly: true,
          userAgent: BOTO_UA,
          sourceIPAddress: '3.233.146.17',
          requestParameters: notFound ? { clusterIdentifier: `${cluster.name}-old` } : null,
          ...(notFound ? { errorCode: 'ClusterNotFoundFault', errorMessage: `Cluster ${cluster.name}-old not found.` } : {}),
        }),
      );
      if (h % 8 === 4) {
        out.push(
          event(t + rng.int(1, 30) * 1000, service('redshift.amazonaws.com'), 'sts.amazonaws.com', 'AssumeRole', acct.region, {
            readOnly: true,
            requestParameters: { roleArn: `arn:aws:iam::${a}:role/RedshiftCopy`, roleSessionName: `RedshiftIamRoleSession` },
            responseElements: { credentials: { accessKeyId: 'ASIA' + rng.chars(16, UPPER), sessionToken: 'IQoJb3JpZ2luX2VjE' + rng.chars(40, ALNUM), expiration: 'Oct 2, 2026 3:04:05 AM' } },
            resources: [{ ARN: `arn:aws:iam::${a}:role/RedshiftCopy`, accountId: a, type: 'AWS::IAM::Role' }],
            eventType: 'AwsApiCall',
          }),
        );
      }
    }
    const audit = dayStart + 6 * HOUR + rng.int(0, 30) * MINUTE;
    if (audit >= from) out.push(event(audit, assumedRole('SecurityAuditRole', 'auditlake', audit), 'redshift.amazonaws.com', 'DescribeLoggingStatus', acct.region, { readOnly: true, userAgent: BOTO_UA, requestParameters: { clusterIdentifier: cluster.name } }));
    if (!weekday) return;
    for (const person of acct.people) {
      if (!rng.chance(0.7)) continue;
      const t = dayStart + 8 * HOUR + rng.int(0, 120) * MINUTE;
      out.push(consoleLogin(t, iamUser(person), true));
      if (rng.chance(0.3)) {
        const t2 = t + rng.int(5, 90) * MINUTE;
        out.push(
          event(t2, assumedRole('DataEngineer', person, t2), 'redshift.amazonaws.com', 'GetClusterCredentials', acct.region, {
            readOnly: true,
            requestParameters: { dbUser: person, dbName: 'dev', clusterIdentifier: cluster.name, durationSeconds: 900, autoCreate: false },
            responseElements: { dbUser: `IAM:${person}`, expiration: 'Oct 1, 2026 10:15:00 AM' },
          }),
        );
      }
      if (rng.chance(0.15)) {
        const t3 = t + rng.int(10, 200) * MINUTE;
        out.push(
          event(t3, iamUser(person), 'sts.amazonaws.com', 'AssumeRole', 'us-east-1', {
            readOnly: true,
            requestParameters: { roleArn: `arn:aws:iam::${a}:role/AuditReader`, roleSessionName: person, durationSeconds: 3600 },
            responseElements: { assumedRoleUser: { assumedRoleId: `${stableId('role-AuditReader', 'AROA')}:${person}`, arn: `arn:aws:sts::${a}:assumed-role/AuditReader/${person}` } },
          }),
        );
      }
      if (rng.chance(0.04)) {
        // An analyst tries to switch logging off and is refused.
        const t4 = t + rng.int(30, 300) * MINUTE;
        out.push(logging(t4, iamUser(person), false, { errorCode: 'AccessDenied', errorMessage: `User: arn:aws:iam::${a}:user/${person} is not authorized to perform: redshift:DisableLogging on resource: ${clusterArn} because no identity-based policy allows the redshift:DisableLogging action` }));
      }
    }
    if (rng.chance(0.25)) {
      // Failed sign-ins: CloudTrail hides the user name typed (formats.md B.5) and sets no errorCode.
      const t = dayStart + rng.int(0, 23) * HOUR + rng.int(0, 59) * MINUTE;
      for (let i = rng.int(1, 4); i > 0; i--) out.push(consoleLogin(t + i * rng.int(5, 40) * 1000, { type: 'IAMUser', principalId: '', accountId: a, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }, false));
    }
    if (rng.chance(0.03)) out.push(consoleLogin(dayStart + rng.int(0, 23) * HOUR, root(), true));
  }

  function consoleLogin(t: number, who: CloudTrailUserIdentity, ok: boolean): CloudTrailRecord {
    return event(t, who, 'signin.amazonaws.com', 'ConsoleLogin', 'us-east-1', {
      userAgent: BROWSER_UA,
      sourceIPAddress: ok ? officeIp(String(who.userName ?? 'root')) : `192.0.2.${rng.int(2, 250)}`,
      requestParameters: null,
      responseElements: { ConsoleLogin: ok ? 'Success' : 'Failure' },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAUsed: ok ? 'Yes' : 'No' },
      eventType: 'AwsConsoleSignIn',
      ...(ok ? {} : { errorMessage: 'Failed authentication' }),
      // Sign-in events carry no tlsDetails in CloudTrail's examples; JSON.stringify drops the undefined.
      tlsDetails: undefined,
    });
  }

  /** The files delivered for one day (events of that day, grouped per region and hour). */
  function day(dayStart: number): CloudTrailFile[] {
    const events: CloudTrailRecord[] = [];
    routine(dayStart, events);
    story(dayStart, events);
    const groups = new Map<string, CloudTrailRecord[]>();
    for (const e of events) {
      const t = Date.parse(e.eventTime!);
      if (t >= windowEnd) continue;
      const k = `${e.awsRegion}|${Math.floor(t / HOUR)}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(e);
    }
    const files: CloudTrailFile[] = [];
    for (const k of [...groups.keys()].sort()) {
      const recs = groups.get(k)!.sort((x, y) => x.eventTime!.localeCompare(y.eventTime!));
      // CloudTrail files are not ordered; shuffle a little, and now and then deliver a record twice.
      const out: CloudTrailRecord[] = [];
      for (const r of recs) {
        out.splice(rng.int(Math.max(0, out.length - 2), out.length), 0, r);
        if (rng.chance(0.004)) out.push(r);
      }
      const last = Math.max(...recs.map((r) => Date.parse(r.eventTime!)));
      files.push({ region: k.split('|')[0], delivery: Math.ceil((last + 1) / (5 * MINUTE)) * 5 * MINUTE + 5 * MINUTE, unique: rng.chars(16, ALNUM), records: out });
    }
    return files;
  }

  return { day };
}
