import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/repo-root.js';

interface LongFn { file: string; name: string; length: number; why: boolean }
interface Check { ok: boolean; found: LongFn[]; offenders: LongFn[]; stale: string[] }
const { checkLongFunctions } = (await import(pathToFileURL(join(repoRoot, 'scripts/check-long-functions.mjs')).href)) as {
  checkLongFunctions(root: string): Check;
};

const body = (n: number) => Array.from({ length: n }, (_, i) => `  total += ${i};`).join('\n');
const factory = (comment: string) => `${comment}export function createThing() {\n  let total = 0;\n${body(80)}\n  return {\n    run: () => {\n${body(3)}\n    },\n  };\n}\nexport const short = () => 1;\n`;

async function fakeRoot(source: string, baseline: string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'auditlake-longfn-'));
  await mkdir(join(root, 'src/things'), { recursive: true });
  await mkdir(join(root, 'scripts'));
  await writeFile(join(root, 'src/things/thing.ts'), source);
  await writeFile(join(root, 'src/things/thing.test.ts'), factory('')); // tests are not library code
  await writeFile(join(root, 'scripts/long-functions-baseline.json'), JSON.stringify({ functions: baseline }));
  return root;
}

test('long functions: a new factory of 80+ lines fails; a why-comment or a baseline entry lets it pass', async () => {
  const cases: [string, string[], boolean][] = [
    [factory(''), [], false],
    [factory('// long-function: one state machine whose branches share these locals.\n'), [], true],
    [factory('/**\n * Builds a thing.\n * long-function: the closure state is shared by every step.\n */\n'), [], true],
    [factory('// a comment that says nothing about length\n'), [], false],
    [factory(''), ['src/things/thing.ts#createThing'], true],
    [factory('// long-function: fine\n'), ['src/things/thing.ts#gone'], false], // stale entry must be trimmed
  ];
  for (const [source, baseline, ok] of cases) {
    const root = await fakeRoot(source, baseline);
    try {
      const r = checkLongFunctions(root);
      assert.equal(r.ok, ok, `${source.split('\n')[0]} / ${baseline.join()}`);
      assert.deepEqual(r.found.map((f) => [f.file, f.name]), [['src/things/thing.ts', 'createThing']]);
      assert.ok(r.found[0].length >= 80);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
});

test('long functions: the repository has no new long function and no stale baseline entry', () => {
  const r = checkLongFunctions(repoRoot);
  assert.deepEqual(r.offenders.map((f) => `${f.file}#${f.name}`), []);
  assert.deepEqual(r.stale, []);
});
