// Section "verify": `auditlake verify` throughput (issue 3 item 9) against plain SHA-256 of the same bytes, same run.
// Random (incompressible, ciphertext-like) vault objects in an fs store with a real signed digest chain; verify
// walks the chain, checks signatures and re-hashes every object (streamed, parallel reads). Best of 3 per setting.
// Env: VERIFY_BENCH_MB (default min(BENCH_MB, 512)) MiB of objects, 16 MiB each. Target ≥ 0.5 GB/s.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TARGET_GBPS = 0.5;

export default {
  name: 'verify',
  title: 'Vault verify: digest chain + re-hash throughput vs plain SHA-256',
  async run(ctx) {
    const { benchVerify } = await import(pathToFileURL(join(ctx.dist, 'test/bench/verify.bench.js')).href);
    const mib = Number(process.env.VERIFY_BENCH_MB ?? Math.min(ctx.benchMb, 512));
    const objects = Math.max(1, Math.round(mib / 16));
    const lines = [];
    const results = [];
    for (const concurrency of [1, 4]) {
      const r = await benchVerify({ objects, objectBytes: 16 << 20, concurrency });
      results.push({ concurrency, ...r });
      lines.push(`verify ${r.objects} objects (${(r.bytes / 2 ** 20).toFixed(0)} MiB), ${concurrency} parallel read(s): ` +
        `${r.verifyGBps.toFixed(2)} GB/s; plain SHA-256 of the same bytes ${r.sha256GBps.toFixed(2)} GB/s ` +
        `(${(r.ratio * 100).toFixed(0)} %) — target ≥ ${TARGET_GBPS} GB/s: ${r.verifyGBps >= TARGET_GBPS ? 'met' : 'NOT met'}`);
    }
    lines.push('plain SHA-256 hashes buffers resident in RAM; verify hashes 1 MiB chunks just read (cache-hot), hence it can exceed it.');
    return { lines, results: { runs: results, targetGBps: TARGET_GBPS } };
  },
};
