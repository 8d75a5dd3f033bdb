import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditlakeError } from '../../../core/errors.js';
import type { RawAttribute, RawSchemaFile, SchemaSource } from './types.js';

/** Where the vendored copy lives: `vendor/ocsf-schema-1.3.0` at the repository (or package) root. */
export function defaultSchemaDir(): string {
  // Compiled code runs from dist/src/…, tsx from src/…: walk up until the vendor folder appears.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'vendor', 'ocsf-schema-1.3.0');
    if (existsSync(join(candidate, 'dictionary.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new AuditlakeError('E_NOT_FOUND', 'ocsf: vendor/ocsf-schema-1.3.0 not found above ' + dirname(fileURLToPath(import.meta.url)));
}

function readJson(path: string): RawSchemaFile {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RawSchemaFile;
  } catch (err) {
    throw new AuditlakeError('E_PARSE', `ocsf: cannot read schema file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
}

/**
 * Reads an OCSF schema source tree (as in the ocsf/ocsf-schema repository): the dictionary, categories, every
 * event class and object by name, and a reader for `$include` paths (relative to the tree root).
 */
export function loadSchemaSource(root: string): SchemaSource {
  const dictionary = readJson(join(root, 'dictionary.json'));
  const categories = readJson(join(root, 'categories.json'));
  const version = (readJson(join(root, 'version.json')) as { version?: string }).version ?? '';
  const events = new Map<string, RawSchemaFile>();
  for (const f of walk(join(root, 'events'))) {
    const e = readJson(f);
    events.set(e.name ?? relative(root, f), e);
  }
  const objects = new Map<string, RawSchemaFile>();
  for (const f of walk(join(root, 'objects'))) {
    const o = readJson(f);
    objects.set(o.name ?? relative(root, f), o);
  }
  const includeCache = new Map<string, RawSchemaFile>();
  return {
    root,
    version,
    dictionary: dictionary.attributes as Record<string, RawAttribute>,
    types: (dictionary.types as { attributes: Record<string, RawAttribute> }).attributes,
    categories: categories.attributes as Record<string, { caption: string; uid: number }>,
    events,
    objects,
    include(path: string) {
      let f = includeCache.get(path);
      if (!f) includeCache.set(path, (f = readJson(join(root, path))));
      return f;
    },
  };
}
