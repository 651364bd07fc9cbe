import { describe, expect, it } from 'vitest';
import { mergePatch, statusPatch } from './status-patch.ts';

describe('mergePatch', () => {
  it('deletes with null what the next object lacks, at any depth, and replaces arrays', () => {
    expect(mergePatch({ a: 1, b: { c: 1, d: 2 }, l: [1, 2] }, { b: { c: 1 }, l: [2] })).toEqual({ a: null, b: { d: null }, l: [2] });
  });
  it('is undefined when nothing changes', () => {
    expect(mergePatch({ a: { b: [1] } }, { a: { b: [1] } })).toBeUndefined();
  });
});

describe('statusPatch', () => {
  it('drops undefined members and writes nothing for an equal status', () => {
    expect(statusPatch({ a: 1 }, { a: 1, b: undefined })).toBeUndefined();
    expect(statusPatch(undefined, { a: 1 })).toEqual({ a: 1 });
  });
});
