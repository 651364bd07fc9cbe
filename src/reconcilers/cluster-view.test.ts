import { describe, expect, it } from 'vitest';
import type { ElementCluster } from '../api/element-cluster.ts';
import { clusterView } from './cluster-view.ts';

const ready = [{ type: 'Ready', status: 'True' as const, reason: 'Connected', message: 'm', lastTransitionTime: '2026-05-01T12:00:00Z' }];

function cluster(mvip: string, status: ElementCluster['status']): ElementCluster {
  return { metadata: { name: 'dc1' }, spec: { mvip, credentialsSecretRef: { name: 'dc1-admin' } }, status };
}

describe('clusterView', () => {
  it('knows the cluster by its spec MVIP and by the MVIP GetClusterInfo reported', () => {
    const view = clusterView('dc1', cluster('dc1.example.com', { clusterUniqueID: 'ab12', clusterMVIP: '10.0.0.10', conditions: ready }));

    expect(view).toMatchObject({ name: 'dc1', ready: true, uniqueID: 'ab12' });
    expect(view.mvips).toEqual(['dc1.example.com', '10.0.0.10']);
  });

  it('lists one MVIP once, whatever its spelling', () => {
    expect(clusterView('dc1', cluster('10.0.0.10:443', { clusterMVIP: '10.0.0.10', conditions: ready })).mvips).toEqual(['10.0.0.10:443']);
  });

  it('has only the spec MVIP before the cluster reported one', () => {
    expect(clusterView('dc1', cluster('10.0.0.10', { conditions: ready })).mvips).toEqual(['10.0.0.10']);
  });

  it('is not ready and has no MVIP when the ElementCluster is missing', () => {
    expect(clusterView('dc1', null)).toEqual({ name: 'dc1', ready: false, notReadyReason: 'NotFound', mvips: [] });
  });
});
