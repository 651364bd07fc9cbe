import { allEvents } from '../shell/plan.ts';
import { describe, expect, it } from 'vitest';
import { planClusterPair } from './plan.ts';
import {
  OTHER_UUID,
  UUID,
  clusterA,
  clusterB,
  condition,
  half,
  input,
  inputWith,
  intent,
  paired,
  pending,
  unavailable,
} from './plan-fixtures.ts';
import type { ClusterPairPlanInput } from './plan-types.ts';

const strayIncident = { reason: 'UnexplainedPendingPair', side: 'A' as const, id: 7, token: 'c0ffee01', since: '2026-11-27T11:00:00Z' };
const approvedStray = (pair: Partial<ClusterPairPlanInput['pair']> = {}) =>
  inputWith({ a: [pending(7, OTHER_UUID)] }, { annotations: { 'elementrepl.io/remove-pending-pair': 'A:7:c0ffee01' }, status: { incident: strayIncident }, ...pair });

/** Situations that make Manage mutate; Observe must do nothing in any of them. */
const mutatingSituations: [string, ClusterPairPlanInput][] = [
  ['nothing paired', input()],
  ['intent written', inputWith({}, { status: { pairing: intent(0) } })],
  ['our pending pair', inputWith({ a: [pending(1, UUID)] }, { status: { pairing: intent(0) } })],
  ['key stored', inputWith({ a: [pending(1, UUID)] }, { status: { pairing: intent(0) } }, { keySecret: { clusterPairUUID: UUID, clusterPairIDOnA: 1 } })],
  ['completed, key left', inputWith(paired(), { status: { pairing: intent(0) } }, { keySecret: { clusterPairUUID: UUID, clusterPairIDOnA: 55 } })],
  ['verified, intent left', inputWith(paired(), { status: { pairing: intent(0), clusterPairUUID: UUID } })],
  ['one side removed', inputWith({ a: [half(55, UUID, clusterB, 'Misconfigured')] }, { status: { clusterPairUUID: UUID } })],
  ['approved stray', approvedStray()],
  ['no finalizer', inputWith(paired(), { hasFinalizer: false })],
];

describe('managementPolicy Observe', () => {
  it.each(mutatingSituations)('changes nothing on Element, only drops our key: %s', (_name, manage) => {
    expect(planClusterPair(manage).step.kind).not.toBe('none');
    const observe = planClusterPair({ ...manage, pair: { ...manage.pair, managementPolicy: 'Observe' } });
    expect(observe.step).toEqual(manage.keySecret ? { kind: 'deleteKeySecret' } : { kind: 'none' });
  });

  const observe = (given: ClusterPairPlanInput) => planClusterPair({ ...given, pair: { ...given.pair, managementPolicy: 'Observe' } });

  it('adopts and reports an existing pair', () => {
    const plan = observe(input(paired()));
    expect(plan.status.clusterPairUUID).toBe(UUID);
    expect(condition(plan, 'Ready').status).toBe('True');
    expect(condition(plan, 'UpToDate').status).toBe('True');
    expect(allEvents(plan).map((e) => e.reason)).toEqual(['Adopted']);
  });

  it('reports a missing pair as Drifted', () => {
    const plan = observe(input());
    expect(condition(plan, 'UpToDate')).toMatchObject({ status: 'False', reason: 'Drifted' });
    expect(condition(plan, 'Ready').status).toBe('False');
  });

  it('reports a pair removed on one side as Drifted, naming the side', () => {
    const plan = observe(inputWith({ a: [half(55, UUID, clusterB, 'Misconfigured')] }, { status: { clusterPairUUID: UUID } }));
    const upToDate = condition(plan, 'UpToDate');
    expect(upToDate).toMatchObject({ status: 'False', reason: 'Drifted' });
    expect(upToDate.message).toContain('B (dc2) removed its half');
    expect(plan.status.sideA?.clusterPairID).toBe(55);
  });
});

