/**
 * The six real Redshift files (test/fixtures/redshift-test-drive): exact record counts from the fixture README,
 * and parse → render reproduces every file byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import { createLineSplitter } from '../line-splitter.js';
import { parseConnectionLogLine } from './connection-log/parse-connection-log.js';
import { renderConnectionLogLine } from './connection-log/render-connection-log.js';
import { createActivityLogParser } from './activity-log/parse-activity-log.js';
import { renderActivityLogRecord } from './activity-log/render-activity-log.js';

const DIR = join(repoRoot, 'test/fixtures/redshift-test-drive');
const name = (type: string, hour: string) => `accountid_redshift_us-east-1_redshift-cluster-1_${type}_2020-06-10T${hour}_24.gz`;
const COUNTS: Array<[string, number, number]> = [
  ['15', 51, 1009],
  ['16', 18, 1648],
  ['17', 18, 1652],
];

function bytes(file: string): Buffer {
  return gunzipSync(readFileSync(join(DIR, file)));
}

/** Feeds `buf` through the real splitter in small chunks, as a stream would. */
function eachLine(buf: Buffer, fn: (text: string, line: number) => void): void {
  const s = createLineSplitter(fn);
  for (let off = 0; off < buf.length; off += 4096) s.push(buf.subarray(off, off + 4096));
  s.end();
}

for (const [hour, connections, activities] of COUNTS) {
  test(`connection log ${hour}_24: ${connections} records, exact round trip`, () => {
    const original = bytes(name('connectionlog', hour));
    const out: string[] = [];
    eachLine(original, (text, line) => out.push(renderConnectionLogLine(parseConnectionLogLine(text, line)) + '\n'));
    assert.equal(out.length, connections);
    assert.ok(Buffer.from(out.join(''), 'utf8').equals(original));
  });

  test(`user activity log ${hour}_24: ${activities} records, exact round trip`, () => {
    const original = bytes(name('useractivitylog', hour));
    const out: string[] = [];
    const problems: string[] = [];
    const p = createActivityLogParser((e) => out.push(renderActivityLogRecord(e.record) + '\n'), (x) => problems.push(x.reason));
    eachLine(original, (text, line) => p.line(text, line));
    p.end();
    assert.deepEqual(problems, []);
    assert.equal(out.length, activities);
    assert.ok(Buffer.from(out.join(''), 'utf8').equals(original));
  });
}
