import { AuditlakeError } from '../core/errors.js';
import { createCloudTrailDecoder } from './cloudtrail/decoder.js';
import { createFirehoseDecoder } from './cloudwatch-firehose/decoder.js';
import { createPgLogDecoder } from './pgaudit/decoder.js';
import { createActivityLogDecoder, createConnectionLogDecoder, createUserLogDecoder } from './redshift/decode/index.js';
import { createServerAuditDecoder } from './server-audit/decoder.js';
import type { ObjectDecoder, ObjectKeyInfo } from '../core/decode.js';

/**
 * The decoder for one object, chosen by the format its key revealed (src/formats/object-key).
 * Every decoder takes the decompressed bytes in chunks and returns events and malformed records;
 * none holds a whole object in memory.
 *
 * PostgreSQL and MariaDB logs stored as objects (e.g. RDS log files copied to a bucket) are decoded
 * with the server name taken from `info.cluster`; a PostgreSQL log named `.json` is jsonlog, `.csv` csvlog, and
 * anything else the stderr format (RDS's default `postgresql.log.*` files).
 */
export function createDecoder(info: ObjectKeyInfo): ObjectDecoder {
  switch (info.format) {
    case 'redshift-connectionlog':
      return createConnectionLogDecoder(info);
    case 'redshift-userlog':
      return createUserLogDecoder(info);
    case 'redshift-useractivitylog':
      return createActivityLogDecoder(info);
    case 'cloudtrail':
      return createCloudTrailDecoder(info);
    case 'postgres-pgaudit':
      return createPgLogDecoder(info.pgLog ?? pgDestination(info.key), liveContext(info));
    case 'mariadb-server-audit':
      return createServerAuditDecoder(liveContext(info));
    case 'cloudwatch-firehose':
      return createFirehoseDecoder({ account: info.account, region: info.region, sourceObject: info.key });
    default: {
      // Exhaustiveness: a new SourceFormat without a decoder fails to compile here.
      const never: never = info.format;
      throw new AuditlakeError('E_USAGE', `decoder: ${info.key}: no decoder for format ${String(never)}`);
    }
  }
}

function pgDestination(key: string): 'jsonlog' | 'csvlog' | 'stderr' {
  if (/\.json(?:\.gz)?$/i.test(key)) return 'jsonlog';
  return /\.csv(?:\.gz)?$/i.test(key) ? 'csvlog' : 'stderr';
}

function liveContext(info: ObjectKeyInfo): { server: string; account: string; region: string; sourceObject: string } {
  return { server: info.cluster, account: info.account, region: info.region, sourceObject: info.key };
}
