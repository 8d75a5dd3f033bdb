/**
 * The CloudTrail columns of the `api_calls` view: who (user ARN, type, access key, session issuer, MFA,
 * assumed role), from where (user agent, VPC endpoint, TLS), on what (every resource) and what kind of call
 * (read-only, management, category) — the fields investigators filter on, as columns instead of `raw` JSON.
 *
 * They are derived in the view from the stored record text (`raw`, secrets already redacted), not stored:
 * the lake stays one schema for every log type, lakes written before these columns existed answer them too,
 * and a query that names none of them pays nothing (the projection is pruned).
 */

/** One derived column: its name, DuckDB type, CloudTrail path (JSONPath) and what it means. */
export interface ApiColumn {
  name: string;
  type: string;
  /** JSONPath into the record; '' for columns computed from other columns. */
  path: string;
  about: string;
  /** SQL from `path`; default: the text at `path`. */
  sql?: (path: string) => string;
}

/** The JSON value at `path` of the record. try(): a record that is not JSON gives NULL, not a failed query. */
const json = (path: string) => `try(json_extract("raw", '${path}'))`;
const text = (path: string) => `try(json_extract_string("raw", '${path}'))`;
const bool = (path: string) => `TRY_CAST(${text(path)} AS BOOLEAN)`;
const stamp = (path: string) => `TRY_CAST(${text(path)} AS TIMESTAMP)`;

/** A member of an unexpected shape (an object where a list belongs) reads as NULL, not a query error. */
const RESOURCES_SQL = (path: string) =>
  `list_transform(try(from_json(${json(path)}, '[{"ARN":"VARCHAR","type":"VARCHAR","accountId":"VARCHAR"}]')), ` +
  `r -> struct_pack(arn := r.ARN, type := r.type, account_id := r.accountId))`;

const ISSUER = '$.userIdentity.sessionContext.sessionIssuer';

