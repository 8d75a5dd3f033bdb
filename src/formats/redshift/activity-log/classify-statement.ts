/**
 * Best-effort reading of a Redshift statement: its verb (the event `action`) and the object it touches.
 * Runs on every activity-log record, so it looks only at the first MAX_SCAN characters and uses a handful
 * of anchored regexes; it never parses SQL properly (nor needs to: the full statement is kept).
 */

const MAX_SCAN = 4096;

/** Identifier, optionally schema/database qualified, each part bare or double-quoted. */
const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_#][\w$#]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_#][\w$#]*))*`;

/** Account-management statements: action is two words (`CREATE USER`), object the user/group/role. */
const PRINCIPAL = new RegExp(String.raw`^(CREATE|ALTER|DROP)\s+(USER|GROUP|ROLE)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(${IDENT}|'[^']*')?`, 'i');
const GRANTEE = new RegExp(String.raw`\b(?:TO|FROM)\s+(?:GROUP\s+|ROLE\s+)?(${IDENT})`, 'i');
const DDL = new RegExp(
  String.raw`^(?:CREATE|DROP|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:(?:LOCAL\s+)?(?:TEMP|TEMPORARY)\s+|EXTERNAL\s+|MATERIALIZED\s+)?` +
    String.raw`(?:TABLE|VIEW|SCHEMA|DATABASE|FUNCTION|PROCEDURE|DATASHARE|LIBRARY|MODEL)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(${IDENT})`,
  'i',
);
const INTO = new RegExp(String.raw`^INSERT\s+INTO\s+(${IDENT})`, 'i');
const UPDATE = new RegExp(String.raw`^UPDATE\s+(${IDENT})`, 'i');
const DELETE = new RegExp(String.raw`^DELETE\s+(?:FROM\s+)?(${IDENT})`, 'i');
const TRUNCATE = new RegExp(String.raw`^TRUNCATE\s+(?:TABLE\s+)?(${IDENT})`, 'i');
const COPY = new RegExp(String.raw`^COPY\s+(${IDENT})`, 'i');
const FROM = new RegExp(String.raw`\bFROM\s+(${IDENT})`, 'i');

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export interface StatementInfo {
  /** First keyword upper-cased (`SELECT`), two for account management (`CREATE USER`); `UNKNOWN` if none. */
  action: string;
  /** The table, view, schema, user… the statement names first, as written minus quotes; null if unknown. */
  object: string | null;
}

/** Skips leading whitespace, `--` and `/* *\/` comments and opening parentheses. */
function skipLeading(sql: string): number {
  let i = 0;
  const n = sql.length;
  for (;;) {
    while (i < n && (sql.charCodeAt(i) <= 32 || sql.charCodeAt(i) === 40)) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      if (nl < 0) return n;
      i = nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return n;
      i = end + 2;
    } else {
      return i;
    }
  }
}

function clean(name: string | undefined): string | null {
  if (!name) return null;
  // Most names are plain `schema.table`: skip the replaces unless there is whitespace or a quote to remove.
  if (/^[\w$#.]+$/.test(name)) return name;
  const stripped = name.replace(/\s*\.\s*/g, '.');
  return stripped.includes('"') || stripped.includes("'") ? stripped.replace(/^'|'$/g, '').replace(/"((?:[^"]|"")+)"/g, (_, s: string) => s.replace(/""/g, '"')) : stripped;
}

function pick(re: RegExp, s: string): string | null {
  const m = re.exec(s);
  return m ? clean(m[1]) : null;
}

/** Classifies one statement (see module doc). */
export function classifyStatement(sql: string): StatementInfo {
  const start = skipLeading(sql);
  const s = start === 0 && sql.length <= MAX_SCAN ? sql : sql.slice(start, start + MAX_SCAN);
  let end = 0;
  while (end < s.length && isLetter(s.charCodeAt(end))) end++;
  if (end === 0) return { action: 'UNKNOWN', object: null };
  const verb = s.slice(0, end).toUpperCase();
  switch (verb) {
    case 'SELECT':
    case 'WITH':
      return { action: verb, object: pick(FROM, s) };
    case 'INSERT':
      return { action: verb, object: pick(INTO, s) };
    case 'UPDATE':
      return { action: verb, object: pick(UPDATE, s) };
    case 'DELETE':
      return { action: verb, object: pick(DELETE, s) };
    case 'TRUNCATE':
      return { action: verb, object: pick(TRUNCATE, s) };
    case 'COPY':
      return { action: verb, object: pick(COPY, s) };
    case 'GRANT':
    case 'REVOKE':
      return { action: verb, object: pick(GRANTEE, s) };
    case 'CREATE':
    case 'ALTER':
    case 'DROP': {
      const p = PRINCIPAL.exec(s);
      if (p) return { action: `${verb} ${p[2].toUpperCase()}`, object: clean(p[3]) };
      return { action: verb, object: pick(DDL, s) };
    }
    default:
      return { action: verb, object: null };
  }
}
