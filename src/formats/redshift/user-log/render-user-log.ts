import { formatRedshiftTimestamp } from '../timestamp.js';
import { encodeField, joinFields } from '../pipe-fields.js';
import { USER_LOG_COLUMNS, VALUNTIL_NEVER, type UserLogRecord } from './record.js';

const DEFAULTS: Record<string, string> = { usecreatedb: '0', usesuper: '0', usecatupd: '0', valuntil: VALUNTIL_NEVER };

/**
 * Renders one user-log line exactly as Redshift writes it, without the terminating `\n`, e.g.
 * `100|awsuser | |create |1|1|0|9223372036854775807|14888|1080|Thu, 3 Dec 2020 10:18:38:695`.
 */
export function renderUserLogLine(rec: UserLogRecord): string {
  const extra = rec.extra ?? [];
  const texts = new Array<string>(USER_LOG_COLUMNS.length + extra.length);
  const values = rec as unknown as Record<string, string | undefined>;
  USER_LOG_COLUMNS.forEach((col, i) => {
    texts[i] =
      col.name === 'recordtime'
        ? formatRedshiftTimestamp(rec.recordtime)
        : encodeField(values[col.name] ?? DEFAULTS[col.name] ?? '', col.kind);
  });
  extra.forEach((e, j) => (texts[USER_LOG_COLUMNS.length + j] = e));
  return joinFields(texts, rec.verbatim);
}
