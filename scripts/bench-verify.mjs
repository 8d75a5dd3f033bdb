#!/usr/bin/env node
// Verify throughput vs plain SHA-256 of the same bytes (issue 3 item 9). Needs a build: npm run build.
// Usage: node scripts/bench-verify.mjs [objects] [MiB per object]
const { benchVerify } = await import(new URL('../dist/src/integrity/bench-verify.js', import.meta.url).href);
const objects = Number(process.argv[2] ?? 32);
const mib = Number(process.argv[3] ?? 16);
for (const concurrency of [1, 4, 8]) {
  const r = await benchVerify({ objects, objectBytes: mib << 20, concurrency });
  console.log(`verify: ${r.objects} objects, ${(r.bytes / 2 ** 20).toFixed(0)} MiB, concurrency ${concurrency}: ` +
    `plain SHA-256 ${r.sha256GBps.toFixed(2)} GB/s, verify ${r.verifyGBps.toFixed(2)} GB/s (${(r.ratio * 100).toFixed(0)} % of SHA-256; target ≥ 0.5 GB/s) ${r.verifyGBps >= 0.5 ? 'OK' : 'BELOW TARGET'}`);
}
