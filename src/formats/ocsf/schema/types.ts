/** Shapes of the OCSF schema source files (only what the compiler reads). */
export interface RawAttribute {
  caption?: string;
  type?: string;
  type_name?: string;
  is_array?: boolean;
  requirement?: 'required' | 'recommended' | 'optional';
  enum?: Record<string, { caption: string }>;
  sibling?: string;
  profile?: string | null;
  regex?: string;
  max_len?: number;
  range?: [number, number];
  values?: unknown[];
  object_type?: string;
  [k: string]: unknown;
}

export interface RawSchemaFile {
  name?: string;
  caption?: string;
  uid?: number;
  category?: string;
  extends?: string;
  profiles?: string[];
  constraints?: { at_least_one?: string[]; just_one?: string[] };
  attributes?: Record<string, RawAttribute | string[]>;
  [k: string]: unknown;
}

export interface SchemaSource {
  root: string;
  version: string;
  dictionary: Record<string, RawAttribute>;
  /** Dictionary `types` (string_t, ip_t …). */
  types: Record<string, RawAttribute>;
  categories: Record<string, { caption: string; uid: number }>;
  events: Map<string, RawSchemaFile>;
  objects: Map<string, RawSchemaFile>;
  include(path: string): RawSchemaFile;
}

/** An attribute after extends, includes, profiles and the dictionary are applied. */
export interface ResolvedAttribute extends RawAttribute {
  name: string;
  type: string;
}

export interface ResolvedEntity {
  name: string;
  caption: string;
  attributes: Map<string, ResolvedAttribute>;
  constraints: { at_least_one?: string[]; just_one?: string[] };
}

export interface ResolvedClass extends ResolvedEntity {
  uid: number;
  categoryUid: number;
  categoryCaption: string;
}
