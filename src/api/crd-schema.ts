// Converts the zod schemas of src/api into Kubernetes structural OpenAPI v3 (JSONSchemaProps).
// Only the zod constructs the API uses are supported; anything else throws, so a new construct
// is a deliberate decision here rather than silently wrong output. Kubernetes-only facts (CEL
// rules, list types) come from the crdMeta registry.
import { z } from 'zod';
import { crdMeta, type CelRule, type CrdMeta } from './crd-meta.ts';

export type JSONSchemaProps = {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  exclusiveMinimum?: boolean;
  maximum?: number;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  items?: JSONSchemaProps;
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  additionalProperties?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: CelRule[];
};

// zod 4 keeps its definition on `_zod.def`; these are the few members read here.
type Def = {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
  format?: string;
  checks?: { _zod: { def: CheckDef } }[];
};
type CheckDef = {
  check: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

type Unwrapped = {
  core: z.ZodType;
  optional: boolean;
  hasDefault: boolean;
  defaultValue: unknown;
  description: string | undefined;
  meta: CrdMeta;
};

/** Peels optional/default wrappers; the outermost description wins (it is the most specific). */
function unwrap(schema: z.ZodType): Unwrapped {
  const result: Unwrapped = { core: schema, optional: false, hasDefault: false, defaultValue: undefined, description: undefined, meta: {} };
  let current = schema;
  for (;;) {
    result.description ??= z.globalRegistry.get(current)?.description;
    result.meta = mergeMeta(result.meta, crdMeta.get(current));
    const def = defOf(current);
    if (def.type === 'optional' && def.innerType) {
      result.optional = true;
      current = def.innerType;
    } else if (def.type === 'default' && def.innerType) {
      if (!result.hasDefault) result.defaultValue = def.defaultValue;
      result.hasDefault = true;
      current = def.innerType;
    } else {
      break;
    }
  }
  result.core = current;
  return result;
}

function mergeMeta(a: CrdMeta, b: CrdMeta | undefined): CrdMeta {
  if (b === undefined) return a;
  const validations = [...(a.validations ?? []), ...(b.validations ?? [])];
  return {
    ...b,
    ...a,
    ...(validations.length > 0 ? { validations } : {}),
  };
}

/** True when the field must be present in the object (no optional, no default). */
export function isRequired(schema: z.ZodType): boolean {
  const u = unwrap(schema);
  return !u.optional && !u.hasDefault;
}

export function toCrdSchema(schema: z.ZodType, path = '$'): JSONSchemaProps {
  const u = unwrap(schema);
  const out: JSONSchemaProps = {};
  if (u.description !== undefined) out.description = u.description;
  if (u.hasDefault) out.default = u.defaultValue;
  Object.assign(out, convertCore(u.core, path));
  if (u.meta.listType !== undefined) out['x-kubernetes-list-type'] = u.meta.listType;
  if (u.meta.listMapKeys !== undefined) out['x-kubernetes-list-map-keys'] = [...u.meta.listMapKeys];
  if (u.meta.validations !== undefined) out['x-kubernetes-validations'] = u.meta.validations.map((r) => ({ ...r }));
  return out;
}

function convertCore(schema: z.ZodType, path: string): JSONSchemaProps {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return convertString(def, path);
    case 'number':
      return convertNumber(def, path);
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return convertEnum(Object.values(def.entries ?? {}), path);
    case 'literal':
      return convertEnum(def.values ?? [], path);
    case 'object':
      return convertObject(def, path);
    case 'array':
      return convertArray(def, path);
    case 'record':
      if (!def.valueType) throw unsupported(path, 'record without value type');
      return { type: 'object', additionalProperties: toCrdSchema(def.valueType, `${path}.*`) };
    default:
      throw unsupported(path, `zod type "${def.type}"`);
  }
}

function convertString(def: Def, path: string): JSONSchemaProps {
  const out: JSONSchemaProps = { type: 'string' };
  if (def.format === 'datetime') out.format = 'date-time';
  else if (def.format !== undefined) throw unsupported(path, `string format "${def.format}"`);
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'min_length') out.minLength = c.minimum;
    else if (c.check === 'max_length') out.maxLength = c.maximum;
    else if (c.check === 'string_format' && c.format === 'regex' && c.pattern) {
      if (out.pattern !== undefined) throw unsupported(path, 'more than one pattern');
      out.pattern = c.pattern.source;
    } else if (c.check !== 'custom') throw unsupported(path, `string check "${c.check}"`);
  }
  return out;
}

function convertNumber(def: Def, path: string): JSONSchemaProps {
  const integer = def.format === 'safeint' || def.format === 'int32';
  if (def.format !== undefined && !integer) throw unsupported(path, `number format "${def.format}"`);
  // Element IDs exceed int32 in principle; int64 is what Kubernetes uses for such fields.
  const out: JSONSchemaProps = integer ? { type: 'integer', format: def.format === 'int32' ? 'int32' : 'int64' } : { type: 'number' };
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'greater_than') {
      out.minimum = c.value;
      if (c.inclusive === false) out.exclusiveMinimum = true;
    } else if (c.check === 'less_than') {
      out.maximum = c.value;
      if (c.inclusive === false) out.exclusiveMaximum = true;
    } else if (c.check !== 'custom') throw unsupported(path, `number check "${c.check}"`);
  }
  return out;
}

function convertEnum(values: unknown[], path: string): JSONSchemaProps {
  if (values.length === 0 || !values.every((v) => typeof v === 'string')) throw unsupported(path, 'non-string enum');
  return { type: 'string', enum: [...values] };
}

function convertObject(def: Def, path: string): JSONSchemaProps {
  const properties: Record<string, JSONSchemaProps> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(def.shape ?? {})) {
    properties[key] = toCrdSchema(field, `${path}.${key}`);
    if (isRequired(field)) required.push(key);
  }
  const out: JSONSchemaProps = { type: 'object', properties };
  if (required.length > 0) out.required = required;
  for (const { _zod } of def.checks ?? []) {
    if (_zod.def.check !== 'custom') throw unsupported(path, `object check "${_zod.def.check}"`);
  }
  // A loose object keeps unknown fields; a strict one would need additionalProperties: false,
  // which structural schemas forbid, so it is treated like a plain object (pruning drops extras).
  const catchall = def.catchall ? defOf(def.catchall).type : undefined;
  if (catchall !== undefined && catchall !== 'never') out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

function convertArray(def: Def, path: string): JSONSchemaProps {
  if (!def.element) throw unsupported(path, 'array without element');
  const out: JSONSchemaProps = { type: 'array', items: toCrdSchema(def.element, `${path}[]`) };
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'min_length') out.minItems = c.minimum;
    else if (c.check === 'max_length') out.maxItems = c.maximum;
    else if (c.check !== 'custom') throw unsupported(path, `array check "${c.check}"`);
  }
  return out;
}

function unsupported(path: string, what: string): Error {
  return new Error(`CRD schema at ${path}: unsupported ${what}`);
}