describe('elementrepl.io/paused', () => {
  const paused = { annotations: { 'elementrepl.io/paused': 'true' } };

  it.each(mutatingSituations)('takes no step but dropping our key, and says so: %s', (_name, given) => {
    const plan = planClusterPair({ ...given, pair: { ...given.pair, ...paused } });
    expect(plan.step).toEqual(given.keySecret ? { kind: 'deleteKeySecret' } : { kind: 'none' });
    expect(plan.status.conditions).toEqual([
      expect.objectContaining({ type: 'Ready', status: 'False', reason: 'ReconcilePaused' }),
      expect.objectContaining({ type: 'Reconciling', status: 'False', reason: 'ReconcilePaused' }),
      expect.objectContaining({ type: 'Stalled', status: 'False', reason: 'ReconcilePaused' }),
    ]);
    expect(plan.requeue).toBe(given.keySecret ? 'immediate' : 'never');
  });

  it('also holds a deletion', () => {
    expect(planClusterPair(inputWith(paired(), { ...paused, deleting: true, status: { clusterPairUUID: UUID } })).step).toEqual({ kind: 'none' });
  });

  it('keeps what the status last recorded', () => {
    const plan = planClusterPair(inputWith(paired(), { ...paused, status: { clusterPairUUID: UUID, connectionStatus: 'Connected' } }));
    expect(plan.status).toMatchObject({ clusterPairUUID: UUID, connectionStatus: 'Connected' });
  });
});

describe('a pairing interrupted by Observe or pause (the key holds cluster credentials)', () => {
  const key = { clusterPairUUID: UUID, clusterPairIDOnA: 4 };
  const midPairing = (pair: Partial<ClusterPairPlanInput['pair']>, withKey = true) =>
    inputWith({ a: [pending(4, UUID)] }, { status: { pairing: intent(3) }, ...pair }, withKey ? { keySecret: key } : {});

  it('Observe: deletes the key Secret at once and reports the pending pair left on Element', () => {
    const plan = planClusterPair(midPairing({ managementPolicy: 'Observe' }));
    expect(plan.step).toEqual({ kind: 'deleteKeySecret' });
    expect(condition(plan, 'Ready').message).toContain('pending cluster pair 4 on A (dc1)');
  });

  it('Observe: keeps reporting the pending pair after the key is gone, and leaves it on Element', () => {
    const plan = planClusterPair(midPairing({ managementPolicy: 'Observe' }, false));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready').message).toContain('pending cluster pair 4 on A (dc1)');
    expect(plan.status.pairing).toEqual(intent(3));
  });

  it('paused: deletes the key Secret, the one thing it does, and names the pending pair it leaves', () => {
    const plan = planClusterPair(midPairing({ annotations: { 'elementrepl.io/paused': 'true' } }));
    expect(plan.step).toEqual({ kind: 'deleteKeySecret' });
    expect(condition(plan, 'Ready')).toMatchObject({ reason: 'ReconcilePaused', message: expect.stringContaining('pending cluster pair 4 on A (dc1)') });
  });

  it('paused: records the pending pair in the intent, and still names it after the key is gone', () => {
    const paused = { annotations: { 'elementrepl.io/paused': 'true' } };
    const first = planClusterPair(midPairing(paused));
    expect(first.status.pairing).toEqual({ ...intent(3), pendingPairIDOnA: 4 });
    const after = planClusterPair(inputWith({ a: [pending(4, UUID)] }, { ...paused, status: { pairing: first.status.pairing } }));
    expect(after.step).toEqual({ kind: 'none' });
    expect(after.requeue).toBe('never');
    expect(condition(after, 'Ready').message).toContain('pending cluster pair 4 on A (dc1)');
  });

  it('paused without key or recorded pair: says a pairing was interrupted above the intent mark', () => {
    const plan = planClusterPair(midPairing({ annotations: { 'elementrepl.io/paused': 'true' } }, false));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready').message).toContain('above ID 3 on A (dc1)');
  });
});

