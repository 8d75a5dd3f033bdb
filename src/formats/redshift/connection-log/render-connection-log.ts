import { formatRedshiftTimestamp } from '../timestamp.js';
import { encodeField, joinFields } from '../pipe-fields.js';
import { CONNECTION_LOG_COLUMNS, type ConnectionLogRecord } from './record.js';

const INT_DEFAULTS: Record<string, string> = { duration: '0', mtu: '0', protocol_version: '0' };

function defaultFieldCount(rec: ConnectionLogRecord): number {
  const extra = rec.extra?.length ?? 0;
  if (extra > 0) return 21 + extra;
  const modern =
    rec.os_version !== undefined ||
    rec.driver_version !== undefined ||
    rec.plugin_name !== undefined ||
    rec.protocol_version !== undefined ||
    rec.sessionid !== undefined;
  return modern ? 21 : 16;
}

/**
 * Renders one connection-log line exactly as Redshift writes it, without the terminating `\n`:
 * character fields followed by one space, integers and the timestamp unpadded, no trailing delimiter.
 * For a record from parseConnectionLogLine() the result is byte-identical to the parsed line.
 */
export function renderConnectionLogLine(rec: ConnectionLogRecord): string {
  const count = rec.fieldCount ?? defaultFieldCount(rec);
  const texts = new Array<string>(count);
  const values = rec as unknown as Record<string, string | undefined>;
  for (let i = 0; i < count; i++) {
    if (i === 1) {
      texts[i] = formatRedshiftTimestamp(rec.recordtime);
    } else if (i < CONNECTION_LOG_COLUMNS.length) {
      const col = CONNECTION_LOG_COLUMNS[i];
      texts[i] = encodeField(values[col.name] ?? INT_DEFAULTS[col.name] ?? '', col.kind);
    } else {
      texts[i] = rec.extra?.[i - CONNECTION_LOG_COLUMNS.length] ?? '';
    }
  }
  return joinFields(texts, rec.verbatim);
}
