// Bundles each Lambda handler (src/aws/lambda/<name>/handler.ts, export `handler`) with esbuild into
// dist/lambda/<name>/index.mjs for the Node 22 runtime. DuckDB is native (a .node addon + libduckdb.so), so it
// stays external: the deployment ships node_modules/@duckdb (the CDK app installs it next to the bundle).
import { build } from 'esbuild';
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const base = join(root, 'src/aws/lambda');
const names = readdirSync(base, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(base, d.name, 'handler.ts')))
  .map((d) => d.name)
  .sort();
export const EXTERNAL = ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'];
for (const name of names) {
  const r = await build({
    entryPoints: [join(base, name, 'handler.ts')],
    outfile: join(root, 'dist/lambda', name, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    sourcemap: true,
    external: EXTERNAL,
    // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
    metafile: true,
    // The product version handlers write into what they produce (OCSF metadata.product.version).
    define: { __AUDITLAKE_VERSION__: JSON.stringify(version) },
  });
  const bytes = Object.values(r.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`dist/lambda/${name}/index.mjs  ${(bytes / 1e6).toFixed(1)} MB`);
}
