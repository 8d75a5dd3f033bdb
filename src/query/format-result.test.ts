import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, formatResult, truncateCell } from './format-result.js';

const result = {
  columns: ['user', 'n', 'big', 'time', 'statement', 'ok'],
  rows: [
    ['alice', 3n, 9007199254740993n, '2026-10-01T12:00:00.000Z', 'select "a",\nb', true],
    [null, 0n, -1n, null, 'x'.repeat(100), null],
  ],
};

test('csv: RFC 4180 quoting, CRLF records, NULL as empty, BIGINT exact', () => {
  const csv = [...formatResult(result, 'csv')].join('');
  assert.equal(csv, 'user,n,big,time,statement,ok\r\n' + 'alice,3,9007199254740993,2026-10-01T12:00:00.000Z,"select ""a"",\nb",true\r\n' + `,0,-1,,${'x'.repeat(100)},\r\n`);
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a\rb'), '"a\rb"');
});

test('json: one object per line; BIGINT a number while exact, else a string', () => {
  const lines = [...formatResult(result, 'json')].join('').trimEnd().split('\n');
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0]);
  assert.deepEqual(first, { user: 'alice', n: 3, big: '9007199254740993', time: '2026-10-01T12:00:00.000Z', statement: 'select "a",\nb', ok: true });
  assert.equal(JSON.parse(lines[1]).user, null);
});

test('table: long cells cut (table mode only), newlines shown as ⏎, row count printed', () => {
  const out = [...formatResult(result, 'table', 20)].join('');
  assert.match(out, /select "a",⏎b/);
  assert.ok(out.includes('x'.repeat(19) + '…'));
  assert.ok(!out.includes('x'.repeat(21)));
  assert.match(out, /\(2 rows\)\n$/);
  assert.match(out, /NULL/);
  assert.equal(truncateCell('abc', 10), 'abc');
});

test('json: JSON columns nest as values, other text stays text', () => {
  const r = { columns: ['details', 'note', 'bad'], rows: [['{"a":{"b":[1,2]},"c":"x"}', '{"a":1}', '{oops'], [null, null, 'null']], jsonColumns: [0, 2] };
  const lines = [...formatResult(r, 'json')].join('').trim().split('\n').map((l) => JSON.parse(l) as unknown);
  assert.deepEqual(lines, [{ details: { a: { b: [1, 2] }, c: 'x' }, note: '{"a":1}', bad: '{oops' }, { details: null, note: null, bad: null }]);
});
