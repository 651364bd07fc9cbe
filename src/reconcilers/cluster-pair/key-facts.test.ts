import { describe, expect, it } from 'vitest';
import { KEY_CLUSTER_ANNOTATION, KEY_PAIR_ID_ANNOTATION, keyFacts, pendingOwnedElsewhere } from './key-facts.ts';

describe('pending pairs other ClusterPairs hold keys for', () => {
  const clusters = { A: { name: 'dc1', uniqueID: 'wcwb' }, B: { name: 'dc2', uniqueID: 'bgn0' } };

  it('records the Element cluster identity beside the key', () => {
    expect(keyFacts({ clusterPairUUID: 'u', clusterPairID: 7, cluster: 'dc1-alias', clusterUniqueID: 'wcwb' })).toMatchObject({
      'elementrepl.io/element-cluster-unique-id': 'wcwb',
    });
  });

  it('key on the Element cluster, not the ElementCluster name: a second ElementCluster for one MVIP shares them', () => {
    const other = keyFacts({ clusterPairUUID: 'u', clusterPairID: 7, cluster: 'dc1-alias', clusterUniqueID: 'wcwb' });
    expect(pendingOwnedElsewhere([other], clusters)).toEqual({ A: [7], B: [] });
  });

  it('a key issued by another Element cluster under the same ElementCluster name is not ours to count', () => {
    const other = keyFacts({ clusterPairUUID: 'u', clusterPairID: 7, cluster: 'dc1', clusterUniqueID: 'zzzz' });
    expect(pendingOwnedElsewhere([other], clusters)).toEqual({ A: [], B: [] });
  });

  it('falls back to the name for key Secrets written by older versions', () => {
    const old = { [KEY_PAIR_ID_ANNOTATION]: '9', [KEY_CLUSTER_ANNOTATION]: 'dc2' };
    expect(pendingOwnedElsewhere([old], clusters)).toEqual({ A: [], B: [9] });
    expect(pendingOwnedElsewhere([old], { A: { name: 'dc1' }, B: { name: 'dc2' } })).toEqual({ A: [], B: [9] });
  });
});
