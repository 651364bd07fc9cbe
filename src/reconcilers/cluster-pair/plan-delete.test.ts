import { allEvents } from '../shell/plan.ts';
import { describe, expect, it } from 'vitest';
import { planClusterPair } from './plan.ts';
import {
  OTHER_UUID,
  UUID,
  available,
  clusterA,
  clusterB,
  condition,
  half,
  inputWith,
  intent,
  paired,
  pending,
  unavailable,
  volume,
} from './plan-fixtures.ts';
import type { Scenario } from './plan-fixtures.ts';
import type { ClusterPairPlanInput, ClusterPairView } from './plan-types.ts';

type PairChanges = Partial<ClusterPairView>;
const deleting = (scenario: Scenario, pair: PairChanges = {}, overrides: Partial<ClusterPairPlanInput> = {}) =>
  planClusterPair(inputWith(scenario, { deleting: true, status: { clusterPairUUID: UUID }, ...pair }, overrides));

describe('deletion with deletionPolicy Delete', () => {
  it('removes both halves, then drops the finalizer', () => {
    expect(deleting(paired()).step).toEqual({ kind: 'removeBoth', clusterPairIDs: { A: 55, B: 61 } });
    expect(deleting({}).step).toEqual({ kind: 'dropFinalizer' });
  });

  it('a half already gone counts as removed', () => {
    expect(deleting({ a: [half(55, UUID, clusterB, 'Misconfigured')] }).step).toEqual({ kind: 'removeBoth', clusterPairIDs: { A: 55 } });
  });

  it('is InUse while VolumePairs reference it', () => {
    const plan = deleting(paired(), {}, { referencingVolumePairs: ['db/orders'] });
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'InUse' });
    expect(condition(plan, 'Ready').message).toContain('db/orders');
  });

  it('is InUse while Element lists volume pairs on its clusterPairIDs', () => {
    const plan = deleting(paired(), {}, { volumesOnB: available([volume(260, 61, 'testr'), volume(300, 99)]) });
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready').message).toContain('260 (testr)');
    expect(condition(plan, 'Ready').message).not.toContain('300');
  });

  it('waits while a cluster cannot be listed, pointing at force-delete', () => {
    const plan = deleting(paired(), {}, { pairsOnB: unavailable() });
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready').message).toContain('elementrepl.io/force-delete');
    expect(deleting(paired(), {}, { volumesOnA: unavailable() }).step).toEqual({ kind: 'none' });
  });

  it('cleans up an unfinished pairing: our pending pair, then the key Secret', () => {
    const pairing = { status: { pairing: intent(3) } };
    expect(deleting({ a: [pending(4, OTHER_UUID)] }, pairing).step).toEqual({ kind: 'removePendingPair', side: 'A', clusterPairID: 4, attribution: 'ours' });
    expect(deleting({ a: [pending(4, UUID)] }, pairing, { keySecret: { clusterPairUUID: UUID, clusterPairIDOnA: 4 } }).step).toEqual({
      kind: 'removeBoth',
      clusterPairIDs: { A: 4 },
    });
    expect(deleting({}, pairing, { keySecret: { clusterPairUUID: UUID, clusterPairIDOnA: 4 } }).step).toEqual({ kind: 'deleteKeySecret' });
  });

  it('removes a pair it completed whose UUID never reached the status', () => {
    const plan = deleting({ a: [half(4, UUID, clusterB)], b: [half(9, UUID, clusterA)] }, { status: { pairing: intent(3) } });
    expect(plan.step).toEqual({ kind: 'removeBoth', clusterPairIDs: { A: 4, B: 9 } });
  });

  it('never removes a pair it neither recorded nor created', () => {
    const plan = deleting(paired(), { status: {} });
    expect(plan.step).toEqual({ kind: 'dropFinalizer' });
  });

  it('leaves pending pairs it cannot attribute', () => {
    expect(deleting({ a: [pending(2, OTHER_UUID)] }, { status: { pairing: intent(3) } }).step).toEqual({ kind: 'dropFinalizer' });
  });
});

describe('deletion without Element calls', () => {
  it.each([
    ['Orphan', { deletionPolicy: 'Orphan' }],
    ['Observe', { managementPolicy: 'Observe' }],
  ] as [string, PairChanges][])('%s drops the finalizer, leaving Element alone', (_name, policy) => {
    expect(deleting(paired(), policy).step).toEqual({ kind: 'dropFinalizer' });
  });

  it('Orphan still deletes its own key Secret first', () => {
    expect(deleting(paired(), { deletionPolicy: 'Orphan' }, { keySecret: { clusterPairUUID: UUID, clusterPairIDOnA: 55 } }).step).toEqual({ kind: 'deleteKeySecret' });
  });

  it('force-delete drops the finalizer with a Warning, even while in use or unreachable', () => {
    const plan = deleting(paired(), { annotations: { 'elementrepl.io/force-delete': 'true' } }, { referencingVolumePairs: ['db/orders'], pairsOnA: unavailable() });
    expect(plan.step).toEqual({ kind: 'dropFinalizer' });
    expect(allEvents(plan)).toEqual([expect.objectContaining({ type: 'Warning', reason: 'ForceDeleted' })]);
    expect(plan.requeue).toBe('never');
  });

  it('with the finalizer gone there is nothing left to do', () => {
    expect(deleting(paired(), { hasFinalizer: false }).step).toEqual({ kind: 'none' });
  });
});
