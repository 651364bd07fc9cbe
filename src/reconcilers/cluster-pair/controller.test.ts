import { expect, it } from 'vitest';
import { FakeSource } from '../../controller/fake-source.ts';
import type { KubeObject } from '../../controller/object.ts';
import { clusterPairController } from './controller.ts';
import type { ClusterPairObject, VolumePairReference } from './controller.ts';
import type { ClusterPairReconciler } from './reconcile.ts';

const cp = (name: string, a: string, b: string): ClusterPairObject => ({
  metadata: { name },
  spec: { clusterARef: { name: a }, clusterBRef: { name: b }, deletionPolicy: 'Delete', managementPolicy: 'Manage' },
});

it('re-queues the ClusterPairs of a changed ElementCluster, and the ClusterPair a VolumePair references', () => {
  const clusterPairs = new FakeSource<ClusterPairObject>('clusterpairs');
  const elementClusters = new FakeSource<KubeObject>('elementclusters');
  const volumePairs = new FakeSource<VolumePairReference>('volumepairs');
  for (const pair of [cp('p1', 'dc1', 'dc2'), cp('p2', 'dc3', 'dc1'), cp('p3', 'dc2', 'dc3')]) clusterPairs.put(pair);
  const registration = clusterPairController({ reconciler: {} as ClusterPairReconciler, clusterPairs, elementClusters, volumePairs });

  const [byCluster, byVolumePair] = registration.watches ?? [];
  expect(byCluster?.map({ metadata: { name: 'dc1' } }).map((r: { name: string }) => r.name).sort()).toEqual(['p1', 'p2']);
  expect(byVolumePair?.map({ metadata: { name: 'v', namespace: 'db' }, spec: { clusterPairRef: { name: 'p3' } } })).toEqual([{ name: 'p3' }]);
  expect(byVolumePair?.map({ metadata: { name: 'v', namespace: 'db' } })).toEqual([]);
  expect(registration.name).toBe('ClusterPair');
});
