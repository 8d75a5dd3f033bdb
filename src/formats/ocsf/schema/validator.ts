import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { AuditlakeError } from '../../../core/errors.js';
import { defaultSchemaDir, loadSchemaSource } from './load-schema.js';
import { resolveClass } from './resolve.js';
import { classJsonSchema, objectDefs } from './to-json-schema.js';
import type { SchemaSource } from './types.js';

export interface OcsfValidator {
  /** Schema version read from the tree (`1.3.0`). */
  readonly version: string;
  /** Problems with one event (`/actor/user: must NOT have additional properties (foo)`); empty when valid. */
  validate(event: Record<string, unknown>): string[];
}

type Pair = { id: string; sibling: string; captions: Record<string, string> };

/** The two checks JSON Schema says only verbosely (see to-json-schema.ts): enum captions and type_uid. */
function addOcsfKeywords(ajv: Ajv2020): void {
  ajv.addKeyword({
    keyword: 'ocsfSiblings',
    type: 'object',
    schemaType: 'array',
    errors: true,
    validate: function check(pairs: Pair[], data: Record<string, unknown>) {
      const errors: Partial<ErrorObject>[] = [];
      for (const p of pairs) {
        if (!(p.id in data)) continue;
        const key = String(data[p.id]);
        const caption = p.captions[key];
        if (caption === undefined) continue; // the enum itself rejects unknown ids
        const name = data[p.sibling];
        if (key === '99' && (typeof name !== 'string' || name === '')) errors.push({ message: `${p.id} 99 (Other) needs ${p.sibling}, the source's own label` });
        else if (key !== '99' && name !== undefined && name !== caption) errors.push({ message: `${p.sibling} must be "${caption}" for ${p.id} ${key}, not ${JSON.stringify(name)}` });
      }
      (check as { errors?: Partial<ErrorObject>[] }).errors = errors;
      return errors.length === 0;
    },
  });
  ajv.addKeyword({
    keyword: 'ocsfTypeUid',
    type: 'object',
    schemaType: 'object',
    errors: true,
    validate: function check(s: { classUid: number }, data: Record<string, unknown>) {
      const ok = typeof data.activity_id !== 'number' || data.type_uid === s.classUid * 100 + data.activity_id;
      (check as { errors?: Partial<ErrorObject>[] }).errors = ok ? [] : [{ message: `type_uid must be class_uid * 100 + activity_id = ${s.classUid * 100 + (data.activity_id as number)}` }];
      return ok;
    },
  });
}

function classIndex(src: SchemaSource): Map<number, string> {
  const byUid = new Map<number, string>();
  for (const [name, f] of src.events) {
    // Category-level files (iam.json, application.json …) carry no uid: they are parents, not classes.
    if (f.uid === undefined && name !== 'base_event') continue;
    byUid.set(resolveClass(src, name).uid, name);
  }
  return byUid;
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'pattern') return `${where}: does not match the pattern of its OCSF type (${JSON.stringify(e.data).slice(0, 80)})`;
  const p = (e.params ?? {}) as Record<string, unknown>;
  const extra = 'additionalProperty' in p ? ` (${String(p.additionalProperty)})` : 'allowedValue' in p ? ` (${JSON.stringify(p.allowedValue)})` : 'allowedValues' in p ? ` (${JSON.stringify(p.allowedValues)})` : '';
  return `${where}: ${e.message ?? e.keyword}${extra}`;
}

/**
 * Validates OCSF events against JSON Schemas compiled from an OCSF schema source tree (default: the vendored
 * 1.3.0 copy) with ajv. A class is compiled on first use; objects are shared by every class.
 */
export function createOcsfValidator(opts: { schemaDir?: string } = {}): OcsfValidator {
  const src = loadSchemaSource(opts.schemaDir ?? defaultSchemaDir());
  const byUid = classIndex(src);
  const objectsId = `ocsf-${src.version}-objects`;
  // OCSF regexes are written for JavaScript without the `u` flag (`\-` inside classes). inlineRefs off: the
  // object graph is recursive and wide, inlining it multiplies compile time.
  const ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false, inlineRefs: false, verbose: true, code: { optimize: false } });
  addOcsfKeywords(ajv);
  ajv.addSchema({ $id: objectsId, $defs: objectDefs(src, [...byUid.values()], objectsId) });
  const compiled = new Map<number, ValidateFunction>();
  const compile = (uid: number): ValidateFunction => {
    let v = compiled.get(uid);
    if (!v) compiled.set(uid, (v = ajv.compile(classJsonSchema(src, byUid.get(uid)!, objectsId))));
    return v;
  };
  return {
    version: src.version,
    validate(event) {
      const uid = event.class_uid;
      if (typeof uid !== 'number' || !byUid.has(uid)) return [`/class_uid: ${JSON.stringify(uid)} is not an OCSF ${src.version} class`];
      const v = compile(uid);
      if (v(event)) return [];
      return (v.errors ?? []).filter((e) => e.keyword !== 'if').map(formatError);
    },
  };
}

/** Throws E_PARSE naming the first problems when `event` is not valid OCSF. */
export function assertValidOcsf(v: OcsfValidator, event: Record<string, unknown>, where: string): void {
  const problems = v.validate(event);
  if (problems.length) throw new AuditlakeError('E_PARSE', `ocsf: ${where} is not valid OCSF ${v.version}: ${problems.slice(0, 5).join('; ')}`);
}
