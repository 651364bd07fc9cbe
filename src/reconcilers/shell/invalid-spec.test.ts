import { expect, it } from 'vitest';
import { invalidSpecStatus } from './invalid-spec.ts';
import { statusPatch } from './status-patch.ts';

const NOW = new Date('2026-12-02T10:00:00Z');

it('reports an unreadable spec as Ready=False and Stalled=True InvalidSpec, keeping the rest of the status', () => {
  const raw = { metadata: { generation: 4 }, status: { sideA: { volumeID: 158 }, conditions: [] } };
  const next = invalidSpecStatus(raw, ['spec.sideA.volumeID'], NOW);
  expect(next).toMatchObject({ observedGeneration: 4, sideA: { volumeID: 158 } });
  const conditions = next['conditions'] as { type: string; status: string; reason: string; message: string }[];
  expect(conditions).toEqual([
    expect.objectContaining({ type: 'Ready', status: 'False', reason: 'InvalidSpec' }),
    expect.objectContaining({ type: 'Stalled', status: 'True', reason: 'InvalidSpec' }),
    // kstatus: Failed, not InProgress.
    expect.objectContaining({ type: 'Reconciling', status: 'False', reason: 'NotReconciling' }),
  ]);
  expect(conditions[0]?.message).toContain('spec.sideA.volumeID');
  // The patch touches only what changed: nothing of the observed status is deleted.
  expect(statusPatch(raw.status, next)).not.toHaveProperty('sideA');
  // Written once: the same report again is no write.
  expect(statusPatch(next, invalidSpecStatus({ ...raw, status: next }, ['spec.sideA.volumeID'], new Date('2026-12-02T11:00:00Z')))).toBeUndefined();
});
