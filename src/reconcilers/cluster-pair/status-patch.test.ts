import { describe, expect, it } from 'vitest';
import { mergePatch, statusPatch } from './status-patch.ts';
import type { DesiredStatus } from './types.ts';

const T0 = new Date('2026-11-27T10:00:00Z');
const T1 = new Date('2026-11-27T11:00:00Z');

const desired = (overrides: Partial<DesiredStatus> = {}): DesiredStatus => ({
  observedGeneration: 2,
  clusterPairUUID: 'u-1',
  sideA: { clusterPairID: 55, status: 'Connected', latencyMs: 1 },
  connectionStatus: 'Connected',
  conditions: [{ type: 'Ready', status: 'True', reason: 'Paired', message: 'ok' }],
  ...overrides,
});

describe('mergePatch', () => {
  it('deletes with null what the next object lacks, at any depth, and replaces arrays', () => {
    expect(mergePatch({ a: 1, b: { c: 1, d: 2 }, l: [1, 2] }, { b: { c: 1 }, l: [2] })).toEqual({ a: null, b: { d: null }, l: [2] });
  });
  it('is undefined when nothing changes', () => {
    expect(mergePatch({ a: { b: [1] } }, { a: { b: [1] } })).toBeUndefined();
  });
});

describe('statusPatch', () => {
  it('writes a first status with transition times', () => {
    const patch = statusPatch(undefined, desired(), T0) as Record<string, unknown>;
    expect(patch).toMatchObject({ clusterPairUUID: 'u-1', conditions: [{ type: 'Ready', lastTransitionTime: '2026-11-27T10:00:00Z', observedGeneration: 2 }] });
  });

  it('writes nothing when the status already says it (re-apply changes nothing)', () => {
    const stored = JSON.parse(JSON.stringify({ ...desired(), conditions: [{ type: 'Ready', status: 'True', reason: 'Paired', message: 'ok', observedGeneration: 2, lastTransitionTime: '2026-11-27T10:00:00Z' }] }));
    expect(statusPatch(stored, desired(), T1)).toBeUndefined();
  });

  it('drops the intent and a side the planner no longer reports, keeping transition times of unchanged statuses', () => {
    const stored = {
      ...desired(),
      pairing: { phase: 'Starting' as const, startedAt: '2026-11-27T09:00:00Z', highestPairIDOnA: 3 },
      sideB: { clusterPairID: 61, status: 'Connected' },
      conditions: [{ type: 'Ready', status: 'True' as const, reason: 'Paired', message: 'old', observedGeneration: 1, lastTransitionTime: '2026-11-27T10:00:00Z' }],
    };
    const patch = statusPatch(stored, desired(), T1) as Record<string, unknown>;
    expect(patch['pairing']).toBeNull();
    expect(patch['sideB']).toBeNull();
    expect(patch['conditions']).toEqual([expect.objectContaining({ message: 'ok', lastTransitionTime: '2026-11-27T10:00:00Z' })]);
  });
});
