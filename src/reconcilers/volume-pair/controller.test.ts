// Which VolumePairs a ClusterPair or ElementCluster change re-queues: only the ones on the changed
// pair, only when something they read changed, and at once when an ElementCluster turns Ready.
import { describe, expect, it } from 'vitest';
import type { ClusterPair, ElementCluster, VolumePair } from '../../api/index.ts';
import type { SecondaryWatch } from '../../controller/controller.ts';
import { FakeSource } from '../../controller/fake-source.ts';
import { volumePairController } from './controller.ts';
import type { VolumePairReconciler } from './reconcile.ts';

function vp(name: string, clusterPair: string): VolumePair {
  return {
    metadata: { name, namespace: 'db' },
    spec: {
      clusterPairRef: { name: clusterPair }, sideA: { volumeID: 1 }, sideB: { volumeID: 2 }, primarySide: 'A', mode: 'Async',
      paused: false, targetPolicy: 'RequireUnused', deletionPolicy: 'Delete', managementPolicy: 'Manage',
    },
  } as VolumePair;
}

function cp(name: string, connectionStatus: string, latencyMs = 1): ClusterPair {
  return {
    metadata: { name },
    spec: { clusterARef: { name: 'dc1' }, clusterBRef: { name: 'dc2' }, deletionPolicy: 'Delete', managementPolicy: 'Manage' },
    status: { clusterPairUUID: 'u', sideA: { clusterPairID: 1, latencyMs }, sideB: { clusterPairID: 2, latencyMs }, connectionStatus },
  } as ClusterPair;
}

function ec(name: string, ready: boolean): ElementCluster {
  const condition = { type: 'Ready', status: ready ? 'True' : 'False', reason: 'x', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' };
  return { metadata: { name }, spec: { mvip: '127.0.0.1' }, status: { conditions: [condition] } } as unknown as ElementCluster;
}

function setup() {
  const volumePairs = new FakeSource<VolumePair>('vp');
  const clusterPairs = new FakeSource<ClusterPair>('cp');
  const elementClusters = new FakeSource<ElementCluster>('ec');
  for (const o of [vp('a', 'one'), vp('b', 'one'), vp('c', 'two')]) volumePairs.put(o);
  clusterPairs.put(cp('one', 'Connected'));
  const registration = volumePairController({ reconciler: {} as VolumePairReconciler, volumePairs, clusterPairs, elementClusters });
  const [onPair, onCluster] = registration.watches as [SecondaryWatch<ClusterPair>, SecondaryWatch<ElementCluster>];
  return { registration, onPair, onCluster };
}

const names = (requests: { name: string }[]) => requests.map((r) => r.name).sort();

describe('VolumePair controller watches', () => {
  it('a ClusterPair change re-queues its VolumePairs once per change of what they read', () => {
    const { registration, onPair } = setup();
    expect(registration.name).toBe('VolumePair');
    expect(names(onPair.map(cp('one', 'Connected')))).toEqual(['a', 'b']);
    expect(onPair.map(cp('one', 'Connected', 7))).toEqual([]); // latency only
    expect(names(onPair.map(cp('one', 'Disconnected')))).toEqual(['a', 'b']);
  });

  it('an ElementCluster turning Ready re-queues the VolumePairs on the ClusterPairs that use it', () => {
    const { onCluster } = setup();
    expect(onCluster.map(ec('dc1', false))).toEqual([]);
    expect(names(onCluster.map(ec('dc1', true)))).toEqual(['a', 'b']);
    expect(onCluster.map(ec('dc1', true))).toEqual([]); // still Ready: nothing new
    expect(onCluster.map(ec('dc9', true))).toEqual([]); // used by no ClusterPair
  });
});
