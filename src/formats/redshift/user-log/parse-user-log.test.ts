import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUserLogLine } from './parse-user-log.js';
import { renderUserLogLine } from './render-user-log.js';

// Real lines (research/formats.md A.5).
const LINES = [
  '1|rdsdb | |alter |1|1|1|9223372036854775807|14872|1061|Thu, 3 Dec 2020 10:18:38:416',
  '100|awsuser | |create |1|1|0|9223372036854775807|14888|1080|Thu, 3 Dec 2020 10:18:38:695',
  '104|jaibir | |create |0|0|0|9223372036854775807|1073774976|983539|Wed, 9 Oct 2024 12:16:28:157',
];

test('real user-log lines parse, keep valuntil exactly as text, and round-trip', () => {
  for (const line of LINES) assert.equal(renderUserLogLine(parseUserLogLine(line, 1)), line);
  const r = parseUserLogLine(LINES[1], 2);
  assert.deepEqual(r, {
    userid: '100',
    username: 'awsuser',
    oldusername: '',
    action: 'create',
    usecreatedb: '1',
    usesuper: '1',
    usecatupd: '0',
    valuntil: '9223372036854775807',
    pid: '14888',
    xid: '1080',
    recordtime: Date.parse('2020-12-03T10:18:38.695Z'),
  });
  assert.equal(typeof r.valuntil, 'string');
});

test('rename and drop, as in the STL_USERLOG documentation example', () => {
  const rename = '102|userlog2 |userlog1 |rename |1|1|0|9223372036854775807|5678|2001|Thu, 3 Dec 2020 10:20:00:000';
  const r = parseUserLogLine(rename, 3);
  assert.equal(r.action, 'rename');
  assert.equal(r.username, 'userlog2');
  assert.equal(r.oldusername, 'userlog1');
  assert.equal(renderUserLogLine(r), rename);
  const drop = renderUserLogLine({ userid: '102', username: 'userlog2', action: 'drop', pid: '5678', xid: '2002', recordtime: Date.parse('2020-12-03T10:21:00Z') });
  assert.equal(drop, '102|userlog2 | |drop |0|0|0|9223372036854775807|5678|2002|Thu, 3 Dec 2020 10:21:00:000');
  assert.equal(parseUserLogLine(drop, 1).action, 'drop');
});

test('errors name line and field', () => {
  assert.throws(() => parseUserLogLine('1|rdsdb | |alter |1|1|1', 4), /user log line 4: 7 fields, expected 11/);
  assert.throws(() => parseUserLogLine(LINES[0].replace('Thu, 3 Dec', 'Thu, 3 Dex'), 9), /user log line 9: field 11 \(recordtime\) "Thu, 3 Dex 2020 10:18:38:416" is not a Redshift timestamp/);
  assert.throws(() => parseUserLogLine(LINES[0].replace('|1061|', '|x|'), 2), /field 10 \(xid\) "x" is not an integer/);
  assert.throws(() => parseUserLogLine(LINES[0].replace('|alter |', '| |'), 3), /user log line 3: field 4 \(action\) "" is empty/);
});
