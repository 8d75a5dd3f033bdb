import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchActivityHeader, parseActivityLog, type ActivityLogEntry, type ActivityLogProblem } from './parse-activity-log.js';
import { renderActivityLogRecord } from './render-activity-log.js';

// Real records, research/formats.md A.6 (RTD 2020 file lines 5–12 and the SFX 5-line record).
const RTD = `'2020-06-10T14:27:03Z UTC [ db=dev user=rdsdb pid=15826 userid=1 xid=1129 ]' LOG: SELECT pg_catalog.stv_gui_status.system_status AS system_status FROM pg_catalog.stv_gui_status;
'2020-06-10T14:27:03Z UTC [ db=dev user=rdsdb pid=15832 userid=1 xid=1132 ]' LOG: SELECT d.datname as "Name",
       u.usename as "Owner",
       pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding"
FROM pg_catalog.pg_database d
  LEFT JOIN pg_catalog.pg_user u ON d.datdba = u.usesysid
ORDER BY 1;
'2020-06-10T14:27:03Z UTC [ db=dev user=rdsdb pid=15826 userid=1 xid=1133 ]' LOG: SET query_group to ''
`;

const isEntry = (x: ActivityLogEntry | ActivityLogProblem): x is ActivityLogEntry => 'record' in x;

function roundTrip(text: string): string {
  return parseActivityLog(text)
    .map((x) => (isEntry(x) ? renderActivityLogRecord(x.record) : x.text))
    .join('\n') + '\n';
}

test('multi-line SQL stays in one record, byte-exact, with the first line number', () => {
  const out = parseActivityLog(RTD);
  assert.equal(out.length, 3);
  assert.ok(out.every(isEntry));
  const [a, b, c] = out as ActivityLogEntry[];
  assert.deepEqual([a.line, b.line, c.line], [1, 2, 8]);
  assert.equal(b.record.sql.split('\n').length, 6);
  assert.ok(b.record.sql.startsWith('SELECT d.datname as "Name",\n       u.usename'));
  assert.deepEqual(
    { ...c.record },
    { time: Date.parse('2020-06-10T14:27:03Z'), db: 'dev', user: 'rdsdb', pid: '15826', userid: '1', xid: '1133', sql: "SET query_group to ''" },
  );
  assert.equal(roundTrip(RTD), RTD);
});

test('a line containing " LOG: ", a quote or a quoted timestamp does not start a record', () => {
  const text =
    `'2020-06-10T14:38:40Z UTC [ db=dev user=awsuser pid=16934 userid=100 xid=1484 ]' LOG: INSERT INTO notes VALUES (\n` +
    `' LOG: this is data',\n` +
    `'2020-06-10T14:27:03Z UTC is not a header',\n` +
    ` '2020-06-10T14:27:03Z UTC [ db=dev user=x pid=1 userid=1 xid=1 ]' LOG: indented, so data\n` +
    `'2020-06-10T14:27:03Z UTC [ db=dev user=x pid=NaN userid=1 xid=1 ]' LOG: bad pid, so data\n` +
    `x LOG: y)\n` +
    `'2020-06-10T14:39:01Z UTC [ db=dev user=awsuser pid=16934 userid=100 xid=1499 ]' LOG: DROP TABLE Messages\n`;
  const out = parseActivityLog(text) as ActivityLogEntry[];
  assert.equal(out.length, 2);
  assert.equal(out[0].record.sql.split('\n').length, 6);
  assert.equal(out[1].line, 7);
  assert.equal(out[1].record.sql, 'DROP TABLE Messages');
  assert.equal(roundTrip(text), text);
});

test('names with spaces, empty SQL lines and trailing blank lines round-trip', () => {
  const text =
    `'2020-06-10T14:38:40Z UTC [ db=my db user=IAM:alice smith pid=1073742045 userid=104 xid=983539 ]' LOG: select 1\n` +
    `\n` +
    `\t-- tab and blank line above\n` +
    `\n`;
  const [e] = parseActivityLog(text) as ActivityLogEntry[];
  assert.equal(e.record.db, 'my db');
  assert.equal(e.record.user, 'IAM:alice smith');
  assert.equal(e.record.sql, 'select 1\n\n\t-- tab and blank line above\n');
  assert.equal(roundTrip(text), text);
});

test('lines before the first header are one malformed problem, records after it are kept', () => {
  const text = `garbage\nmore garbage\n${RTD}`;
  const out = parseActivityLog(text);
  assert.equal(out.length, 4);
  const p = out[0] as ActivityLogProblem;
  assert.equal(p.line, 1);
  assert.match(p.reason, /user activity log lines 1-2: text before the first record header/);
  assert.equal(p.text, 'garbage\nmore garbage');
  assert.equal((out[1] as ActivityLogEntry).line, 3);
});

