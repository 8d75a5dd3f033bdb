import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { LOG_TYPES } from '../../core/event.js';
import { FILE_COLUMNS, PARTITION_COLUMNS } from '../../sinks/lake/schema.js';
import { names, type DeployConfig } from './config.js';

/** Where the lake lives in its bucket (the S3 home's `lake/` directory). */
export const LAKE_PREFIX = 'lake/'; // the S3 home is the lake bucket's root (src/aws/lake-incoming.ts LAKE_PREFIX)

const GLUE_TYPE: Record<string, string> = { VARCHAR: 'string', TIMESTAMP: 'timestamp', BOOLEAN: 'boolean', INTEGER: 'int', BIGINT: 'bigint', DATE: 'date' };

/**
 * The Glue database and one `events` table over the lake's Hive layout, with partition projection so no crawler
 * or MSCK REPAIR is ever needed: log_type enum, account injected (hundreds of accounts would overflow an enum's
 * metadata limit), region enum of the deployed regions, date projected from 2020-01-01 to NOW. All partition
 * columns are strings (account ids may start with 0). Columns come from the lake's own schema module.
 */
export function catalog(scope: Construct, c: DeployConfig, region: string, lake: s3.IBucket, results: s3.IBucket, key: kms.IKey): { database: glue.CfnDatabase; table: glue.CfnTable; workgroup: athena.CfnWorkGroup } {
  const n = names(c, region);
  const account = Stack.of(scope).account;
  const database = new glue.CfnDatabase(scope, 'GlueDatabase', { catalogId: account, databaseInput: { name: n.glueDatabase, description: 'auditlake: database audit events (Parquet lake)' } });
  const location = `s3://${lake.bucketName}/${LAKE_PREFIX}`;
  const table = new glue.CfnTable(scope, 'EventsTable', {
    catalogId: account,
    databaseName: n.glueDatabase,
    tableInput: {
      name: 'events',
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        classification: 'parquet',
        'parquet.compression': 'ZSTD',
        'projection.enabled': 'true',
        'projection.log_type.type': 'enum',
        'projection.log_type.values': LOG_TYPES.join(','),
        'projection.account.type': 'injected',
        'projection.region.type': 'enum',
        'projection.region.values': c.regions.join(','),
        'projection.date.type': 'date',
        'projection.date.format': 'yyyy-MM-dd',
        'projection.date.range': '2020-01-01,NOW',
        'projection.date.interval': '1',
        'projection.date.interval.unit': 'DAYS',
        'storage.location.template': `${location}log_type=\${log_type}/account=\${account}/region=\${region}/date=\${date}/`,
      },
      partitionKeys: PARTITION_COLUMNS.map(([name]) => ({ name, type: 'string' })),
      storageDescriptor: {
        location,
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        columns: FILE_COLUMNS.map(([name, type]) => ({ name, type: GLUE_TYPE[type] ?? 'string' })),
      },
    },
  });
  table.addDependency(database);
  const workgroup = new athena.CfnWorkGroup(scope, 'Workgroup', {
    name: n.workgroup,
    description: 'auditlake: queries over the lake; results encrypted with the vault CMK',
    state: 'ENABLED',
    recursiveDeleteOption: false,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: `s3://${results.bucketName}/results/`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        expectedBucketOwner: account,
      },
    },
  });
  return { database, table, workgroup };
}
