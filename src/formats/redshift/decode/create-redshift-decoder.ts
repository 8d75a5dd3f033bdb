import { AuditlakeError } from '../../../core/errors.js';
import type { ObjectDecoder, ObjectKeyInfo } from '../../types.js';
import { createActivityLogDecoder } from './activity-log-decoder.js';
import { createConnectionLogDecoder } from './connection-log-decoder.js';
import { createUserLogDecoder } from './user-log-decoder.js';

/** The decoder for a Redshift object, chosen by the format parseObjectKey() found in its key. */
export function createRedshiftDecoder(info: ObjectKeyInfo): ObjectDecoder {
  switch (info.format) {
    case 'redshift-connectionlog':
      return createConnectionLogDecoder(info);
    case 'redshift-userlog':
      return createUserLogDecoder(info);
    case 'redshift-useractivitylog':
      return createActivityLogDecoder(info);
    default:
      throw new AuditlakeError('E_USAGE', `redshift decoder: ${info.key} is a ${info.format} object, not a Redshift log`);
  }
}
