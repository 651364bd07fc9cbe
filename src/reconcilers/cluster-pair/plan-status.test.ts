import { describe, expect, it, test } from 'vitest';
import { statusPatch } from '../shell/status-patch.ts';
import { planClusterPair } from './plan.ts';
import { clusterA, clusterB, half, input, pending, UUID } from './plan-fixtures.ts';
import { nextStatus } from './plan-status.ts';
import type { DesiredStatus } from './plan-types.ts';

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

describe('nextStatus + statusPatch', () => {
  it('writes a first status with transition times', () => {
    const patch = statusPatch(undefined, nextStatus(undefined, desired(), T0)) as Record<string, unknown>;
    expect(patch).toMatchObject({ clusterPairUUID: 'u-1', conditions: [{ type: 'Ready', lastTransitionTime: '2026-11-27T10:00:00Z', observedGeneration: 2 }] });
  });

  it('writes nothing when the status already says it (re-apply changes nothing)', () => {
    const stored = JSON.parse(JSON.stringify({ ...desired(), conditions: [{ type: 'Ready', status: 'True', reason: 'Paired', message: 'ok', observedGeneration: 2, lastTransitionTime: '2026-11-27T10:00:00Z' }] }));
    expect(statusPatch(stored, nextStatus(stored, desired(), T1))).toBeUndefined();
  });

  it('drops the intent and a side the planner no longer reports, keeping transition times of unchanged statuses', () => {
    const stored = {
      ...desired(),
      pairing: { phase: 'Starting' as const, startedAt: '2026-11-27T09:00:00Z', highestPairIDOnA: 3 },
      sideB: { clusterPairID: 61, status: 'Connected' },
      conditions: [{ type: 'Ready', status: 'True' as const, reason: 'Paired', message: 'old', observedGeneration: 1, lastTransitionTime: '2026-11-27T10:00:00Z' }],
    };
    const patch = statusPatch(stored, nextStatus(stored, desired(), T1)) as Record<string, unknown>;
    expect(patch['pairing']).toBeNull();
    expect(patch['sideB']).toBeNull();
    expect(patch['conditions']).toEqual([expect.objectContaining({ message: 'ok', lastTransitionTime: '2026-11-27T10:00:00Z' })]);
  });
});

describe('status.latencyMs (the LATENCY(MS) column)', () => {
  test('is the worse (higher) latency of the two sides', () => {
    const plan = planClusterPair(input({ a: [{ ...half(55, UUID, clusterB), latency: 2 }], b: [{ ...half(61, UUID, clusterA), latency: 9 }] }));

    expect(plan.status).toMatchObject({ sideA: { latencyMs: 2 }, sideB: { latencyMs: 9 }, latencyMs: 9 });
  });

  test('is one side\'s latency when only that side reports one, and absent when neither does', () => {
    const pendingOnly = planClusterPair(input({ a: [pending(4, UUID)] }));
    const oneSide = planClusterPair(input({ a: [{ ...half(55, UUID, clusterB), latency: 4 }], b: [{ ...half(61, UUID, clusterA), latency: undefined }] }));

    expect(pendingOnly.status).not.toHaveProperty('latencyMs');
    expect(oneSide.status.latencyMs).toBe(4);
  });
});
