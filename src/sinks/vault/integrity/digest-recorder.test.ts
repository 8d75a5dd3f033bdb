import { generateKeyPairSync } from 'node:crypto';
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFsStore } from '../../../stores/drivers/fs.js';
import { readAll } from '../../../stores/read-all.js';
import type { ObjectStore } from '../../../core/object-store.js';
import { isDigestKey, sha256Hex, type DigestBody } from './digest-format.js';
import { createDigestRecorder, HEAD_FILE } from './digest-recorder.js';
import { FLUSHING_FILE, JOURNAL_FILE } from './journal.js';
import { createSigner, publicKeyFingerprint } from './signing-key.js';
import { verifyVault } from './verify-vault.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-02T00:00:00Z');

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-recorder-'));
  const store = createFsStore({ root: join(dir, 'vault') });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signer = createSigner(privateKey);
  const clock = { t: T0 };
  const stateDir = join(dir, 'state');
  const make = (autoFlush = true) => createDigestRecorder({ store, signer, stateDir, now: () => clock.t, autoFlush });
  const put = async (rec: ReturnType<typeof make>, name: string) => {
    const body = Buffer.from(`body of ${name}`);
    const key = `AWSLogs/1/redshift/us-east-1/2026/11/02/${name}`;
    await store.put(key, body);
    await rec.record({ key, sha256: sha256Hex(body), size: body.length });
  };
  const publicKeys = new Map([[publicKeyFingerprint(publicKey), publicKey]]);
  return { dir, store, stateDir, clock, make, put, publicKeys, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function digests(store: ObjectStore): Promise<DigestBody[]> {
  const out: DigestBody[] = [];
  for await (const o of store.list('AWSLogs/auditlake/')) if (isDigestKey(o.key)) out.push(JSON.parse(gunzipSync(await readAll(await store.get(o.key))).toString()) as DigestBody);
  return out;
}

test('record() seals finished periods by itself (auto flush); idle periods are filled in on the next record', async () => {
  const s = await setup();
  try {
    const rec = s.make();
    s.clock.t = T0 + 10 * 60_000;
    await s.put(rec, 'a');
    s.clock.t = T0 + H + 5 * 60_000;
    await s.put(rec, 'b');
    let d = await digests(s.store);
    assert.deepEqual(d.map((x) => [x.digestEndTime, x.objects.map((o) => o.key.split('/').pop())]), [['2026-11-02T01:00:00Z', ['a']]]);
    s.clock.t = T0 + 4 * H + 1;
    await s.put(rec, 'c');
    d = await digests(s.store);
    assert.deepEqual(d.map((x) => [x.digestEndTime, x.objects.length]), [['2026-11-02T01:00:00Z', 1], ['2026-11-02T02:00:00Z', 1], ['2026-11-02T03:00:00Z', 0], ['2026-11-02T04:00:00Z', 0]]);
    assert.equal(d[1].previousDigestObject, d[0].digestObject);
  } finally {
    await s.cleanup();
  }
});

test('entries survive a restart (journal), a torn last line is ignored, and a crash after the put lists nothing twice', async () => {
  const s = await setup();
  try {
    let rec = s.make(false);
    s.clock.t = T0 + 60_000;
    await s.put(rec, 'a');
    await s.put(rec, 'b');
    await appendFile(join(s.stateDir, JOURNAL_FILE), '{"kind":"object","t":1,"ke'); // crash mid-append
    // A new process: the journal still has both entries.
    rec = s.make(false);
    const before = join(s.dir, 'state-before-flush');
    await cp(s.stateDir, before, { recursive: true });
    s.clock.t = T0 + H + 60_000;
    assert.equal((await rec.flush()).length, 1);
    // Simulate a crash right after the digest put: journal as before the flush, no head file.
    await rm(s.stateDir, { recursive: true });
    await cp(before, s.stateDir, { recursive: true });
    await rm(join(s.stateDir, HEAD_FILE), { force: true });
    rec = s.make(false);
    s.clock.t = T0 + 2 * H + 60_000;
    await s.put(rec, 'c');
    s.clock.t = T0 + 3 * H + 60_000;
    assert.equal((await rec.flush()).length, 2);
    const d = await digests(s.store);
    assert.deepEqual(d.map((x) => x.objects.map((o) => o.key.split('/').pop())), [['a', 'b'], [], ['c']]);
    await assert.rejects(readFile(join(s.stateDir, FLUSHING_FILE)));
    const r = await verifyVault({ store: s.store, publicKeys: s.publicKeys, stateDir: s.stateDir });
    assert.equal(r.problems, 0);
    assert.equal(r.objects.valid, 3);
  } finally {
    await s.cleanup();
  }
});
