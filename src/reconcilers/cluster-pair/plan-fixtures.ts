// Builders for planner tests: two clusters "dc1" (A, uniqueID wcwb) and "dc2" (B, uniqueID bgn0)
// plus a third "dc3" (uniqueID c3c3), and the pairs each would list.
import type {
  ClusterPairPlanInput,
  ClusterView,
  ObservedClusterPair,
  ObservedPairedVolume,
} from './plan-types.ts';

export const UUID = '1cea1362-4c8f-461a-be72-74566a953d2f';
export const OTHER_UUID = '9866fbef-c2f8-4df3-beb9-58a5c4e49c9b';
export const NOW = '2026-11-27T12:00:00Z';
export const POLL_MS = 60_000;

export const clusterA: ClusterView = { name: 'dc1', ready: true, uniqueID: 'wcwb', mvips: ['127.0.0.1:4431'], version: '12.5.0.897', clusterName: 'PROD' };
export const clusterB: ClusterView = { name: 'dc2', ready: true, uniqueID: 'bgn0', mvips: ['127.0.0.1:4432'], version: '12.3.0.5', clusterName: 'DR' };
export const clusterC: ClusterView = { name: 'dc3', ready: true, uniqueID: 'c3c3', mvips: ['127.0.0.1:4433'], version: '12.5.0.897', clusterName: 'THIRD' };

/** A half listed on one cluster that names `remote`. */
export function half(id: number, uuid: string, remote: ClusterView, status = 'Connected'): ObservedClusterPair {
  return {
    clusterPairID: id,
    clusterPairUUID: uuid,
    clusterUUID: remote.uniqueID ?? '',
    clusterName: remote.clusterName ?? '',
    mvip: remote.mvips[0] ?? '',
    status,
    latency: 1,
    version: remote.version ?? '',
  };
}

/** A pending pair as StartClusterPairing leaves it (element-api F4). */
export function pending(id: number, uuid: string): ObservedClusterPair {
  return { clusterPairID: id, clusterPairUUID: uuid, clusterUUID: '', clusterName: '', mvip: '', status: 'Unconfigured', latency: 0, version: '' };
}

export function volume(volumeID: number, clusterPairID: number, name = `vol${volumeID}`): ObservedPairedVolume {
  return { volumeID, name, volumePairs: [{ clusterPairID }] };
}

export const available = <T,>(items: T[]) => ({ available: true as const, items });
export const unavailable = (reason = 'connect ECONNREFUSED') => ({ available: false as const, reason });

export interface Scenario {
  a?: ObservedClusterPair[];
  b?: ObservedClusterPair[];
}

export function input(scenario: Scenario = {}, overrides: Partial<ClusterPairPlanInput> = {}): ClusterPairPlanInput {
  return {
    pair: {
      name: 'dc1-dc2',
      uid: '5f0e2b1c-0d57-4a43-9b0e-6c1f3a2d9e10',
      generation: 3,
      deletionPolicy: 'Delete',
      managementPolicy: 'Manage',
      annotations: {},
      deleting: false,
      hasFinalizer: true,
      status: {},
    },
    clusterA,
    clusterB,
    pairsOnA: available(scenario.a ?? []),
    pairsOnB: available(scenario.b ?? []),
    volumesOnA: available([]),
    volumesOnB: available([]),
    referencingVolumePairs: [],
    pendingOwnedElsewhere: { A: [], B: [] },
    pairLimit: 4,
    pollIntervalMs: POLL_MS,
    now: NOW,
    ...overrides,
  };
}

/** Same as input() but with changes to the ClusterPair itself. */
export function inputWith(
  scenario: Scenario,
  pair: Partial<ClusterPairPlanInput['pair']>,
  overrides: Partial<ClusterPairPlanInput> = {},
): ClusterPairPlanInput {
  const base = input(scenario, overrides);
  return { ...base, pair: { ...base.pair, ...pair } };
}

export const intent = (highestPairIDOnA: number) => ({ phase: 'Starting' as const, startedAt: '2026-11-27T11:59:00Z', highestPairIDOnA });

/** The healthy end state: one pair with UUID on both sides, IDs 55 (A) and 61 (B). */
export const paired = (status = 'Connected'): Scenario => ({ a: [half(55, UUID, clusterB, status)], b: [half(61, UUID, clusterA, status)] });

export function condition(plan: { status: { conditions: { type: string; status: string; reason: string; message: string }[] } }, type: string) {
  const found = plan.status.conditions.find((c) => c.type === type);
  if (!found) throw new Error(`no ${type} condition`);
  return found;
}
