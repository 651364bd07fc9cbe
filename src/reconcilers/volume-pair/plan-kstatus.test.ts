// kstatus (DESIGN §9): Reconciling=True while the pair works toward the spec (Pairing, Syncing,
// waiting for its ClusterPair, Deleting), Stalled=True when a human must act, neither when done,
// Degraded or paused.
import { describe, expect, test } from 'vitest';
import { planVolumePair } from './plan.ts';
import { condition, ownedStatus, pairedVolumes, scenario, UUID } from './plan-fixtures.ts';
import type { VolumePairPlan } from './plan-types.ts';

const kstatusOf = (plan: VolumePairPlan) =>
  Object.fromEntries((plan.status.conditions ?? []).filter((c) => ['Reconciling', 'Stalled'].includes(c.type)).map((c) => [c.type, `${c.status}/${c.reason}`]));

describe('VolumePair kstatus conditions', () => {
  test('a new pair is Reconciling (Pairing), written with observedGeneration', () => {
    const plan = planVolumePair(scenario());

    expect(kstatusOf(plan)).toEqual({ Reconciling: 'True/Pairing', Stalled: 'False/NotStalled' });
    expect(plan.status.observedGeneration).toBe(3);
    expect(plan.status.conditions?.find((c) => c.type === 'Reconciling')?.observedGeneration).toBe(3);
  });

  test('an initial sync is Reconciling (Syncing), with Ready\'s message', () => {
    const plan = planVolumePair(scenario({ ...pairedVolumes('ResumingFullSync'), status: { ...ownedStatus, volumePairUUID: UUID } }));

    expect(kstatusOf(plan)).toEqual({ Reconciling: 'True/Syncing', Stalled: 'False/NotStalled' });
    expect(condition(plan, 'Reconciling')?.message).toBe(condition(plan, 'Ready')?.message);
  });

  test('an Active pair is done', () => {
    const plan = planVolumePair(scenario({ ...pairedVolumes(), status: { ...ownedStatus, volumePairUUID: UUID } }));

    expect(kstatusOf(plan)).toEqual({ Reconciling: 'False/NotReconciling', Stalled: 'False/NotStalled' });
  });

  test('a Degraded pair is neither Reconciling nor Stalled (kstatus reads its Ready=False as InProgress)', () => {
    const plan = planVolumePair(scenario({ ...pairedVolumes('PausedDisconnected'), status: { ...ownedStatus, volumePairUUID: UUID }, cp: { connected: false } }));

    expect(condition(plan, 'Degraded')?.status).toBe('True');
    expect(kstatusOf(plan)).toEqual({ Reconciling: 'False/NotReconciling', Stalled: 'False/NotStalled' });
  });

  test('waiting for a missing ClusterPair is Reconciling', () => {
    expect(kstatusOf(planVolumePair(scenario({ cp: 'missing' })))).toEqual({ Reconciling: 'True/ClusterPairNotReady', Stalled: 'False/NotStalled' });
  });

  test('a namespace the ClusterPair does not allow is Stalled, not Reconciling', () => {
    expect(kstatusOf(planVolumePair(scenario({ cp: { allowedNamespaces: [] } })))).toEqual({ Reconciling: 'False/NotReconciling', Stalled: 'True/NamespaceNotAllowed' });
  });

  test('a paused pair is neither Reconciling nor Stalled, even if it was stalled', () => {
    const stalledBefore = { type: 'Stalled', status: 'True', reason: 'TargetInUse', message: 'm', lastTransitionTime: '2026-03-01T11:00:00Z' } as const;
    const plan = planVolumePair(scenario({ vp: { annotations: { 'elementrepl.io/paused': 'true' } }, status: { conditions: [stalledBefore] } }));

    expect(kstatusOf(plan)).toEqual({ Reconciling: 'False/ReconcilePaused', Stalled: 'False/ReconcilePaused' });
  });
});
