import { describe, expect, it } from 'vitest';
import { FakeSource } from '../../controller/fake-source.ts';
import { clusterPairController } from './controller.ts';
import type { ClusterPairObject, ElementClusterObject, VolumePairReference } from './controller.ts';
import type { ClusterPairReconciler } from './reconcile.ts';

const cp = (name: string, a: string, b: string, deleting = false): ClusterPairObject => ({
  metadata: { name, ...(deleting ? { deletionTimestamp: '2026-11-27T12:00:00Z' } : {}) },
  spec: { clusterARef: { name: a }, clusterBRef: { name: b }, deletionPolicy: 'Delete', managementPolicy: 'Manage', volumePairPolicy: { adoptExisting: true, allowOverwrite: false } },
});
const ec = (name: string, ready: boolean, lastContactTime = '2026-11-27T12:00:00Z'): ElementClusterObject => ({
  metadata: { name },
  status: {
    clusterUniqueID: 'wcwb',
    lastContactTime,
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Connected' : 'Unreachable', message: '', lastTransitionTime: '2026-11-27T12:00:00Z' }],
  },
});

function setup() {
  const clusterPairs = new FakeSource<ClusterPairObject>('clusterpairs');
  const elementClusters = new FakeSource<ElementClusterObject>('elementclusters');
  const volumePairs = new FakeSource<VolumePairReference>('volumepairs');
  for (const pair of [cp('p1', 'dc1', 'dc2'), cp('p2', 'dc3', 'dc1'), cp('p3', 'dc2', 'dc3', true)]) clusterPairs.put(pair);
  const registration = clusterPairController({ reconciler: {} as ClusterPairReconciler, clusterPairs, elementClusters, volumePairs });
  const [byCluster, byVolumePair] = registration.watches ?? [];
  if (!byCluster || !byVolumePair) throw new Error('watches missing');
  return { registration, byCluster, byVolumePair };
}

const names = (requests: { name: string }[]) => requests.map((r) => r.name).sort();

describe('ClusterPair controller watches', () => {
  it('an ElementCluster turning Ready re-queues the ClusterPairs using it; a routine status write does not', () => {
    const { registration, byCluster } = setup();
    expect(registration.name).toBe('ClusterPair');
    expect(names(byCluster.map(ec('dc1', false)))).toEqual(['p1', 'p2']);
    expect(names(byCluster.map(ec('dc1', true)))).toEqual(['p1', 'p2']);
    expect(byCluster.map(ec('dc1', true, '2026-11-27T12:01:00Z'))).toEqual([]);
  });

  it('a VolumePair event re-queues its ClusterPair only while that one is being deleted', () => {
    const { byVolumePair } = setup();
    const vp = (pair: string): VolumePairReference => ({ metadata: { name: 'v', namespace: 'db' }, spec: { clusterPairRef: { name: pair } } });
    expect(byVolumePair.map(vp('p3'))).toEqual([{ name: 'p3' }]);
    expect(byVolumePair.map(vp('p1'))).toEqual([]);
    expect(byVolumePair.map({ metadata: { name: 'v', namespace: 'db' } })).toEqual([]);
  });
});
