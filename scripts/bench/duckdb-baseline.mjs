// Baseline: DuckDB reads the same .gz files line by line, splits the header with one regex and writes
// Parquet (zstd) — the SQL of research/deps-and-limits.md §2.4. Continuation lines of multi-line SQL are
// dropped (this simple form cannot append them), so it does less work than the real parser.
// Usage: node duckdb-baseline.mjs <out.parquet> <file.gz>...   Prints {"rows": N}.
import { DuckDBInstance } from '@duckdb/node-api';

const [out, ...files] = process.argv.slice(2);
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const src =
  `read_csv([${files.map(q).join(',')}], columns={'line':'VARCHAR'}, delim='\x01', quote='', escape='', ` +
  `header=false, auto_detect=false, strict_mode=false, max_line_size=10000000)`;
const parse =
  `select s.ts::TIMESTAMPTZ as ts, s.db, s."user", s.pid::BIGINT pid, s.userid::INTEGER userid, s.xid::BIGINT xid, s.query ` +
  `from (select regexp_extract(line, '^''(\\S+) UTC \\[ db=(\\S*) user=(\\S*) pid=(\\d+) userid=(\\d+) xid=(\\d+) \\]'' LOG: (.*)$', ` +
  `['ts','db','user','pid','userid','xid','query']) s from ${src}) where s.ts <> ''`;
const db = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
const con = await db.connect();
await con.run(`COPY (${parse}) TO ${q(out)} (FORMAT parquet, COMPRESSION zstd)`);
const rows = await con.runAndReadAll(`select count(*) from read_parquet(${q(out)})`);
process.stdout.write(JSON.stringify({ rows: Number(rows.getRows()[0][0]) }) + '\n');
