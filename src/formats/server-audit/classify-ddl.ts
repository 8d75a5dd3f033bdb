/**
 * Reads a MariaDB/MySQL DDL statement the way pgaudit reports PostgreSQL DDL: the command (`CREATE TABLE`,
 * `ALTER VIEW`, `DROP DATABASE` …) and the affected object, schema-qualified (`appdb.accounts`), so one query
 * (`details->>'class' = 'DDL'`) finds DDL across engines. server_audit logs only the statement text, hence the parse.
 * Modifiers MariaDB allows between the verb and the object type (OR REPLACE, TEMPORARY, UNIQUE, ONLINE, IGNORE,
 * DEFINER=…, ALGORITHM=…, SQL SECURITY …) are skipped. Best effort: null when the statement is not DDL.
 */
export interface DdlVerb {
  /** `CREATE TABLE`, `DROP INDEX`, … (upper case, like pgaudit's command column). */
  command: string;
  /** `TABLE`, `VIEW`, `DATABASE`, … (pgaudit's object type). */
  objectType: string;
  /** `schema.name` (the session's database when unqualified), the database itself for DATABASE/SCHEMA; null if unreadable. */
  object: string | null;
}

const TYPES = 'TABLE|VIEW|INDEX|DATABASE|SCHEMA|PROCEDURE|FUNCTION|TRIGGER|EVENT|SEQUENCE|TABLESPACE|SERVER|PACKAGE(?:\\s+BODY)?';
const MODIFIERS = String.raw`(?:OR\s+REPLACE|TEMPORARY|UNIQUE|FULLTEXT|SPATIAL|ONLINE|OFFLINE|IGNORE|AGGREGATE|DEFINER\s*=\s*(?:'[^']*'(?:@'[^']*')?|\S+)|ALGORITHM\s*=\s*\w+|SQL\s+SECURITY\s+\w+)\s+`;
const NAME = String.raw`(?:\x60(?:[^\x60]|\x60\x60)+\x60|[^\s;,(\x60.]+)`;
const DDL = new RegExp(
  String.raw`^\s*(CREATE|ALTER|DROP|TRUNCATE|RENAME)\s+(?:${MODIFIERS})*(${TYPES})\b(?:\s+IF\s+(?:NOT\s+)?EXISTS)?\s*(${NAME}(?:\s*\.\s*${NAME})?)?`,
  'i',
);

const unquote = (n: string): string => (n.startsWith('`') ? n.slice(1, -1).replace(/``/g, '`') : n);

export function classifyDdl(sql: string, database: string | null): DdlVerb | null {
  // comments before the statement (`/* app */ CREATE …`) are common with ORMs
  const s = sql.replace(/^(?:\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '');
  const m = DDL.exec(s);
  if (!m) {
    // `TRUNCATE t` (TABLE is optional)
    const t = new RegExp(String.raw`^\s*TRUNCATE\s+(${NAME}(?:\s*\.\s*${NAME})?)`, 'i').exec(s);
    return t ? { command: 'TRUNCATE TABLE', objectType: 'TABLE', object: qualify(t[1], database) } : null;
  }
  const objectType = m[2].toUpperCase().replace(/\s+/g, ' ');
  const command = `${m[1].toUpperCase()} ${objectType}`;
  if (!m[3]) return { command, objectType, object: null };
  if (objectType === 'DATABASE' || objectType === 'SCHEMA') return { command, objectType, object: unquote(m[3]) };
  return { command, objectType, object: qualify(m[3], database) };
}

function qualify(name: string, database: string | null): string {
  const parts = name.split(/\s*\.\s*(?=(?:[^`]*`[^`]*`)*[^`]*$)/).map(unquote);
  if (parts.length === 2) return `${parts[0]}.${parts[1]}`;
  return database ? `${database}.${parts[0]}` : parts[0];
}
