import { describe, expect, it } from 'vitest';
import type { ClusterPair, VolumePair } from '../../api/index.ts';
import { buildClaimIndex, claimsOn } from './plan-claims.ts';
import { clusterPairView, volumePairView } from './plan-views.ts';

function clusterPair(over: { status?: ClusterPair['status']; annotations?: Record<string, string>; deleting?: boolean; allowed?: string[] } = {}): ClusterPair {
  return {
    metadata: {
      name: 'dc1-dc2',
      ...(over.annotations ? { annotations: over.annotations } : {}),
      ...(over.deleting ? { deletionTimestamp: '2026-03-01T00:00:00Z' } : {}),
    },
    spec: {
      clusterARef: { name: 'dc1' },
      clusterBRef: { name: 'dc2' },
      deletionPolicy: 'Delete',
      managementPolicy: 'Manage',
      volumePairPolicy: { adoptExisting: true, allowOverwrite: false },
      ...(over.allowed ? { allowedNamespaces: over.allowed } : {}),
    },
    ...(over.status ? { status: over.status } : {}),
  };
}

const pairedStatus: ClusterPair['status'] = {
  clusterPairUUID: 'b9322478-3779-4cd3-908f-2a48f22202fe',
  sideA: { clusterPairID: 55, status: 'Connected' },
  sideB: { clusterPairID: 61, status: 'Connected' },
  connectionStatus: 'Connected',
};

function volumePair(name: string, created: string, sideB: VolumePair['spec']['sideB'], status?: VolumePair['status']): VolumePair {
  return {
    metadata: { name, namespace: 'db', creationTimestamp: created, generation: 2, finalizers: ['elementrepl.io/cleanup'] },
    spec: {
      clusterPairRef: { name: 'dc1-dc2' },
      sideA: { volumeID: 158 },
      sideB,
      primarySide: 'A',
      failover: 'Planned',
      mode: 'Async',
      paused: false,
      targetPolicy: 'RequireUnused',
      targetSizePolicy: 'Grow',
      deletionPolicy: 'Delete',
      managementPolicy: 'Manage',
    },
    ...(status ? { status } : {}),
  };
}

describe('clusterPairView', () => {
  it('is paired and connected with both IDs and the UUID', () => {
    expect(clusterPairView(clusterPair({ status: pairedStatus, allowed: ['db'] }))).toEqual({
      paired: true, connected: true, clusterPairIDs: { A: 55, B: 61 }, allowedNamespaces: ['db'], managementPolicy: 'Manage', allowRepair: false, volumePairPolicy: { adoptExisting: true, allowOverwrite: false },
    });
  });
  it.each([
    ['no status', clusterPair()],
    ['one side only', clusterPair({ status: { ...pairedStatus, sideB: { status: 'Unconfigured' } } })],
    ['being deleted', clusterPair({ status: pairedStatus, deleting: true })],
  ])('is not paired: %s', (_name, cp) => {
    expect(clusterPairView(cp)?.paired).toBe(false);
  });
  it('reads connection and allow-repair', () => {
    const view = clusterPairView(clusterPair({ status: { ...pairedStatus, connectionStatus: 'Disconnected' }, annotations: { 'elementrepl.io/allow-repair': 'true' } }));
    expect(view).toMatchObject({ paired: true, connected: false, allowRepair: true });
  });
});

describe('volumePairView', () => {
  it('reads deletion, finalizer and generation from metadata', () => {
    const vp = volumePair('pg', '2026-01-01T00:00:00Z', { volumeID: 260 });
    expect(volumePairView(vp)).toMatchObject({ namespace: 'db', name: 'pg', generation: 2, deleting: false, hasFinalizer: true, status: {} });
    expect(volumePairView({ ...vp, metadata: { ...vp.metadata, finalizers: [], deletionTimestamp: 'x' } })).toMatchObject({ deleting: true, hasFinalizer: false });
  });
});

describe('claim index', () => {
  it('indexes owned IDs, spec IDs, and skips unresolved names and unknown ClusterPairs', () => {
    const cps = new Map([['dc1-dc2', clusterPair()]]);
    const owner = volumePair('owner', '2026-02-01T00:00:00Z', { volumeName: 'x', accountID: 1 }, { sideA: { volumeID: 158 }, sideB: { volumeID: 260 } });
    const byID = volumePair('by-id', '2026-01-01T00:00:00Z', { volumeID: 260 });
    const byName = volumePair('by-name', '2026-01-01T00:00:00Z', { volumeName: 'y', accountID: 1 });
    const orphan = { ...volumePair('orphan', '2026-01-01T00:00:00Z', { volumeID: 260 }), spec: { ...byID.spec, clusterPairRef: { name: 'gone' } } };
    const index = buildClaimIndex([owner, byID, byName, orphan], cps);
    const onTarget = claimsOn(index, [{ elementCluster: 'dc2', volumeID: 260 }, { elementCluster: 'dc2', volumeID: 260 }]);
    expect(onTarget.map((c) => [c.key, c.owned])).toEqual([['db/owner', true], ['db/by-id', false]]);
    expect(claimsOn(index, [{ elementCluster: 'dc1', volumeID: 158 }]).map((c) => c.key)).toEqual(['db/owner', 'db/by-id', 'db/by-name']);
    expect(claimsOn(index, [{ elementCluster: 'dc1', volumeID: 260 }])).toEqual([]);
  });
});
