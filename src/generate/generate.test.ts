import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { createGunzip } from 'node:zlib';
import { isUnknownKey, parseObjectKey } from '../formats/object-key/parse-object-key.js';
import { createDecoder } from '../formats/decoder.js';
import type { DecodeResult, ObjectDecoder } from '../core/decode.js';
import { generate } from './generate.js';
import type { GenerateResult } from './types.js';

const SMALL = { accounts: 2, days: 2, activityMb: 1 } as const;
let dir: string;
let a: GenerateResult;

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(root, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
  }
  return out.sort();
}

async function digestTree(root: string): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const f of await listFiles(root)) m.set(f, createHash('sha256').update(await readFile(join(root, f))).digest('hex'));
  return m;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditlake-gen-'));
  a = await generate({ out: join(dir, 'a'), seed: 42, ...SMALL });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('same seed → byte-identical files; another seed → different files', async () => {
  await generate({ out: join(dir, 'b'), seed: 42, ...SMALL });
  await generate({ out: join(dir, 'c'), seed: 43, ...SMALL });
  const [ta, tb, tc] = await Promise.all(['a', 'b', 'c'].map((d) => digestTree(join(dir, d))));
  assert.ok(ta.size > 50, `expected many objects, got ${ta.size}`);
  assert.deepEqual([...tb.entries()], [...ta.entries()]);
  const sameBytes = [...tc.entries()].filter(([k, v]) => ta.get(k) === v).length;
  assert.equal(sameBytes, 0, 'a different seed must change every object (account ids differ)');
});

test('every key is in the real layout and parses with parseObjectKey', async () => {
  const files = (await listFiles(join(dir, 'a'))).filter((f) => f !== 'manifest.json');
  assert.deepEqual(files, [...a.keys].sort());
  const accounts = new Map(a.manifest.accounts.map((m) => [m.account, m]));
  for (const key of files) {
    const info = parseObjectKey(key);
    assert.ok(!isUnknownKey(info), `unknown key ${key}`);
    const m = accounts.get(info.account);
    assert.ok(m, `account ${info.account} of ${key} not in manifest`);
    if (info.format === 'cloudtrail') {
      assert.match(key, /^AWSLogs\/\d{12}\/CloudTrail\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/);
    } else {
      assert.equal(info.region, m.region);
      assert.ok(m.clusters.includes(info.cluster), `cluster ${info.cluster}`);
      assert.match(key, /^AWSLogs\/\d{12}\/redshift\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/\d{12}_redshift_[a-z0-9-]+_[a-z0-9-]+_(connectionlog|userlog|useractivitylog)_\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\.gz$/);
    }
  }
});

test('the real decoders read back exactly the manifest counts, with nothing malformed', async () => {
  type Tally = { connection: number; user: number; activity: number; api: number; failed: Record<string, number>; changes: Record<string, number>; afterHours: number };
  const tallies = new Map<string, Tally>();
  const malformed: string[] = [];
  for (const key of a.keys) {
    const info = parseObjectKey(key);
    if (isUnknownKey(info)) throw new Error(key);
    const decoder: ObjectDecoder = createDecoder(info);
    let t = tallies.get(info.account);
    if (!t) tallies.set(info.account, (t = { connection: 0, user: 0, activity: 0, api: 0, failed: {}, changes: {}, afterHours: 0 }));
    const take = (rs: DecodeResult[]): void => {
      for (const r of rs) {
        if (r.kind === 'malformed') {
          malformed.push(`${key}:${r.line}: ${r.reason}`);
          continue;
        }
        const e = r.event;
        t[e.logType]++;
        if (e.logType === 'connection' && e.action === 'authentication failure') t.failed[e.user ?? ''] = (t.failed[e.user ?? ''] ?? 0) + 1;
        if (e.logType === 'user') t.changes[e.action] = (t.changes[e.action] ?? 0) + 1;
      }
    };
    for await (const chunk of createReadStream(join(dir, 'a', key)).pipe(createGunzip())) take(decoder.push(chunk as Buffer));
    take(decoder.end());
  }
  assert.deepEqual(malformed, []);
  for (const m of a.manifest.accounts) {
    const t = tallies.get(m.account)!;
    assert.equal(t.connection, m.connectionlog.records, `${m.account} connection`);
    assert.equal(t.user, m.userlog.records, `${m.account} user`);
    assert.equal(t.activity, m.useractivitylog.records, `${m.account} activity`);
    assert.equal(t.api, m.cloudtrail.uniqueEvents, `${m.account} api`);
    assert.deepEqual(t.failed, m.failedLoginsByUser);
    assert.deepEqual(t.changes, m.userChangesByAction);
  }
});

test('the scenario has the stories the demo asks about', () => {
  const m = a.manifest;
  const sum = (f: (x: (typeof m.accounts)[number]) => number): number => m.accounts.reduce((s, x) => s + f(x), 0);
  assert.ok(sum((x) => x.failedLogins) >= 20, 'failed logins (a burst per cluster at least)');
  assert.ok(sum((x) => x.userChanges) >= 4, 'user changes');
  assert.ok(sum((x) => x.secretStatements) >= 1, 'secret-bearing statements');
  assert.ok(sum((x) => x.multiLineStatements) >= 100, 'multi-line SQL');
  assert.ok(sum((x) => x.cloudtrail.auditLoggingCalls) >= 4, 'audit-logging API calls');
  assert.ok(sum((x) => x.cloudtrail.errors) >= 1, 'API errors');
  assert.ok(a.secrets.length >= 1);
  // Volume follows --activity-mb (1 MB here), give or take the organic traffic.
  const mb = m.totals.useractivitylog.bytes / 1e6;
  assert.ok(mb > 0.5 && mb < 4, `activity volume ${mb} MB`);
});

test('the manifest on disk is the one returned and holds no planted secret', async () => {
  const text = await readFile(join(dir, 'a', 'manifest.json'), 'utf8');
  assert.deepEqual(JSON.parse(text), a.manifest);
  for (const s of a.secrets) assert.ok(!text.includes(s), 'secret in manifest');
});

test('refuses to write over an earlier run and rejects bad options', async () => {
  await assert.rejects(generate({ out: join(dir, 'a'), seed: 42, ...SMALL }), /already exists/);
  await assert.rejects(generate({ out: join(dir, 'x'), seed: 42, accounts: 0, days: 1 }), /--accounts/);
  await assert.rejects(generate({ out: join(dir, 'x'), seed: 42, accounts: 1, days: 1, start: '2026-13-45' }), /--start/);
});
