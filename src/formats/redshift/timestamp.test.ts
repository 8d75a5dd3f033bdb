import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatActivityTimestamp,
  formatRedshiftTimestamp,
  parseActivityTimestamp,
  parseRedshiftTimestamp,
} from './timestamp.js';

test('parses the real connection-log timestamp as UTC with milliseconds after a colon', () => {
  assert.equal(parseRedshiftTimestamp('Wed, 3 Jun 2020 16:39:42:756'), Date.parse('2020-06-03T16:39:42.756Z'));
  assert.equal(parseRedshiftTimestamp('Thu, 3 Dec 2020 10:18:38:416'), 1606990718416);
});

test('accepts a zero-padded day and ignores a wrong weekday', () => {
  assert.equal(parseRedshiftTimestamp('Sun, 01 Jan 2023 01:05:07:124'), Date.parse('2023-01-01T01:05:07.124Z'));
  // IBM's real sample: 2022-03-16 was a Wednesday.
  assert.equal(parseRedshiftTimestamp('Mon, 16 Mar 2022 08:18:14:766'), Date.parse('2022-03-16T08:18:14.766Z'));
});

test('rejects what is not a Redshift timestamp', () => {
  for (const bad of [
    'Wed, 3 Jux 2020 16:39:42:756',
    'Wed, 3 Jun 2020 16:39:42.756',
    'Wed, 31 Feb 2020 16:39:42:756',
    'Wed, 3 Jun 2020 24:00:00:000',
    '2020-06-03T16:39:42Z',
    '',
  ]) {
    assert.equal(parseRedshiftTimestamp(bad), null, bad);
  }
});

test('formats without zero-padding the day, with the real weekday', () => {
  assert.equal(formatRedshiftTimestamp(Date.parse('2020-06-03T16:39:42.756Z')), 'Wed, 3 Jun 2020 16:39:42:756');
  assert.equal(formatRedshiftTimestamp(Date.parse('2020-06-10T14:27:03.005Z')), 'Wed, 10 Jun 2020 14:27:03:005');
});

test('activity-log header time round-trips at second precision', () => {
  const t = parseActivityTimestamp('2020-06-10T14:27:03Z');
  assert.equal(t, Date.parse('2020-06-10T14:27:03Z'));
  assert.equal(formatActivityTimestamp(t!), '2020-06-10T14:27:03Z');
  assert.equal(formatActivityTimestamp(t! + 999), '2020-06-10T14:27:03Z');
  assert.equal(parseActivityTimestamp('2020-13-10T14:27:03Z'), null);
  assert.equal(parseActivityTimestamp('2020-06-10 14:27:03Z'), null);
});

test('formatActivityTimestamp matches Date#toISOString to the second across days, leap years and pre-1970 times', () => {
  let x = 12345;
  for (let i = 0; i < 200_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const ms = Math.floor((x / 2147483648) * 5e12) - 1e12;
    assert.equal(formatActivityTimestamp(ms), new Date(ms).toISOString().slice(0, 19) + 'Z', String(ms));
  }
});
