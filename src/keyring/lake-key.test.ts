import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasErrorCode } from '../core/errors.js';
import { resolveHome } from '../core/home.js';
import { openHomeLakeKey, rewrapHomeLakeKey } from './lake-key.js';
import { openKeyring } from './open-keyring.js';

test('lake key: none without a keyring; created wrapped (0600) once keys exist; needs key access; survives a rewrap', async () => {
  const root = await mkdtemp(join(tmpdir(), 'auditlake-lakekey-'));
  try {
    const home = resolveHome(root, {});
    const env = { AUDITLAKE_PASSPHRASE: 'pw' };
    assert.equal(await openHomeLakeKey(home, { create: true, env }), null, 'no keyring: the demo runs without a lake key');
    const kr = openKeyring(home, env);
    await kr.create({ alias: 'alias/A' });
    await kr.create({ alias: 'alias/B' });
    const k1 = await openHomeLakeKey(home, { create: true, env });
    assert.equal(k1?.length, 32);
    const file = join(home.keys, 'lake-key.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.ok(!(await readFile(file, 'utf8')).includes(k1!.toString('base64')));
    assert.ok((await openHomeLakeKey(home, { env }))!.equals(k1!));
    await assert.rejects(openHomeLakeKey(home, { env: { AUDITLAKE_PASSPHRASE: 'nope' } }), (e) => hasErrorCode(e, 'E_KEY'));
    assert.equal(await rewrapHomeLakeKey(home, kr, 'alias/B'), true);
    await kr.disable('alias/A');
    assert.ok((await openHomeLakeKey(home, { env, keyring: kr }))!.equals(k1!));
    await kr.disable('alias/B');
    await assert.rejects(openHomeLakeKey(home, { env, keyring: kr }), (e: Error) => hasErrorCode(e, 'E_KEY') && /disabled/.test(e.message));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
