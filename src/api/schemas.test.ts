import { describe, expect, test } from 'vitest';
import { ClusterPair, ClusterPairSpec } from './cluster-pair.ts';
import { ElementCluster, ElementClusterSpec } from './element-cluster.ts';
import { VolumePair, VolumePairSpec, VolumeSelector } from './volume-pair.ts';
import { kubeTime } from './common.ts';

const pin = Array.from({ length: 32 }, () => 'AB').join(':');

describe('ElementClusterSpec', () => {
  const base = { mvip: '10.0.0.10', credentialsSecretRef: { name: 'dc1-admin' } };

  test.each([
    ['minimal', base],
    ['host:port and API version', { ...base, mvip: 'dc1.example.com:8443', apiVersion: '12.5' }],
    ['IPv6 with port', { ...base, mvip: '[fd00::10]:443' }],
    ['pinned', { ...base, tls: { pinnedSHA256: pin, serverName: 'dc1.example.com' } }],
    ['CA', { ...base, credentialsSecretRef: { name: 'a', namespace: 'ops' }, tls: { caSecretRef: { name: 'dc1-ca' } } }],
    ['insecure', { ...base, tls: { insecureSkipVerify: true } }],
  ])('accepts %s', (_name, spec) => {
    expect(ElementClusterSpec.safeParse(spec).success).toBe(true);
  });

  test('fills defaults: CA key and insecureSkipVerify', () => {
    const spec = ElementClusterSpec.parse({ ...base, tls: { caSecretRef: { name: 'dc1-ca' } } });

    expect(spec.tls).toEqual({ caSecretRef: { name: 'dc1-ca', key: 'ca.crt' }, insecureSkipVerify: false });
  });

  test.each([
    ['no mvip', { credentialsSecretRef: { name: 'x' } }],
    ['mvip with scheme', { ...base, mvip: 'https://10.0.0.10' }],
    ['mvip with path', { ...base, mvip: '10.0.0.10/json-rpc' }],
    ['no credentials', { mvip: '10.0.0.10' }],
    ['upper-case Secret name', { ...base, credentialsSecretRef: { name: 'DC1' } }],
    ['bad API version', { ...base, apiVersion: 'v12' }],
    ['short fingerprint', { ...base, tls: { pinnedSHA256: 'AB:CD' } }],
    ['CA and pin', { ...base, tls: { caSecretRef: { name: 'c' }, pinnedSHA256: pin } }],
    ['pin and insecure', { ...base, tls: { pinnedSHA256: pin, insecureSkipVerify: true } }],
  ])('rejects %s', (_name, spec) => {
    expect(ElementClusterSpec.safeParse(spec).success).toBe(false);
  });
});

describe('ClusterPairSpec', () => {
  const base = { clusterARef: { name: 'dc1' }, clusterBRef: { name: 'dc2' } };

  test('fills defaults and keeps allowedNamespaces absent (= all)', () => {
    expect(ClusterPairSpec.parse(base)).toEqual({ ...base, deletionPolicy: 'Delete', managementPolicy: 'Manage', volumePairPolicy: { adoptExisting: true, allowOverwrite: false } });
  });

  test('accepts every policy value and a namespace list', () => {
    const spec = {
      ...base,
      allowedNamespaces: ['db', 'apps'],
      namespaceAccounts: [{ namespace: 'db', accountsA: [5], accountsB: [7] }],
      volumePairPolicy: { adoptExisting: false, allowOverwrite: true },
      deletionPolicy: 'Orphan',
      managementPolicy: 'Observe',
    };

    expect(ClusterPairSpec.parse(spec)).toEqual(spec);
  });

  test.each([
    ['A == B', { clusterARef: { name: 'dc1' }, clusterBRef: { name: 'dc1' } }],
    ['missing B', { clusterARef: { name: 'dc1' } }],
    ['unknown deletionPolicy', { ...base, deletionPolicy: 'Retain' }],
    ['unknown managementPolicy', { ...base, managementPolicy: 'Create' }],
    ['invalid namespace', { ...base, allowedNamespaces: ['Not_A_Namespace'] }],
  ])('rejects %s', (_name, spec) => {
    expect(ClusterPairSpec.safeParse(spec).success).toBe(false);
  });
});

