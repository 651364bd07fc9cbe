import { describe, expect, it } from 'vitest';
import { ListActivePairedVolumesResult, ListClusterPairsResult, ListVolumesResult } from './results.ts';
import { ApiInfo, ClusterInfo, PairedCluster, ReplicationMode, Volume } from './schema.ts';
import { F4_PENDING_PAIR, F5_CONNECTED_PAIR_ON_PROD, F7_PENDING_VOLUME_PAIR, SUPPORTED_VERSIONS, f9Volume } from './testing/element-api-examples.ts';

describe('Volume', () => {
  it('keeps the fields the operator reads from the F9 capture and drops the rest', () => {
    const volume = Volume.parse(f9Volume());
    expect(volume).toEqual({
      volumeID: 158,
      name: 'test',
      accountID: 1,
      access: 'readWrite',
      totalSize: 2000683008,
      enable512e: true,
      status: 'active',
      deleteTime: null,
      createTime: '2024-04-02T13:03:02Z',
      lastAccessTime: null,
      lastAccessTimeIO: null,
      volumePairs: [
        {
          clusterPairID: 55,
          remoteVolumeID: 260,
          remoteVolumeName: 'testr',
          volumePairUUID: '44df1d5e-8694-4ed1-bdaf-fa773fb9b165',
          remoteReplication: { mode: 'Async', state: 'Active', snapshotReplication: { state: 'Idle' } },
        },
      ],
    });
  });

  it('reads volumePairs null or absent as no pairs', () => {
    expect(Volume.parse(f9Volume({ volumePairs: null })).volumePairs).toEqual([]);
    const { volumePairs: _dropped, ...withoutPairs } = f9Volume();
    expect(Volume.parse(withoutPairs).volumePairs).toEqual([]);
  });

  it('tolerates absent optional fields and an absent remoteReplication', () => {
    const { deleteTime: _d, createTime: _c, lastAccessTime: _l, lastAccessTimeIO: _i, ...rest } = f9Volume();
    const pair = { clusterPairID: 55, remoteVolumeID: 260, remoteVolumeName: 'testr', volumePairUUID: 'u' };
    const volume = Volume.parse({ ...rest, volumePairs: [pair] });
    expect(volume.deleteTime).toBeNull();
    expect(volume.lastAccessTime).toBeNull();
    expect(volume.volumePairs[0]?.remoteReplication).toBeUndefined();
  });

  it('treats an empty lastAccessTime like null and keeps a real one', () => {
    expect(Volume.parse(f9Volume({ lastAccessTime: '' })).lastAccessTime).toBeNull();
    expect(Volume.parse(f9Volume({ lastAccessTime: '2024-04-03T10:00:00Z' })).lastAccessTime).toBe('2024-04-03T10:00:00Z');
  });

  it('parses the pending pair of F7 with its placeholders', () => {
    const volume = Volume.parse(f9Volume({ volumePairs: [F7_PENDING_VOLUME_PAIR] }));
    expect(volume.volumePairs[0]).toMatchObject({ clusterPairID: 0, remoteVolumeID: 0, remoteVolumeName: '' });
    expect(volume.volumePairs[0]?.remoteReplication?.state).toBe('Unconfigured');
  });

  it('rejects an access value outside the documented set (case-sensitive)', () => {
    expect(Volume.safeParse(f9Volume({ access: 'replicationtarget' })).success).toBe(false);
    expect(Volume.parse(f9Volume({ access: 'replicationTarget' })).access).toBe('replicationTarget');
  });

  it('rejects a volume without an ID', () => {
    expect(Volume.safeParse(f9Volume({ volumeID: undefined })).success).toBe(false);
  });
});

describe('ReplicationMode', () => {
  it('normalizes case to the canonical spelling', () => {
    expect(ReplicationMode.parse('sync')).toBe('Sync');
    expect(ReplicationMode.parse('SNAPSHOTSONLY')).toBe('SnapshotsOnly');
    expect(ReplicationMode.parse('Async')).toBe('Async');
    expect(ReplicationMode.safeParse('SnapMirror').success).toBe(false);
  });
});

describe('PairedCluster', () => {
  it('parses the connected pair of F5', () => {
    expect(PairedCluster.parse(F5_CONNECTED_PAIR_ON_PROD)).toEqual(F5_CONNECTED_PAIR_ON_PROD);
  });

  it('normalizes the empty placeholders of a pending pair (F4) to undefined', () => {
    const pair = PairedCluster.parse(F4_PENDING_PAIR);
    expect(pair).toMatchObject({ clusterPairID: 55, status: 'Unconfigured', latency: 0 });
    expect(pair.clusterName).toBeUndefined();
    expect(pair.clusterUUID).toBeUndefined();
    expect(pair.mvip).toBeUndefined();
    expect(pair.version).toBeUndefined();
  });

  it.each([
    ['a string', 'bgn0', 'bgn0'],
    ['an integer', 5487, '5487'],
    ['null', null, undefined],
    ['absent', undefined, undefined],
  ])('reads clusterUUID given as %s', (_name, raw, expected) => {
    expect(PairedCluster.parse({ ...F5_CONNECTED_PAIR_ON_PROD, clusterUUID: raw }).clusterUUID).toBe(expected);
  });

  it('tolerates an empty or null clusterPairUUID and unknown fields', () => {
    expect(PairedCluster.parse({ ...F5_CONNECTED_PAIR_ON_PROD, clusterPairUUID: '' }).clusterPairUUID).toBeUndefined();
    expect(PairedCluster.parse({ ...F5_CONNECTED_PAIR_ON_PROD, clusterPairUUID: null, extra: { a: 1 } }).clusterPairUUID).toBeUndefined();
  });
});

describe('ApiInfo and ClusterInfo', () => {
  it('keeps versions as strings and normalizes numeric ones', () => {
    expect(ApiInfo.parse({ '7.0': ['GetAPI'], currentVersion: '12.5', supportedVersions: SUPPORTED_VERSIONS }).currentVersion).toBe('12.5');
    expect(ApiInfo.parse({ currentVersion: 12.5, supportedVersions: [8, 12.5] })).toEqual({ currentVersion: '12.5', supportedVersions: ['8.0', '12.5'] });
  });

  it('reads the cluster identity', () => {
    const info = ClusterInfo.parse({ name: 'PROD', uniqueID: 'wcwb', uuid: '0c0e6f8e-0000-4000-8000-000000000000', mvip: '10.0.0.10', svip: '10.0.2.10', ensemble: ['1.1.1.1'] });
    expect(info).toEqual({ name: 'PROD', uniqueID: 'wcwb', uuid: '0c0e6f8e-0000-4000-8000-000000000000', mvip: '10.0.0.10', svip: '10.0.2.10' });
  });
});

describe('result envelopes', () => {
  it('require the list member instead of reading its absence as empty', () => {
    expect(ListVolumesResult.safeParse({}).success).toBe(false);
    expect(ListActivePairedVolumesResult.safeParse({ volumePairs: [] }).success).toBe(false);
    expect(ListClusterPairsResult.safeParse({ clusterPairs: null }).success).toBe(false);
    expect(ListClusterPairsResult.parse({ clusterPairs: [] }).clusterPairs).toEqual([]);
  });
});

it('volumePairs: null is marked unknown (not "no pairs"); absent and [] are no pairs', () => {
  expect(Volume.parse(f9Volume({ volumePairs: null }))).toMatchObject({ volumePairs: [], volumePairsUnknown: true });
  expect(Volume.parse(f9Volume({ volumePairs: [] }))).not.toHaveProperty('volumePairsUnknown');
});
