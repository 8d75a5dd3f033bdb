/** Legacy Redshift log-delivery account per Region (bucket-policy principal arn:aws:iam::<id>:user/logs). */
export const REDSHIFT_LEGACY_ACCOUNTS: Record<string, string> = {
  'us-east-1': '193672423079', 'us-east-2': '391106570357', 'us-west-1': '262260360010', 'us-west-2': '902366379725',
  'af-south-1': '365689465814', 'ap-east-1': '313564881002', 'ap-northeast-1': '404641285394', 'ap-northeast-2': '760740231472',
  'ap-northeast-3': '090321488786', 'ap-south-1': '865932855811', 'ap-southeast-1': '361669875840', 'ap-southeast-2': '762762565011',
  'ca-central-1': '907379612154', 'eu-central-1': '053454850223', 'eu-north-1': '729911121831', 'eu-south-1': '945612479654',
  'eu-west-1': '210876761215', 'eu-west-2': '307160386991', 'eu-west-3': '915173422425', 'me-south-1': '013126148197',
  'sa-east-1': '075028567923',
};

export interface PolicyInput { central: string; accounts: string[]; region: string; landingBucket: string; vaultBucket: string; lakeBucket: string }
type Statement = Record<string, unknown>;
const doc = (Statement: Statement[]) => ({ Version: '2012-10-17', Statement });
const tlsOnly = (bucket: string): Statement => ({ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });

/** Landing bucket: Redshift (service principal and legacy regional account) may write each account's own prefix only. */
export function landingBucketPolicy(p: PolicyInput) {
  const legacy = REDSHIFT_LEGACY_ACCOUNTS[p.region];
  const st: Statement[] = [{ Sid: 'RedshiftGetBucketAcl', Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${p.landingBucket}` }];
  for (const a of p.accounts) {
    st.push({
      Sid: `RedshiftPut${a}`, Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${p.landingBucket}/AWSLogs/${a}/*`,
      Condition: { StringEquals: { 'aws:SourceAccount': a }, ArnLike: { 'aws:SourceArn': `arn:aws:redshift:${p.region}:${a}:*` } },
    });
  }
  if (legacy) st.push({ Sid: 'RedshiftLegacyDelivery', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${legacy}:user/logs` }, Action: ['s3:PutObject', 's3:GetBucketAcl'], Resource: [`arn:aws:s3:::${p.landingBucket}`, ...p.accounts.map((a) => `arn:aws:s3:::${p.landingBucket}/AWSLogs/${a}/*`)] });
  st.push(tlsOnly(p.landingBucket));
  return doc(st);
}

/** Vault bucket: nobody deletes an object version (Object Lock does the rest); TLS only. */
export function vaultBucketPolicy(p: PolicyInput) {
  return doc([
    { Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutLifecycleConfiguration', 's3:BypassGovernanceRetention'], Resource: [`arn:aws:s3:::${p.vaultBucket}`, `arn:aws:s3:::${p.vaultBucket}/*`] },
    tlsOnly(p.vaultBucket),
  ]);
}

/** KMS key policy: the central account administers; use confined by kms:EncryptionContext to each account's objects. */
export function kmsKeyPolicy(p: PolicyInput) {
  return doc([
    { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${p.central}:root` }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:TagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'], Resource: '*' },
    ...p.accounts.map((a) => ({
      Sid: `Use${a}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${p.central}:role/auditlake-landing-to-vault` }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:auditlake:object': `AWSLogs/${a}/*` } },
    })),
    { Sid: 'S3BucketKey', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${p.central}:role/auditlake-landing-to-vault` }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': `s3.${p.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${p.vaultBucket}`, `arn:aws:s3:::${p.lakeBucket}`] } } },
  ]);
}

/** IAM role policy of the landing-to-vault / firehose / cloudtrail handlers: read landing, write vault + lake, no delete. */
export function handlerRolePolicy(p: PolicyInput) {
  return doc([
    { Sid: 'ReadLanding', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${p.landingBucket}`, `arn:aws:s3:::${p.landingBucket}/*`] },
    { Sid: 'WriteVault', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'], Resource: `arn:aws:s3:::${p.vaultBucket}/*` },
    { Sid: 'WriteLake', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${p.lakeBucket}`, `arn:aws:s3:::${p.lakeBucket}/*`] },
  ]);
}

export function allPolicies(p: PolicyInput) {
  return { landingBucketPolicy: landingBucketPolicy(p), vaultBucketPolicy: vaultBucketPolicy(p), kmsKeyPolicy: kmsKeyPolicy(p), handlerRolePolicy: handlerRolePolicy(p) };
}
