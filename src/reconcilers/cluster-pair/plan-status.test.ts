import { describe, expect, it } from 'vitest';
import { statusPatch } from '../shell/status-patch.ts';
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