describe('VolumeSelector and VolumePairSpec', () => {
  test.each([
    ['by ID', { volumeID: 158 }],
    ['by name', { volumeName: 'testr', accountID: 1 }],
  ])('selector accepts %s', (_name, selector) => {
    expect(VolumeSelector.parse(selector)).toEqual(selector);
  });

  test.each([
    ['both ID and name', { volumeID: 1, volumeName: 'x', accountID: 1 }],
    ['neither', {}],
    ['name without account', { volumeName: 'x' }],
    ['account with ID', { volumeID: 1, accountID: 1 }],
    ['zero ID', { volumeID: 0 }],
    ['negative ID', { volumeID: -1 }],
    ['fractional ID', { volumeID: 1.5 }],
    ['account 0', { volumeName: 'x', accountID: 0 }],
    ['empty name', { volumeName: '', accountID: 1 }],
  ])('selector rejects %s', (_name, selector) => {
    expect(VolumeSelector.safeParse(selector).success).toBe(false);
  });

  const base = { clusterPairRef: { name: 'dc1-dc2' }, sideA: { volumeID: 158 }, sideB: { volumeName: 'testr', accountID: 1 } };

  test('fills every default', () => {
    expect(VolumePairSpec.parse(base)).toEqual({
      ...base,
      primarySide: 'A',
      failover: 'Planned',
      mode: 'Async',
      paused: false,
      targetPolicy: 'RequireUnused',
      targetSizePolicy: 'Grow',
      deletionPolicy: 'Delete',
      managementPolicy: 'Manage',
    });
  });

  test.each([
    ['unknown mode', { ...base, mode: 'SnapMirror' }],
    ['unknown primarySide', { ...base, primarySide: 'C' }],
    ['unknown targetPolicy', { ...base, targetPolicy: 'Always' }],
    ['unknown targetSizePolicy', { ...base, targetSizePolicy: 'Shrink' }],
    ['paused as string', { ...base, paused: 'true' }],
    ['missing sideB', { clusterPairRef: base.clusterPairRef, sideA: base.sideA }],
    ['missing clusterPairRef', { sideA: base.sideA, sideB: base.sideB }],
  ])('rejects %s', (_name, spec) => {
    expect(VolumePairSpec.safeParse(spec).success).toBe(false);
  });
});

describe('full objects, as read from the API server', () => {
  const time = kubeTime(new Date('2025-05-01T10:00:00Z'));
  const condition = { type: 'Ready', status: 'True', reason: 'Active', message: '', lastTransitionTime: time, observedGeneration: 2 };

  test('VolumePair with status parses and ignores unknown fields', () => {
    const object = {
      apiVersion: 'elementrepl.io/v1alpha1',
      kind: 'VolumePair',
      metadata: { name: 'pg', namespace: 'db', uid: 'u-1', generation: 2, managedFields: [{ manager: 'kubectl' }] },
      spec: { clusterPairRef: { name: 'dc1-dc2' }, sideA: { volumeID: 158 }, sideB: { volumeID: 260 }, future: 1 },
      status: {
        observedGeneration: 2,
        volumePairUUID: '44df1d5e-8694-4ed1-bdaf-fa773fb9b165',
        sideA: { volumeID: 158, volumeName: 'test', accountID: 1, access: 'readWrite', clusterPairID: 55, replicationState: 'Active' },
        sideB: { volumeID: 260, access: 'replicationTarget', clusterPairID: 61, replicationState: 'Active' },
        mode: 'Async',
        replicationState: 'Active',
        snapshotReplicationState: 'Idle',
        replicationStateSince: time,
        pairing: { phase: 'Completing', startedAt: time, sourceSide: 'A', sourceVolumeID: 158 },
        conditions: [condition],
      },
      unknownTopLevel: true,
    };

    const parsed = VolumePair.parse(object);

    expect(parsed.metadata).toMatchObject({ name: 'pg', namespace: 'db', managedFields: [{ manager: 'kubectl' }] });
    expect(parsed.spec).not.toHaveProperty('future');
    expect(parsed).not.toHaveProperty('unknownTopLevel');
    expect(parsed.status?.conditions?.[0]?.reason).toBe('Active');
  });

  test('ClusterPair and ElementCluster with status parse', () => {
    const pair = ClusterPair.parse({
      metadata: { name: 'dc1-dc2' },
      spec: { clusterARef: { name: 'dc1' }, clusterBRef: { name: 'dc2' } },
      status: {
        clusterPairUUID: 'b9322478-3779-4cd3-908f-2a48f22202fe',
        sideA: { clusterPairID: 55, status: 'Connected', latencyMs: 1, remoteClusterName: 'DR', remoteMVIP: '10.0.1.10', remoteVersion: '12.5.0.897' },
        connectionStatus: 'Connected',
        pairing: { phase: 'Starting', startedAt: time, highestPairIDOnA: 0 },
        conditions: [{ ...condition, reason: 'Paired' }],
      },
    });
    const cluster = ElementCluster.parse({
      metadata: { name: 'dc1' },
      spec: { mvip: '10.0.0.10', credentialsSecretRef: { name: 'dc1-admin' } },
      status: { clusterName: 'PROD', clusterUniqueID: 'wcwb', elementVersion: '12.5.0.897', apiVersion: '12.5', lastContactTime: time },
    });

    expect(pair.status?.pairing?.highestPairIDOnA).toBe(0);
    expect(cluster.status?.clusterUniqueID).toBe('wcwb');
  });

  test('a condition with an invalid status or reason is refused', () => {
    const bad = (c: object) =>
      VolumePair.safeParse({
        metadata: { name: 'x' },
        spec: { clusterPairRef: { name: 'p' }, sideA: { volumeID: 1 }, sideB: { volumeID: 2 } },
        status: { conditions: [c] },
      }).success;

    expect(bad(condition)).toBe(true);
    expect(bad({ ...condition, status: 'Yes' })).toBe(false);
    expect(bad({ ...condition, reason: 'not a reason' })).toBe(false);
  });

  test('kubeTime drops sub-second precision', () => {
    expect(kubeTime(new Date('2025-05-01T10:00:00.999Z'))).toBe('2025-05-01T10:00:00Z');
  });
});
