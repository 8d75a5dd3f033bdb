import { resolveClass, resolveObject } from './resolve.js';
import type { ResolvedAttribute, ResolvedClass, ResolvedEntity, SchemaSource } from './types.js';

/** A JSON Schema fragment (draft 2020-12 / ajv). */
export type JsonSchema = Record<string, unknown>;

const INT32 = { minimum: -2147483648, maximum: 2147483647 };

/** JSON Schema of a dictionary type (`ip_t`, `timestamp_t` …), following its `type` chain down to a base type. */
function scalarSchema(src: SchemaSource, typeName: string): JsonSchema | null {
  switch (typeName) {
    case 'string_t': return { type: 'string', maxLength: src.types.string_t?.max_len ?? 65535 };
    case 'integer_t': return { type: 'integer', ...INT32 };
    case 'long_t': return { type: 'integer' };
    case 'float_t': return { type: 'number' };
    case 'boolean_t': return { type: 'boolean' };
    case 'json_t': return {};
  }
  const t = src.types[typeName];
  if (!t) return null;
  const base = t.type ? scalarSchema(src, t.type) ?? {} : {};
  const out: JsonSchema = { ...base };
  if (t.max_len !== undefined) out.maxLength = t.max_len;
  if (t.regex) out.pattern = t.regex;
  if (t.range) Object.assign(out, { minimum: t.range[0], maximum: t.range[1] });
  return out;
}

function attributeSchema(src: SchemaSource, a: ResolvedAttribute, refs: Set<string>, refBase: string): JsonSchema {
  let s: JsonSchema | null = scalarSchema(src, a.type);
  if (!s) {
    if (a.type === 'object') s = { type: 'object' }; // `unmapped` and other free-form objects
    else {
      refs.add(a.type);
      s = { $ref: `${refBase}#/$defs/${a.type}` };
    }
  }
  if (a.enum) {
    const keys = Object.keys(a.enum);
    s = { ...s, enum: s.type === 'integer' ? keys.map(Number) : keys };
  }
  return a.is_array ? { type: 'array', items: s } : s;
}

/**
 * `X_id` ↔ `X`: an enum id other than 99 (Other) carries its caption; 99 needs the source's own label. Expressed
 * with the custom keyword `ocsfSiblings` (validator.ts): one if/then per enum value made ajv compile a class in
 * ~8 s; the keyword checks the same thing in a loop.
 */
function siblingRules(attrs: Map<string, ResolvedAttribute>): JsonSchema[] {
  const pairs: Array<{ id: string; sibling: string; captions: Record<string, string> }> = [];
  for (const a of attrs.values()) {
    if (!a.enum || !a.sibling || !attrs.has(a.sibling) || a.is_array) continue;
    pairs.push({ id: a.name, sibling: a.sibling, captions: Object.fromEntries(Object.entries(a.enum).map(([k, v]) => [k, v.caption])) });
  }
  return pairs.length ? [{ ocsfSiblings: pairs }] : [];
}

function constraintRules(c: ResolvedEntity['constraints']): JsonSchema[] {
  const rules: JsonSchema[] = [];
  if (c.at_least_one) rules.push({ anyOf: c.at_least_one.map((n) => ({ required: [n] })) });
  if (c.just_one) rules.push({ oneOf: c.just_one.map((n) => ({ required: [n] })) });
  return rules;
}

/** Required attributes of a profile apply only when the event lists the profile in `metadata.profiles`. */
function profileRules(attrs: Map<string, ResolvedAttribute>): JsonSchema[] {
  const rules: JsonSchema[] = [];
  for (const a of attrs.values()) {
    if (a.requirement !== 'required' || !a.profile) continue;
    const applied = { properties: { metadata: { properties: { profiles: { contains: { const: a.profile } } }, required: ['profiles'] } }, required: ['metadata'] };
    rules.push({ if: applied, then: { required: [a.name] } });
  }
  return rules;
}

function entitySchema(src: SchemaSource, e: ResolvedEntity, refs: Set<string>, topLevel: boolean, refBase = ''): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const a of e.attributes.values()) properties[a.name] = attributeSchema(src, a, refs, refBase);
  const required = [...e.attributes.values()].filter((a) => a.requirement === 'required' && !a.profile).map((a) => a.name);
  const allOf = [...constraintRules(e.constraints), ...siblingRules(e.attributes), ...(topLevel ? profileRules(e.attributes) : [])];
  return { type: 'object', title: e.caption, properties, required, additionalProperties: false, ...(allOf.length ? { allOf } : {}) };
}

/** Class identity: class/category uid and names, and `type_uid = class_uid * 100 + activity_id` with its name. */
function classRules(c: ResolvedClass): JsonSchema[] {
  const activities = c.attributes.get('activity_id')?.enum ?? {};
  const typeNames = Object.fromEntries(Object.entries(activities).map(([k, v]) => [String(c.uid * 100 + Number(k)), `${c.caption}: ${v.caption}`]));
  return [{
    properties: {
      class_uid: { const: c.uid }, category_uid: { const: c.categoryUid }, class_name: { const: c.caption }, category_name: { const: c.categoryCaption },
      type_uid: { enum: Object.keys(typeNames).map(Number) },
    },
    ocsfTypeUid: { classUid: c.uid },
    ocsfSiblings: [{ id: 'type_uid', sibling: 'type_name', captions: typeNames }],
  }];
}

/** The objects reachable from `classNames`, each as a JSON Schema, keyed by object name. */
export function objectDefs(src: SchemaSource, classNames: string[], refBase = ''): Record<string, JsonSchema> {
  const pending: string[] = [];
  for (const n of classNames) {
    const refs = new Set<string>();
    entitySchema(src, resolveClass(src, n), refs, true);
    pending.push(...refs);
  }
  const defs: Record<string, JsonSchema> = {};
  while (pending.length) {
    const name = pending.pop()!;
    if (defs[name]) continue;
    const more = new Set<string>();
    defs[name] = entitySchema(src, resolveObject(src, name), more, false, refBase);
    for (const m of more) if (!defs[m]) pending.push(m);
  }
  return defs;
}

/**
 * The JSON Schema of one event class. With `refBase` (the `$id` of a schema holding objectDefs()) objects are
 * referenced there, so several classes share one compiled copy; without it the schema is self-contained.
 */
export function classJsonSchema(src: SchemaSource, className: string, refBase?: string): JsonSchema {
  const c = resolveClass(src, className);
  const root = entitySchema(src, c, new Set<string>(), true, refBase ?? '');
  // classification.json's enums name only the Base Event (0); the class's own identity replaces them (classRules).
  const props = root.properties as Record<string, JsonSchema>;
  for (const k of ['class_uid', 'category_uid']) props[k] = { type: 'integer' };
  root.allOf = [...((root.allOf as JsonSchema[] | undefined) ?? []), ...classRules(c)];
  const head = { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `ocsf-${src.version}-${className}` };
  return refBase ? { ...head, ...root } : { ...head, ...root, $defs: objectDefs(src, [className]) };
}