test('a header with an impossible time is a problem naming the line; its neighbours are kept', () => {
  const bad = RTD.replace("'2020-06-10T14:27:03Z UTC [ db=dev user=rdsdb pid=15832", "'2020-06-31T14:27:03Z UTC [ db=dev user=rdsdb pid=15832");
  const out = parseActivityLog(bad);
  assert.equal(out.length, 3);
  assert.ok(isEntry(out[0]) && isEntry(out[2]));
  assert.match((out[1] as ActivityLogProblem).reason, /user activity log line 2: field recordtime "2020-06-31T14:27:03Z"/);
});

test('matchActivityHeader gives the SQL offset', () => {
  const line = RTD.split('\n')[0];
  const h = matchActivityHeader(line)!;
  assert.equal(line.slice(h.sqlStart), 'SELECT pg_catalog.stv_gui_status.system_status AS system_status FROM pg_catalog.stv_gui_status;');
  assert.equal(matchActivityHeader(line.replace(' LOG: ', ' LOG:')), null);
});

test('a record over the size cap becomes one problem; the next record is kept', async () => {
  const { createActivityLogParser } = await import('./parse-activity-log.js');
  const got: Array<ActivityLogEntry | ActivityLogProblem> = [];
  const p = createActivityLogParser((e) => got.push(e), (x) => got.push(x), { maxRecordChars: 200, maxProblemChars: 50 });
  const lines = [
    "'2020-06-10T14:27:03Z UTC [ db=dev user=u pid=1 userid=100 xid=1 ]' LOG: insert into t values",
    ...Array.from({ length: 10 }, () => "('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'),"),
    "'2020-06-10T14:27:04Z UTC [ db=dev user=u pid=1 userid=100 xid=2 ]' LOG: select 1",
  ];
  lines.forEach((l, i) => p.line(l, i + 1));
  p.end();
  assert.equal(got.length, 2);
  const problem = got[0] as ActivityLogProblem;
  assert.equal(problem.line, 1);
  assert.match(problem.reason, /user activity log line 1: record longer than 200 characters \(11 lines\)/);
  assert.ok(problem.text.length < 120);
  assert.equal((got[1] as ActivityLogEntry).line, 12);
});

test('header fields containing keywords are split the way the anchored regex would', () => {
  const h = matchActivityHeader("'2020-06-10T14:27:03Z UTC [ db=d user=a pid=x pid=5 userid=1 xid=2 ]' LOG: select 1")!;
  assert.deepEqual({ ...h, sqlStart: 0 }, { timeText: '2020-06-10T14:27:03Z', db: 'd', user: 'a pid=x', pid: '5', userid: '1', xid: '2', sqlStart: 0 });
  const e = matchActivityHeader("'2020-06-10T14:27:03Z UTC [ db= user= pid=1 userid=1 xid=2 ]' LOG: ")!;
  assert.equal(e.db, '');
  assert.equal(e.user, '');
  assert.equal(matchActivityHeader("'2020-06-10T14:27:03Z UTC [ db=d user=a pid=1 userid=1 xid=2 ]'LOG: x"), null);
  assert.equal(matchActivityHeader("'2020-06-1xT14:27:03Z UTC [ db=d user=a pid=1 userid=1 xid=2 ]' LOG: x"), null);
});

test('a line the splitter cut makes its record a problem naming that line', async () => {
  const { createActivityLogParser } = await import('./parse-activity-log.js');
  const got: Array<ActivityLogEntry | ActivityLogProblem> = [];
  const p = createActivityLogParser((e) => got.push(e), (x) => got.push(x));
  p.line("'2020-06-10T14:27:03Z UTC [ db=dev user=u pid=1 userid=100 xid=1 ]' LOG: select", 1);
  p.line('xxxxxxxx', 2, true);
  p.line("'2020-06-10T14:27:04Z UTC [ db=dev user=u pid=1 userid=100 xid=2 ]' LOG: select 1", 3);
  p.end();
  assert.equal(got.length, 2);
  assert.match((got[0] as ActivityLogProblem).reason, /user activity log line 1: line 2 of this record is too long and was cut/);
  assert.equal((got[1] as ActivityLogEntry).record.xid, '2');
});

test('header times across seconds, minutes and days; second 60 is invalid even within a known minute', () => {
  const h = (t: string, x: number) => `'${t} UTC [ db=dev user=u pid=1 userid=100 xid=${x} ]' LOG: select ${x}`;
  const text = [h('2020-06-10T23:59:03Z', 1), h('2020-06-10T23:59:59Z', 2), h('2020-06-10T23:59:60Z', 3), h('2020-06-11T00:00:00Z', 4)].join('\n') + '\n';
  const out = parseActivityLog(text);
  assert.equal((out[0] as ActivityLogEntry).record.time, Date.parse('2020-06-10T23:59:03Z'));
  assert.equal((out[1] as ActivityLogEntry).record.time, Date.parse('2020-06-10T23:59:59Z'));
  assert.match((out[2] as ActivityLogProblem).reason, /line 3: field recordtime "2020-06-10T23:59:60Z"/);
  assert.equal((out[3] as ActivityLogEntry).record.time, Date.parse('2020-06-11T00:00:00Z'));
});
