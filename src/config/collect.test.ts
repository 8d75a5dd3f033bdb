import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadCollectConfig, parseCollectConfig } from './collect.js';

test('a collect config: defaults, sizes, and relative log paths resolved against the config file', () => {
  const c = parseCollectConfig('sources:\n  - { name: pg1, type: postgres, log: logs/pg*.csv }\nbuffer: { maxBytes: 2MiB }\n', '/etc/auditlake/collect.yaml');
  assert.equal(c.sources[0].log, '/etc/auditlake/logs/pg*.csv');
  assert.equal(c.sources[0].format, 'csvlog');
  assert.equal(c.maxBytes, 2 * 1024 * 1024);
  assert.equal(c.maxEvents, 5000);
});

test('collect config errors name the file, the place and the key', () => {
  assert.throws(() => parseCollectConfig('sources:\n  - { name: pg1, type: postgres, log: x, colour: red }\n', 'c.yaml'), {
    code: 'E_USAGE',
    message: 'collect config c.yaml sources[0]: unknown key "colour" (allowed: name, type, log, format, server, account, region, utcOffsetMinutes, startAt)',
  });
  assert.throws(() => parseCollectConfig('sources: [\n', 'c.yaml'), { code: 'E_USAGE', message: /^collect config c\.yaml: not valid YAML: / });
  assert.throws(() => loadCollectConfig(join(tmpdir(), 'no-such-auditlake-collect.yaml')), { code: 'E_IO', message: /^collect config .*no-such-auditlake-collect\.yaml: cannot read: / });
});