describe('finalizer', () => {
  it('comes before anything else in Manage, keeping the observed status', () => {
    const plan = planClusterPair(inputWith(paired(), { hasFinalizer: false }));
    expect(plan.step).toEqual({ kind: 'addFinalizer' });
    expect(plan.status.clusterPairUUID).toBe(UUID);
    expect(allEvents(plan).map((e) => e.reason)).toEqual(['Adopted']);
  });

  it('does not record a new intent on the way (that is a step of its own, after the finalizer)', () => {
    const plan = planClusterPair(inputWith({}, { hasFinalizer: false }));
    expect(plan.step).toEqual({ kind: 'addFinalizer' });
    expect(plan.status.pairing).toBeUndefined();
    expect(planClusterPair(inputWith({}, { hasFinalizer: false, status: { pairing: intent(0) } })).status.pairing).toEqual(intent(0));
  });

  it('drops the step Events of the step it replaces', () => {
    const plan = planClusterPair(approvedStray({ hasFinalizer: false }));
    expect(plan.step).toEqual({ kind: 'addFinalizer' });
    expect(allEvents(plan)).toEqual([]);
  });
});

describe('clusters not ready or not observable', () => {
  it.each([
    ['A not Ready', { clusterA: { ...clusterA, ready: false, notReadyReason: 'AuthFailed' } }, 'AuthFailed'],
    ['B without identity', { clusterB: { ...clusterB, uniqueID: undefined } }, 'identity'],
    ['A unreachable', { pairsOnA: unavailable('connect ECONNREFUSED') }, 'ECONNREFUSED'],
  ] as [string, Partial<ClusterPairPlanInput>, string][])('%s: ClusterNotReady, no step', (_name, overrides, inMessage) => {
    const plan = planClusterPair(inputWith({}, { status: { clusterPairUUID: UUID, sideA: { clusterPairID: 55, status: 'Connected' } } }, overrides));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'ClusterNotReady' });
    expect(condition(plan, 'Ready').message).toContain(inMessage);
    expect(plan.status).toMatchObject({ clusterPairUUID: UUID, connectionStatus: 'Unknown', sideA: { clusterPairID: 55 } });
  });
});

describe('determinism', () => {
  it('the same input gives the same plan', () => {
    const given = inputWith({ a: [pending(7, OTHER_UUID)] }, { status: { pairing: intent(3) } });
    expect(planClusterPair(given)).toEqual(planClusterPair(structuredClone(given)));
  });
});

describe('Warnings for new findings', () => {
  it('announces a Stalled finding once, and again only when its reason changes', () => {
    const first = planClusterPair(input({ a: [pending(7, OTHER_UUID)] }));
    expect(allEvents(first)).toEqual([expect.objectContaining({ type: 'Warning', reason: 'UnexplainedPendingPair' })]);
    expect(condition(first, 'UpToDate')).toMatchObject({ status: 'Unknown', reason: 'UnexplainedPendingPair' });
    const recorded = { conditions: first.status.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason })) };
    expect(allEvents(planClusterPair(inputWith({ a: [pending(7, OTHER_UUID)] }, { status: recorded })))).toEqual([]);
    const other = planClusterPair(inputWith({}, { status: recorded }, { clusterB: { ...clusterB, uniqueID: 'wcwb' } }));
    expect(allEvents(other)).toEqual([expect.objectContaining({ type: 'Warning', reason: 'SameCluster' })]);
  });

  it('announces RepairRequired', () => {
    const plan = planClusterPair(inputWith({ a: [half(55, UUID, clusterB, 'Misconfigured')] }, { status: { clusterPairUUID: UUID } }, {
      volumesOnA: { available: true, items: [{ volumeID: 158, volumePairs: [{ clusterPairID: 55 }] }] },
    }));
    expect(allEvents(plan)).toEqual([expect.objectContaining({ type: 'Warning', reason: 'RepairRequired' })]);
  });
});
