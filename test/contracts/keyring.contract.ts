import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasErrorCode } from '../../src/core/errors.js';
import type { Keyring } from '../../src/core/keyring.js';

/**
 * The behaviour every Keyring driver must show. Each driver's test file calls this with a factory that returns a
 * fresh, empty keyring (and a cleanup).
 */
export function keyringContract(driver: string, make: () => Promise<{ keyring: Keyring; cleanup: () => Promise<void> }>): void {
  const ctx = { 'auditlake:object': 'AWSLogs/123/redshift/us-east-1/2026/11/24/a.gz.alv' };

  test(`${driver}: create with alias, list, describe, default key`, async () => {
    const { keyring, cleanup } = await make();
    try {
      const a = await keyring.create({ alias: 'alias/RedshiftAuditKey', description: 'seed 000' });
      const b = await keyring.create({ alias: 'alias/Other' });
      assert.deepEqual(a.aliases, ['alias/RedshiftAuditKey']);
      assert.equal(a.enabled, true);
      const all = await keyring.list();
      assert.deepEqual(all.map((k) => k.keyId).sort(), [a.keyId, b.keyId].sort());
      assert.equal((await keyring.describe('alias/RedshiftAuditKey')).keyId, a.keyId);
      await assert.rejects(keyring.create({ alias: 'alias/RedshiftAuditKey' }), (e) => hasErrorCode(e, 'E_EXISTS'));
      await assert.rejects(keyring.create({ alias: 'RedshiftAuditKey' }), (e) => hasErrorCode(e, 'E_USAGE'));
    } finally {
      await cleanup();
    }
  });

  test(`${driver}: data key round trip, bound to its encryption context`, async () => {
    const { keyring, cleanup } = await make();
    try {
      const k = await keyring.create({ alias: 'alias/A' });
      const dk = await keyring.generateDataKey('alias/A', ctx);
      assert.equal(dk.plaintext.length, 32);
      assert.ok(dk.keyId.includes(k.keyId.split('/').pop()!));
      assert.ok(!dk.wrapped.includes(dk.plaintext), 'wrapped blob must not contain the plaintext key');
      const back = await keyring.decrypt(dk.wrapped, ctx);
      assert.ok(back.plaintext.equals(dk.plaintext));
      await assert.rejects(keyring.decrypt(dk.wrapped, { 'auditlake:object': 'elsewhere' }), (e) => hasErrorCode(e, 'E_INTEGRITY'));
      const flipped = Buffer.from(dk.wrapped);
      flipped[flipped.length - 20] ^= 1;
      await assert.rejects(keyring.decrypt(flipped, ctx), (e) => hasErrorCode(e, 'E_INTEGRITY'));
    } finally {
      await cleanup();
    }
  });

  test(`${driver}: rotate keeps old data keys decryptable`, async () => {
    const { keyring, cleanup } = await make();
    try {
      await keyring.create({ alias: 'alias/R' });
      const before = await keyring.generateDataKey('alias/R', ctx);
      await keyring.rotate('alias/R');
      const after = await keyring.generateDataKey('alias/R', ctx);
      assert.ok((await keyring.decrypt(before.wrapped, ctx)).plaintext.equals(before.plaintext));
      assert.ok((await keyring.decrypt(after.wrapped, ctx)).plaintext.equals(after.plaintext));
    } finally {
      await cleanup();
    }
  });

  test(`${driver}: disabled key fails with E_KEY naming key and object; enable restores`, async () => {
    const { keyring, cleanup } = await make();
    try {
      const k = await keyring.create({ alias: 'alias/D' });
      const dk = await keyring.generateDataKey('alias/D', ctx);
      await keyring.disable('alias/D');
      assert.equal((await keyring.describe('alias/D')).enabled, false);
      const idPart = k.keyId.split('/').pop()!;
      for (const p of [keyring.decrypt(dk.wrapped, ctx), keyring.generateDataKey('alias/D', ctx)]) {
        await assert.rejects(p, (e: Error) => hasErrorCode(e, 'E_KEY') && e.message.includes(idPart) && e.message.includes(ctx['auditlake:object']) && /disabled/.test(e.message));
      }
      await keyring.enable('alias/D');
      assert.ok((await keyring.decrypt(dk.wrapped, ctx)).plaintext.equals(dk.plaintext));
    } finally {
      await cleanup();
    }
  });

  test(`${driver}: reEncrypt moves a data key to another key`, async () => {
    const { keyring, cleanup } = await make();
    try {
      await keyring.create({ alias: 'alias/Old' });
      const to = await keyring.create({ alias: 'alias/New' });
      const dk = await keyring.generateDataKey('alias/Old', ctx);
      const moved = await keyring.reEncrypt(dk.wrapped, 'alias/New', ctx);
      assert.ok(moved.keyId.includes(to.keyId.split('/').pop()!));
      await keyring.disable('alias/Old');
      const back = await keyring.decrypt(moved.wrapped, ctx);
      assert.ok(back.plaintext.equals(dk.plaintext));
    } finally {
      await cleanup();
    }
  });

  test(`${driver}: unknown key is E_KEY`, async () => {
    const { keyring, cleanup } = await make();
    try {
      await keyring.create({ alias: 'alias/X' });
      await assert.rejects(keyring.generateDataKey('alias/Nope', ctx), (e) => hasErrorCode(e, 'E_KEY'));
    } finally {
      await cleanup();
    }
  });
}
