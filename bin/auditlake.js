#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('auditlake: not built yet — run `npm run build` (or `npm ci`) in the package directory first\n');
  process.exit(2);
}
const { run } = await import(main.href);
await run(process.argv);
