/**
 * The report's and users' SQL is written for DuckDB; Athena runs Trino. This rewrites the DuckDB-only constructs the
 * report uses into Trino's equivalents, token-aware (string literals and quoted identifiers are never touched):
 *   WITH x AS MATERIALIZED (…)         → WITH x AS (…)
 *   strftime(t, '%Y-%m-%dT%H:%M:%SZ')  → date_format(t, '%Y-%m-%dT%H:%i:%sZ')   (MySQL-style minutes/seconds)
 *   regexp_matches(s, re)              → regexp_like(s, re)
 *   json_extract_string(j, p)          → json_extract_scalar(j, p)
 *   string_agg([DISTINCT] x, sep)      → array_join(array_agg([DISTINCT] x), sep)
 *   time_bucket(INTERVAL n MINUTE, t)  → from_unixtime(floor(to_unixtime(t) / (n*60)) * (n*60))
 *   INTERVAL n UNIT                    → INTERVAL 'n' UNIT
 * Anything else passes unchanged (most of DuckDB's SQL — FILTER, GROUPING SETS, try_cast — is also Trino's).
 */
export function toTrino(sql: string): string {
  let out = mapOutsideLiterals(sql, (s) => s
    .replace(/\bAS\s+MATERIALIZED\s*\(/gi, 'AS (')
    .replace(/\bregexp_matches\s*\(/gi, 'regexp_like(')
    .replace(/\bjson_extract_string\s*\(/gi, 'json_extract_scalar(')
    .replace(/\bstrftime\s*\(/gi, 'date_format('));
  out = rewriteCalls(out, 'string_agg', (args) => `array_join(array_agg(${args[0]}), ${args.slice(1).join(', ') || "','"})`);
  out = rewriteCalls(out, 'time_bucket', (args) => {
    const m = /^INTERVAL\s+'?(\d+)'?\s+(SECOND|MINUTE|HOUR|DAY)S?$/i.exec(args[0]?.trim() ?? '');
    if (!m) return `time_bucket(${args.join(', ')})`;
    const secs = Number(m[1]) * { SECOND: 1, MINUTE: 60, HOUR: 3600, DAY: 86400 }[m[2].toUpperCase() as 'SECOND'];
    return `from_unixtime(floor(to_unixtime(${args[1]}) / ${secs}) * ${secs})`;
  });
  out = mapOutsideLiterals(out, (s) => s.replace(/\bINTERVAL\s+(\d+)\s+(SECOND|MINUTE|HOUR|DAY|MONTH|YEAR)S?\b/gi, "INTERVAL '$1' $2"));
  return out.replace(/date_format\(([^']*?),\s*'([^']*)'\)/g, (_all, e: string, f: string) => `date_format(${e}, '${f.replace(/%M/g, '%i').replace(/%S/g, '%s')}')`);
}

/** Applies `f` to the parts of `sql` outside '…' literals and "…" identifiers. */
function mapOutsideLiterals(sql: string, f: (s: string) => string): string {
  return sql.split(/('(?:[^']|'')*'|"(?:[^"]|"")*")/).map((part, i) => (i % 2 ? part : f(part))).join('');
}

/** Finds `name(` calls outside literals and replaces each with `f(args)`; args split at top-level commas. */
function rewriteCalls(sql: string, name: string, f: (args: string[]) => string): string {
  const re = new RegExp(`\\b${name}\\s*\\(`, 'gi');
  let out = '';
  let pos = 0;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    if (insideLiteral(sql, m.index)) continue;
    const args = splitArgs(sql, m.index + m[0].length);
    if (!args) break;
    out += sql.slice(pos, m.index) + f(args.args.map((a) => rewriteCalls(a, name, f).trim()));
    pos = args.end + 1;
    re.lastIndex = pos;
  }
  return out + sql.slice(pos);
}

function insideLiteral(sql: string, at: number): boolean {
  let q: string | null = null;
  for (let i = 0; i < at; i++) {
    const c = sql[i];
    if (q) { if (c === q) q = null; } else if (c === "'" || c === '"') q = c;
  }
  return q !== null;
}

function splitArgs(sql: string, from: number): { args: string[]; end: number } | null {
  const args: string[] = [];
  let depth = 0;
  let q: string | null = null;
  let start = from;
  for (let i = from; i < sql.length; i++) {
    const c = sql[i];
    if (q) { if (c === q) q = null; continue; }
    if (c === "'" || c === '"') q = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) { args.push(sql.slice(start, i)); return { args, end: i }; }
      depth--;
    } else if (c === ',' && depth === 0) { args.push(sql.slice(start, i)); start = i + 1; }
  }
  return null;
}
