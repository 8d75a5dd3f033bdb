import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestKey } from '../../src/sinks/vault/integrity/digest-format.js';
import { HOUR } from './vault-fixture.js';
import { cli, recent } from './cli-helpers.js';

test('auditlake verify: clean exits 0; two deleted digests and a modified object exit 1 with each finding', async () => {
  const v = await recent();
  try {
    let r = cli(v.dir, 'verify');
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /^8\/8 digest files valid$/m);
    assert.match(r.out, /^21\/21 vault objects valid; 0 authorised deletions$/m);
    const t0 = v.t0;
    const loc = { account: 'auditlake', region: 'global' };
    for (const h of [3, 4]) await unlink(join(v.root, ...digestKey(loc, t0 + (h + 1) * HOUR).split('/')));
    const obj = join(v.root, ...v.byHour[6][0].split('/'));
    await writeFile(obj, Buffer.concat([await readFile(obj), Buffer.from('x')]));
    r = cli(v.dir, 'verify');
    assert.equal(r.code, 1);
    assert.equal(r.out.match(/\tINVALID: not found \[digest missing\]/g)?.length, 2, r.out);
    assert.match(r.out, new RegExp(`Vault object\\t${v.byHour[6][0]}\\tINVALID: hash value doesn't match \\[modified\\]`));
    assert.match(r.out, /^6\/8 digest files valid, 2\/8 digest files INVALID$/m);
    assert.match(r.err, /verify: \d+ finding\(s\)/);
    const pem = cli(v.dir, 'verify', '--export-public-key');
    assert.equal(pem.code, 0);
    assert.match(pem.out, /^-----BEGIN PUBLIC KEY-----/);
    // An auditor's run: only the store and the exported key.
    await writeFile(join(v.dir, 'pub.pem'), pem.out);
    r = cli(join(v.dir, 'elsewhere'), 'verify', '--store', v.root, '--public-key', join(v.dir, 'pub.pem'), '--no-state');
    assert.equal(r.code, 1);
    assert.match(r.out, /INVALID: not found \[digest missing\]/);
  } finally {
    await v.cleanup();
  }
});

