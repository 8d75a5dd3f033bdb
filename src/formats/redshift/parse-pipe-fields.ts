import { fieldError } from './parse-error.js';
import { encodeField, trimField, type FieldKind, type Verbatim } from './pipe-fields.js';
import { formatRedshiftTimestamp, parseRedshiftTimestamp } from './timestamp.js';

/** What differs between the `|`-separated logs (connection log, user log) when their fields are mapped. */
export interface PipeLogSpec {
  /** Name for error messages, e.g. `connection log`. */
  log: string;
  /** Known columns in file order. */
  columns: ReadonlyArray<{ name: string; kind: FieldKind }>;
  /** Index of `recordtime`, parsed to UTC epoch ms. */
  timeIndex: number;
  /** The problem with a known column's right-trimmed value (`is not an integer`), or undefined when it is fine. */
  check(index: number, value: string): string | undefined;
}

/**
 * Maps the `|`-split fields of one line onto `rec` by position: right-trimmed values under their column names,
 * `recordtime` as epoch ms, fields beyond the known columns as `extra`, and in `verbatim` the exact text of every
 * field whose bytes differ from the canonical encoding (so render(parse(line)) === line).
 * Throws AuditlakeError E_PARSE naming the line and field.
 */
export function mapPipeFields(raw: readonly string[], lineNo: number, spec: PipeLogSpec, rec: Record<string, unknown>): void {
  const known = spec.columns.length;
  let verbatim: Verbatim | undefined;
  let extra: string[] | undefined;
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i];
    const value = trimField(text);
    let canonical: string;
    if (i === spec.timeIndex) {
      const t = parseRedshiftTimestamp(value);
      if (t === null) throw fieldError(spec.log, lineNo, i, 'recordtime', value, 'is not a Redshift timestamp');
      rec.recordtime = t;
      canonical = formatRedshiftTimestamp(t);
    } else if (i < known) {
      const col = spec.columns[i];
      const problem = spec.check(i, value);
      if (problem) throw fieldError(spec.log, lineNo, i, col.name, value, problem);
      rec[col.name] = value;
      canonical = encodeField(value, col.kind);
    } else {
      (extra ??= []).push(value);
      canonical = value;
    }
    if (text !== canonical) (verbatim ??= {})[i] = text;
  }
  if (extra) rec.extra = extra;
  if (verbatim) rec.verbatim = verbatim;
}