export const API_COLUMNS: readonly ApiColumn[] = [
  { name: 'user_type', type: 'VARCHAR', path: '$.userIdentity.type', about: 'IAMUser, AssumedRole, Root, FederatedUser, AWSService, AWSAccount, SAMLUser, WebIdentityUser, IdentityCenterUser, Unknown' },
  { name: 'user_arn', type: 'VARCHAR', path: '$.userIdentity.arn', about: 'ARN of the principal (for an assumed role: the session ARN)' },
  { name: 'principal_id', type: 'VARCHAR', path: '$.userIdentity.principalId', about: 'unique id of the principal (`AROA…:session` for a role session)' },
  { name: 'user_account_id', type: 'VARCHAR', path: '$.userIdentity.accountId', about: 'account that owns the principal (differs from `recipient_account` on cross-account calls)' },
  { name: 'user_name', type: 'VARCHAR', path: '$.userIdentity.userName', about: 'IAM user name, root alias, or `HIDDEN_DUE_TO_SECURITY_REASONS`' },
  { name: 'access_key_id', type: 'VARCHAR', path: '$.userIdentity.accessKeyId', about: 'access key used (`AKIA…` long-term, `ASIA…` temporary)' },
  { name: 'invoked_by', type: 'VARCHAR', path: '$.userIdentity.invokedBy', about: 'the AWS service that made the call on the principal\'s behalf' },
  { name: 'identity_provider', type: 'VARCHAR', path: '$.userIdentity.identityProvider', about: 'SAML / web identity provider' },
  {
    name: 'session_issuer', type: 'STRUCT(type VARCHAR, name VARCHAR, arn VARCHAR, account_id VARCHAR, principal_id VARCHAR)', path: ISSUER,
    about: 'who issued the temporary credentials (the role, user or root): `session_issuer.arn`, `.name`, `.type`, `.account_id`, `.principal_id`; NULL without one',
    // One parse of the record, then of the small issuer object per member.
    sql: (p) =>
      `(SELECT CASE WHEN json_type(f) = 'OBJECT' THEN struct_pack(type := f->>'type', name := f->>'userName', ` +
      `arn := f->>'arn', account_id := f->>'accountId', principal_id := f->>'principalId') END FROM (SELECT ${json(p)} AS f))`,
  },
  { name: 'mfa_authenticated', type: 'BOOLEAN', path: '$.userIdentity.sessionContext.attributes.mfaAuthenticated', about: 'the session\'s credentials were obtained with MFA', sql: bool },
  { name: 'session_created', type: 'TIMESTAMP', path: '$.userIdentity.sessionContext.attributes.creationDate', about: 'when the temporary credentials were issued (UTC)', sql: stamp },
  { name: 'source_identity', type: 'VARCHAR', path: '$.userIdentity.sessionContext.sourceIdentity', about: 'source identity set at AssumeRole (follows a person through role chains)' },
  {
    name: 'assumed_role', type: 'STRUCT(role_arn VARCHAR, role_name VARCHAR, session_name VARCHAR, session_created TIMESTAMP, mfa_authenticated BOOLEAN, source_identity VARCHAR)', path: '',
    about: 'for `user_type = \'AssumedRole\'` only: `assumed_role.role_arn`, `.role_name`, `.session_name` (from the session ARN), `.session_created`, `.mfa_authenticated`, `.source_identity`',
    sql: () =>
      `(SELECT CASE WHEN u->>'type' = 'AssumedRole' THEN struct_pack(role_arn := u->>'$.sessionContext.sessionIssuer.arn', ` +
      `role_name := u->>'$.sessionContext.sessionIssuer.userName', session_name := NULLIF(regexp_extract(u->>'arn', ':assumed-role/[^/]+/(.+)$', 1), ''), ` +
      `session_created := TRY_CAST(u->>'$.sessionContext.attributes.creationDate' AS TIMESTAMP), ` +
      `mfa_authenticated := TRY_CAST(u->>'$.sessionContext.attributes.mfaAuthenticated' AS BOOLEAN), source_identity := u->>'$.sessionContext.sourceIdentity') END ` +
      `FROM (SELECT ${json('$.userIdentity')} AS u))`,
  },
  { name: 'session_credential_from_console', type: 'BOOLEAN', path: '$.sessionCredentialFromConsole', about: 'the call came from an AWS Management Console session', sql: bool },
  { name: 'user_agent', type: 'VARCHAR', path: '$.userAgent', about: 'client (console, SDK and version, CLI, AWS service)' },
  { name: 'vpc_endpoint_id', type: 'VARCHAR', path: '$.vpcEndpointId', about: 'VPC endpoint the call came through' },
  { name: 'vpc_endpoint_account_id', type: 'VARCHAR', path: '$.vpcEndpointAccountId', about: 'account owning that VPC endpoint' },
  { name: 'tls_version', type: 'VARCHAR', path: '$.tlsDetails.tlsVersion', about: '`TLSv1.2`, `TLSv1.3` …' },
  { name: 'tls_cipher_suite', type: 'VARCHAR', path: '$.tlsDetails.cipherSuite', about: 'negotiated cipher suite' },
  { name: 'tls_host_header', type: 'VARCHAR', path: '$.tlsDetails.clientProvidedHostHeader', about: 'service endpoint host name the client used' },
  { name: 'resources', type: 'STRUCT(arn VARCHAR, type VARCHAR, account_id VARCHAR)[]', path: '$.resources', about: 'every resource of the call, in order (`resources[1].arn`; `list_contains(list_transform(resources, r -> r.arn), \'…\')`); NULL when the record has none', sql: RESOURCES_SQL },
  { name: 'read_only', type: 'BOOLEAN', path: '$.readOnly', about: 'the call only reads', sql: bool },
  { name: 'management_event', type: 'BOOLEAN', path: '$.managementEvent', about: 'management (control-plane) event; false for data events', sql: bool },
  { name: 'event_category', type: 'VARCHAR', path: '$.eventCategory', about: '`Management`, `Data`, `NetworkActivity`, `Insight`' },
  { name: 'event_type', type: 'VARCHAR', path: '$.eventType', about: '`AwsApiCall`, `AwsServiceEvent`, `AwsConsoleSignIn`, `AwsConsoleAction`, `AwsCloudTrailInsight`' },
  { name: 'event_source', type: 'VARCHAR', path: '$.eventSource', about: 'service endpoint, e.g. `redshift.amazonaws.com`' },
  { name: 'event_version', type: 'VARCHAR', path: '$.eventVersion', about: 'CloudTrail record format version' },
  { name: 'recipient_account', type: 'VARCHAR', path: '$.recipientAccountId', about: 'account that received the event' },
  { name: 'shared_event_id', type: 'VARCHAR', path: '$.sharedEventID', about: 'the same id in every account that received a cross-account event: join on it' },
  { name: 'cloudtrail_event_id', type: 'VARCHAR', path: '$.eventID', about: 'CloudTrail\'s `eventID` (`event_id` is auditlake\'s hash of it)' },
  { name: 'request_id', type: 'VARCHAR', path: '$.requestID', about: 'the service\'s request id' },
  { name: 'error_message', type: 'VARCHAR', path: '$.errorMessage', about: 'error text (`error_code` has the code)' },
];

/**
 * `SELECT … FROM (relation)` adding the CloudTrail columns to `relation`'s columns. Each column reads `raw` on its
 * own: DuckDB prunes the columns a query does not name, so `group by user_arn` parses each record once, and
 * `count(*)` not at all (one json_extract of every path was 1.7× slower for one column: it cannot be pruned).
 */
export function apiColumnsSql(relation: string): string {
  const cols = API_COLUMNS.map((c) => `CAST(${c.sql ? c.sql(c.path) : text(c.path)} AS ${c.type}) AS ${c.name}`);
  return `SELECT *, ${cols.join(', ')} FROM (${relation})`;
}
