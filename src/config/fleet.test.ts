import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadFleetConfig, parseFleetConfig } from './fleet.js';

test('a fleet file: defaults and relative log paths resolved against the fleet file', () => {
  const f = parseFleetConfig('databases:\n  - { name: db1, url: "postgres://postgres@h:5432/postgres", passwordEnv: PW, log: pg.csv }\n', '/srv/fleet.yaml');
  assert.equal(f.databases[0].log, '/srv/pg.csv');
  assert.equal(f.driftCheckSeconds, 300);
  assert.deepEqual(f.retry, { attempts: 6, baseMs: 1000, maxMs: 60_000 });
});

test('fleet errors name the file, the place and the key, and refuse a password in the file', () => {
  assert.throws(() => parseFleetConfig('retry: { tries: 3 }\n', 'f.yaml'), { code: 'E_USAGE', message: 'fleet f.yaml retry: unknown key "tries" (allowed: attempts, baseMs, maxMs)' });
  assert.throws(() => parseFleetConfig('databases: [\n', 'f.yaml'), { code: 'E_USAGE', message: /^fleet f\.yaml: not valid YAML: / });
  assert.throws(() => loadFleetConfig(join(tmpdir(), 'no-such-auditlake-fleet.yaml')), { code: 'E_IO', message: /^fleet .*no-such-auditlake-fleet\.yaml: cannot read: / });
  assert.throws(() => parseFleetConfig('databases:\n  - { name: db1, url: "postgres://u:hunter2@h/db" }\n', 'f.yaml'), (err: Error) => {
    assert.match(err.message, /put the password in an environment variable/);
    assert.doesNotMatch(err.message, /hunter2/);
    return true;
  });
});
