// Kubernetes-only facts about a schema node that zod cannot express: CEL rules and list types.
// Schemas register them here; the CRD converter reads them. Registration is on the exact schema
// instance, so call `withCrd` last (after .refine/.describe), before .optional()/.default().
import { z } from 'zod';

/** One `x-kubernetes-validations` entry. */
export type CelRule = {
  readonly rule: string;
  readonly message: string;
  readonly reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  readonly fieldPath?: string;
  /** Run the transition rule even when the old object lacks this field (oldSelf is then an optional). */
  readonly optionalOldSelf?: boolean;
};

export type CrdMeta = {
  readonly validations?: readonly CelRule[];
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly listMapKeys?: readonly string[];
};

export const crdMeta = z.registry<CrdMeta>();

/**
 * Registers `meta` on `schema`. A copy made by .describe() inherits its original's entry, but the
 * registry would let the copy's rules replace the original's, so the rules are concatenated here.
 */
export function withCrd<T extends z.ZodType>(schema: T, meta: CrdMeta): T {
  const inherited = crdMeta.get(schema);
  const validations = [...(inherited?.validations ?? []), ...(meta.validations ?? [])];
  crdMeta.add(schema, { ...inherited, ...meta, ...(validations.length > 0 ? { validations } : {}) });
  return schema;
}

/** `self == oldSelf` with a message naming the field. */
export function immutable(field: string): CelRule {
  return { rule: 'self == oldSelf', message: `${field} is immutable` };
}
