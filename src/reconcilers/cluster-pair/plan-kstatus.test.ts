// kstatus (DESIGN §9): Reconciling=True while the pair works toward the spec, Stalled=True when a
// human must act, neither when done, Disconnected (Degraded) or paused.
import { describe, expect, test } from 'vitest';
import { planClusterPair } from './plan.ts';
import { clusterA, condition, input, inputWith, paired } from './plan-fixtures.ts';

const kstatusOf = (plan: ReturnType<typeof planClusterPair>) =>
  Object.fromEntries(plan.status.conditions.filter((c) => ['Reconciling', 'Stalled', 'Degraded'].includes(c.type)).map((c) => [c.type, `${c.status}/${c.reason}`]));

describe('ClusterPair kstatus conditions', () => {
  test('a pair being created is Reconciling, in the same status that raises observedGeneration', () => {
    const plan = planClusterPair(input());

    expect(kstatusOf(plan)).toEqual({ Reconciling: 'True/Pairing', Stalled: 'False/NotStalled', Degraded: 'False/NotDegraded' });
    expect(plan.status.observedGeneration).toBe(3);
    expect(plan.status.conditions.find((c) => c.type === 'Reconciling')?.observedGeneration).toBe(3);
  });

  test('a Connected pair is done', () => {
    expect(kstatusOf(planClusterPair(input(paired())))).toEqual({ Reconciling: 'False/NotReconciling', Stalled: 'False/NotStalled', Degraded: 'False/NotDegraded' });
  });

  test('a Connecting pair is Reconciling', () => {
    expect(kstatusOf(planClusterPair(input(paired('Connecting'))))).toMatchObject({ Reconciling: 'True/Connecting' });
  });

  test('a Disconnected pair is Degraded=True (Disconnected) and not Reconciling: kstatus reads it Current', () => {
    const plan = planClusterPair(input(paired('Disconnected')));

    expect(kstatusOf(plan)).toEqual({ Reconciling: 'False/NotReconciling', Stalled: 'False/NotStalled', Degraded: 'True/Disconnected' });
    expect(condition(plan, 'Ready').reason).toBe('Disconnected');
  });

  test('waiting for an ElementCluster is Reconciling (ClusterNotReady)', () => {
    const plan = planClusterPair(input(paired(), { clusterA: { ...clusterA, ready: false, notReadyReason: 'Unreachable' } }));

    expect(kstatusOf(plan)).toMatchObject({ Reconciling: 'True/ClusterNotReady' });
  });

  test('two names for one cluster is Stalled, not Reconciling', () => {
    const plan = planClusterPair(input({}, { clusterB: { ...clusterA, name: 'dc2' } }));

    expect(kstatusOf(plan)).toMatchObject({ Reconciling: 'False/NotReconciling', Stalled: 'True/SameCluster' });
  });

  test('a paused pair is neither Reconciling nor Stalled, even if it was stalled', () => {
    const stalledBefore = { type: 'Stalled', status: 'True', reason: 'SameCluster', message: 'm', lastTransitionTime: '2026-11-27T11:00:00Z' } as const;
    const plan = planClusterPair(inputWith({}, { annotations: { 'elementrepl.io/paused': 'true' }, status: { conditions: [stalledBefore] } }));

    expect(kstatusOf(plan)).toMatchObject({ Reconciling: 'False/ReconcilePaused', Stalled: 'False/ReconcilePaused' });
  });
});
