#!/usr/bin/env node
// Bundles the web console (src/server/console/*) into dist/console/ with esbuild: one app.js (Chart.js tree-shaken
// in), app.css and index.html. Run by `npm run build`; the server serves the result, no build server at runtime.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src/server/console');
const out = join(root, 'dist/console');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(src, 'main.ts')], bundle: true, format: 'esm', target: 'es2022', minify: true, sourcemap: true,
  outfile: join(out, 'app.js'), logLevel: 'warning', legalComments: 'linked',
});
copyFileSync(join(src, 'app.css'), join(out, 'app.css'));
copyFileSync(join(src, 'index.html'), join(out, 'index.html'));
