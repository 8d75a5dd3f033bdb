/**
 * Classifies a SQL statement by its leading keywords: the activity `action` (first keyword upper-cased,
 * two for account management: `CREATE USER`), whether it changes users/privileges (log type `user`), and the
 * affected user where it can be read off the text. Best effort; comments and leading `(` are skipped.
 */
const USER_VERBS = /^\s*(CREATE|ALTER|DROP|RENAME)\s+(USER|ROLE|GROUP)\b(?:\s+IF\s+(?:NOT\s+)?EXISTS)?\s*("(?:[^"]|"")+"|'(?:[^'\\]|\\.|'')+'(?:@'(?:[^'\\]|\\.)*')?|`[^`]+`|[^\s;,(]+)?/i;
const GRANTS = /^\s*(GRANT|REVOKE)\b/i;
const SET_PASSWORD = /^\s*SET\s+PASSWORD\b(?:\s+FOR\s+('(?:[^'\\]|\\.)*'(?:@'(?:[^'\\]|\\.)*')?|\S+))?/i;

function stripLeading(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.replace(/^\s+/, '');
    if (t.startsWith('--')) s = t.slice(t.indexOf('\n') + 1 || t.length);
    else if (t.startsWith('/*')) s = t.slice((t.indexOf('*/') + 2) || t.length);
    else if (t.startsWith('(')) s = t.slice(1);
    else return t;
  }
}

export interface SqlVerb {
  action: string;
  isUserChange: boolean;
  /** The user/role affected, unquoted, or null. */
  target: string | null;
}

const unquote = (s: string): string => {
  if (/^".*"$/s.test(s)) return s.slice(1, -1).replace(/""/g, '"');
  if (/^`.*`$/s.test(s)) return s.slice(1, -1);
  if (s.startsWith("'")) return s.replace(/\\'/g, "'").replace(/^'|'$/g, '').replace(/'@'/, '@');
  return s;
};

export function classifySql(sql: string): SqlVerb {
  const s = stripLeading(sql);
  let m = USER_VERBS.exec(s);
  if (m) {
    const action = `${m[1].toUpperCase()} ${m[2].toUpperCase()}`;
    return { action, isUserChange: true, target: m[3] ? unquote(m[3]) : null };
  }
  m = GRANTS.exec(s);
  if (m) {
    // `… TO alice`, `… FROM alice`: the grantee is the affected user
    const g = /\b(?:TO|FROM)\s+("(?:[^"]|"")+"|'(?:[^'\\]|\\.)*'(?:@'(?:[^'\\]|\\.)*')?|[^\s;,]+)/i.exec(s);
    return { action: m[1].toUpperCase(), isUserChange: true, target: g ? unquote(g[1]) : null };
  }
  m = SET_PASSWORD.exec(s);
  if (m) return { action: 'SET PASSWORD', isUserChange: true, target: m[1] ? unquote(m[1]) : null };
  const w = /^([A-Za-z]+)/.exec(s);
  return { action: w ? w[1].toUpperCase() : 'UNKNOWN', isUserChange: false, target: null };
}
