/**
 * A CloudTrail record as CloudTrail writes it (formats.md B.3/B.4). Only the fields auditlake reads
 * are typed; every other field is kept as-is (records are never narrowed to this shape).
 */
export interface CloudTrailUserIdentity {
  type?: string;
  userName?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  invokedBy?: string;
  identityProvider?: string;
  sessionContext?: {
    sessionIssuer?: { type?: string; userName?: string; arn?: string; accountId?: string; principalId?: string };
    attributes?: Record<string, unknown>;
    webIdFederationData?: Record<string, unknown>;
    sourceIdentity?: string;
  };
  [field: string]: unknown;
}

export interface CloudTrailResource {
  ARN?: string;
  accountId?: string;
  type?: string;
}

export interface CloudTrailRecord {
  eventVersion?: string;
  userIdentity?: CloudTrailUserIdentity | null;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown> | null;
  requestID?: string;
  eventID?: string;
  eventType?: string;
  readOnly?: boolean;
  resources?: CloudTrailResource[];
  recipientAccountId?: string;
  insightDetails?: Record<string, unknown>;
  [field: string]: unknown;
}
