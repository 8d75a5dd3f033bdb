/**
 * Throughput of the user-activity-log decoder alone (no gunzip, no lake): builds a ~100 MB buffer from the real
 * fixture files (xids renumbered per copy so records differ), feeds it in 64 KiB chunks (CHUNK=bytes to change; zlib streams emit 16–64 KiB), prints MB/s.
 * Run: npx tsx test/bench/activity-decoder.bench.ts [MB]
 * PARSE_ONLY=1 measures splitting + record parsing alone (no classification, redaction, ids or events).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../helpers/repo-root.js';
import { createActivityLogDecoder } from '../../src/formats/redshift/decode/activity-log-decoder.js';
import { createLineSplitter } from '../../src/formats/line-splitter.js';
import { createActivityLogParser } from '../../src/formats/redshift/activity-log/parse-activity-log.js';
import type { ObjectDecoder, DecodeResult } from '../../src/core/decode.js';
import { parseObjectKey, isUnknownKey } from '../../src/formats/object-key/parse-object-key.js';

const targetMb = Number(process.argv[2] ?? 100);
const dir = join(repoRoot, 'test/fixtures/redshift-test-drive');
const seed = readdirSync(dir)
  .filter((f) => f.includes('useractivitylog'))
  .map((f) => gunzipSync(readFileSync(join(dir, f))).toString('utf8'))
  .join('');

const parts: Buffer[] = [];
let bytes = 0;
for (let copy = 0; bytes < targetMb * 1e6; copy++) {
  const b = Buffer.from(seed.replace(/ xid=(\d+) \]/g, (_, x: string) => ` xid=${copy}${x} ]`));
  parts.push(b);
  bytes += b.length;
}
const input = Buffer.concat(parts);
const info = parseObjectKey('accountid_redshift_us-east-1_redshift-cluster-1_useractivitylog_2020-06-10T15_24.gz');
if (isUnknownKey(info)) throw new Error(info.unknown);

/** Splitter + parser behind the decoder interface; each record counted as one (empty) result. */
function parseOnly(): ObjectDecoder {
  let n = 0;
  const parser = createActivityLogParser(() => n++, () => n++);
  const splitter = createLineSplitter((text, line) => parser.line(text, line));
  const take = (): DecodeResult[] => {
    const r = new Array<DecodeResult>(n);
    n = 0;
    return r;
  };
  return {
    push: (chunk) => (splitter.push(chunk), take()),
    end: () => (splitter.end(), parser.end(), take()),
  };
}

for (let run = 0; run < Number(process.env.RUNS ?? 5); run++) {
  const dec = process.env.PARSE_ONLY ? parseOnly() : createActivityLogDecoder(info);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let events = 0;
  const CHUNK = Number(process.env.CHUNK ?? 65536);
  for (let off = 0; off < input.length; off += CHUNK) events += dec.push(input.subarray(off, off + CHUNK)).length;
  events += dec.end().length;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  // CPU time too: on a shared 2-core machine wall time also measures the neighbours.
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  console.log(
    `run ${run + 1}: ${(input.length / 1e6).toFixed(1)} MB, ${events} records in ${s.toFixed(2)} s wall = ` +
      `${(input.length / 1e6 / s).toFixed(0)} MB/s, ${(events / s / 1e3).toFixed(0)} k records/s; ` +
      `${cpu.toFixed(2)} s CPU = ${(input.length / 1e6 / cpu).toFixed(0)} MB/s per core`,
  );
}
