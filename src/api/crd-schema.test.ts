import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { toCrdSchema } from './crd-schema.ts';
import { withCrd } from './crd-meta.ts';

describe('toCrdSchema', () => {
  test('integers become int64 with minimum; descriptions come from the outermost wrapper', () => {
    const id = z.int().min(1).describe('inner');

    expect(toCrdSchema(id.optional().describe('outer'))).toEqual({
      description: 'outer',
      type: 'integer',
      format: 'int64',
      minimum: 1,
    });
    expect(toCrdSchema(id)).toEqual({ description: 'inner', type: 'integer', format: 'int64', minimum: 1 });
  });

  test('exclusive bounds and plain numbers', () => {
    expect(toCrdSchema(z.number().gt(0).lt(10))).toEqual({
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 10,
      exclusiveMaximum: true,
    });
  });

  test('strings: lengths, pattern, date-time', () => {
    expect(toCrdSchema(z.string().min(1).max(5).regex(/^a+$/))).toEqual({
      type: 'string',
      minLength: 1,
      maxLength: 5,
      pattern: '^a+$',
    });
    expect(toCrdSchema(z.iso.datetime({ offset: true }))).toEqual({ type: 'string', format: 'date-time' });
  });

  test('objects: required excludes optional and defaulted fields; defaults and enums are emitted', () => {
    const schema = z.object({
      a: z.string().describe('a'),
      b: z.string().optional().describe('b'),
      mode: z.enum(['X', 'Y']).default('Y').describe('mode'),
      flag: z.boolean().default(false).describe('flag'),
    });

    expect(toCrdSchema(schema)).toEqual({
      type: 'object',
      properties: {
        a: { description: 'a', type: 'string' },
        b: { description: 'b', type: 'string' },
        mode: { description: 'mode', default: 'Y', type: 'string', enum: ['X', 'Y'] },
        flag: { description: 'flag', default: false, type: 'boolean' },
      },
      required: ['a'],
    });
  });

  test('refinements are not schema (CEL carries them); CEL rules and list types come from the registry', () => {
    const list = withCrd(z.array(z.string()).max(3), { listType: 'set' });
    const obj = withCrd(
      z.object({ x: z.string().optional() }).refine(() => true),
      { validations: [{ rule: 'has(self.x)', message: 'x is required' }] },
    );

    expect(toCrdSchema(list)).toEqual({ type: 'array', items: { type: 'string' }, maxItems: 3, 'x-kubernetes-list-type': 'set' });
    expect(toCrdSchema(obj.optional())).toEqual({
      type: 'object',
      properties: { x: { type: 'string' } },
      'x-kubernetes-validations': [{ rule: 'has(self.x)', message: 'x is required' }],
    });
  });

  test('CEL rules registered on a described copy add to those of the original', () => {
    const base = withCrd(z.object({ a: z.string() }), { validations: [{ rule: 'r1', message: 'm1' }] });
    const copy = withCrd(base.describe('copy'), { validations: [{ rule: 'r2', message: 'm2' }] });

    expect(toCrdSchema(copy)['x-kubernetes-validations']?.map((r) => r.rule).sort()).toEqual(['r1', 'r2']);
    expect(toCrdSchema(base)['x-kubernetes-validations']?.map((r) => r.rule)).toEqual(['r1']);
  });

  test('loose objects preserve unknown fields; strict ones do not emit additionalProperties: false', () => {
    expect(toCrdSchema(z.looseObject({}))).toEqual({ type: 'object', properties: {}, 'x-kubernetes-preserve-unknown-fields': true });
    expect(toCrdSchema(z.strictObject({}))).toEqual({ type: 'object', properties: {} });
  });

  test('records map to additionalProperties', () => {
    expect(toCrdSchema(z.record(z.string(), z.string()))).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });

  test.each([
    ['union', z.union([z.string(), z.number()])],
    ['nullable', z.string().nullable()],
    ['uuid format', z.uuid()],
    ['unknown', z.unknown()],
    ['numeric enum', z.literal(3)],
  ])('refuses unsupported constructs: %s', (_name, schema) => {
    expect(() => toCrdSchema(z.object({ field: schema }))).toThrow(/\$\.field: unsupported/);
  });
});
