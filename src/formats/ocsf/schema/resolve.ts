import { AuditlakeError } from '../../../core/errors.js';
import type { RawAttribute, RawSchemaFile, ResolvedAttribute, ResolvedClass, ResolvedEntity, SchemaSource } from './types.js';

type AttrMap = Map<string, RawAttribute>;

/** Later wins, except `enum`, whose members are merged (a class adds activities to classification's 0 and 99). */
function mergeAttr(base: RawAttribute | undefined, over: RawAttribute): RawAttribute {
  if (!base) return { ...over };
  const merged: RawAttribute = { ...base, ...over };
  if (base.enum || over.enum) merged.enum = { ...(base.enum ?? {}), ...(over.enum ?? {}) };
  return merged;
}

/**
 * The attributes a file declares itself: its `$include`s first (a profile's attributes are tagged with the
 * profile's name, so they become required only when an event applies the profile), then its own entries.
 */
function ownAttributes(src: SchemaSource, file: RawSchemaFile): AttrMap {
  const out: AttrMap = new Map();
  const attrs = file.attributes ?? {};
  for (const path of (attrs.$include as string[] | undefined) ?? []) {
    const inc = src.include(path);
    const profile = path.startsWith('profiles/') ? (inc.name as string) : undefined;
    for (const [name, a] of ownAttributes(src, inc)) out.set(name, mergeAttr(out.get(name), profile && a.profile === undefined ? { ...a, profile } : a));
  }
  for (const [name, a] of Object.entries(attrs)) {
    if (name === '$include') continue;
    out.set(name, mergeAttr(out.get(name), a as RawAttribute));
  }
  return out;
}

/** Follows `extends` up the chain, merging parent attributes under the child's. */
function chainAttributes(src: SchemaSource, file: RawSchemaFile, kind: 'events' | 'objects', depth = 0): { attrs: AttrMap; constraints: ResolvedEntity['constraints'] } {
  if (depth > 20) throw new AuditlakeError('E_PARSE', `ocsf: extends chain too deep at ${file.name}`);
  let attrs: AttrMap = new Map();
  let constraints: ResolvedEntity['constraints'] = {};
  if (file.extends) {
    const parent = src[kind].get(file.extends);
    if (!parent) throw new AuditlakeError('E_PARSE', `ocsf: ${file.name} extends unknown ${kind.slice(0, -1)} "${file.extends}"`);
    ({ attrs, constraints } = chainAttributes(src, parent, kind, depth + 1));
  }
  for (const [name, a] of ownAttributes(src, file)) attrs.set(name, mergeAttr(attrs.get(name), a));
  return { attrs, constraints: file.constraints ?? constraints };
}

/** Applies the dictionary: type, caption, is_array, sibling and enum come from there unless the class overrides. */
function withDictionary(src: SchemaSource, owner: string, attrs: AttrMap): Map<string, ResolvedAttribute> {
  const out = new Map<string, ResolvedAttribute>();
  for (const [name, a] of attrs) {
    const dict = src.dictionary[name];
    if (!dict) throw new AuditlakeError('E_PARSE', `ocsf: ${owner}.${name} is not in dictionary.json`);
    const merged = mergeAttr(dict, a);
    out.set(name, { ...merged, name, type: merged.type ?? 'string_t' });
  }
  return out;
}

export function resolveObject(src: SchemaSource, name: string): ResolvedEntity {
  const file = src.objects.get(name);
  if (!file) throw new AuditlakeError('E_PARSE', `ocsf: unknown object "${name}"`);
  const { attrs, constraints } = chainAttributes(src, file, 'objects');
  return { name, caption: file.caption ?? name, attributes: withDictionary(src, name, attrs), constraints };
}

/** A class by name (`authentication`) with its uid (`category_uid * 1000 + uid`) and every attribute resolved. */
export function resolveClass(src: SchemaSource, name: string): ResolvedClass {
  const file = src.events.get(name);
  if (!file) throw new AuditlakeError('E_PARSE', `ocsf: unknown event class "${name}"`);
  const { attrs, constraints } = chainAttributes(src, file, 'events');
  let category = file.category;
  for (let f: RawSchemaFile | undefined = file; !category && f?.extends; f = src.events.get(f.extends)) category = src.events.get(f.extends)?.category;
  const cat = category && category !== 'other' ? src.categories[category] : undefined;
  const categoryUid = cat?.uid ?? 0;
  const uid = name === 'base_event' ? 0 : categoryUid * 1000 + (file.uid ?? 0);
  return {
    name,
    caption: file.caption ?? name,
    uid,
    categoryUid,
    categoryCaption: cat?.caption ?? 'Uncategorized',
    attributes: withDictionary(src, name, attrs),
    constraints,
  };
}
