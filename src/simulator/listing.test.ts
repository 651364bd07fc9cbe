// ListVolumesForAccount, paging of ListVolumes/ListActivePairedVolumes, identity switches, and the
// Element client walking the simulator's pages.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ElementClient } from '../element/client.ts';
import { pairClusters, startTestSim } from './testing/fixtures.ts';
import type { TestSim } from './testing/fixtures.ts';
import type { RawRpc } from './testing/rpc.ts';

let t: TestSim;
let prod: RawRpc, dr: RawRpc;

beforeAll(async () => {
  t = await startTestSim({ clusters: ['PROD', 'DR'] });
  [prod, dr] = [t.rpc.PROD!, t.rpc.DR!];
});
afterAll(() => t.stop());
beforeEach(() => t.sim.admin.reset());

const ids = (volumes: Array<{ volumeID: number }>) => volumes.map((v) => v.volumeID);

describe('ListVolumesForAccount', () => {
  it("lists the account's volumes with startVolumeID/limit; an unknown account per listVolumesForAccountUnknown", async () => {
    const mine = await t.sim.admin.createVolumes('PROD', { count: 3, namePrefix: 'mine' });
    await t.sim.admin.createVolumes('PROD', { count: 2, accountID: (await prod.call('AddAccount', { username: 'other' })).accountID });
    const [a, b, c] = mine.volumeIDs as [number, number, number];
    expect(ids((await prod.call('ListVolumesForAccount', { accountID: mine.accountID })).volumes)).toEqual([a, b, c]);
    expect(ids((await prod.call('ListVolumesForAccount', { accountID: mine.accountID, startVolumeID: b, limit: 1 })).volumes)).toEqual([b]);
    expect(await prod.errorName('ListVolumesForAccount', { accountID: 999 })).toBe('xUnknownAccount');
    expect(await prod.errorName('ListVolumesForAccount', {})).toBe('xMissingParameter');
    await t.sim.admin.setBehaviour({ listVolumesForAccountUnknown: 'empty' });
    expect((await prod.call('ListVolumesForAccount', { accountID: 999 })).volumes).toEqual([]);
  });
});

describe('paging', () => {
  it('ListActivePairedVolumes honours startVolumeID/limit and activePairedVolumesDefaultLimit', async () => {
    const { volumeIDs } = await t.sim.admin.createVolumes('PROD', { count: 4 });
    for (const id of volumeIDs) await prod.call('StartVolumePairing', { volumeID: id });
    const list = async (params: Record<string, unknown>) => ids((await prod.call('ListActivePairedVolumes', params)).volumes);
    expect(await list({})).toEqual(volumeIDs);
    expect(await list({ startVolumeID: volumeIDs[1], limit: 2 })).toEqual(volumeIDs.slice(1, 3));
    await t.sim.admin.setBehaviour({ activePairedVolumesDefaultLimit: 3 });
    expect(await list({})).toEqual(volumeIDs.slice(0, 3));
  });

  it('the Element client walks every page of ListVolumes, ListActivePairedVolumes and ListVolumesForAccount', async () => {
    const { accountID, volumeIDs } = await t.sim.admin.createVolumes('PROD', { count: 7 });
    for (const id of volumeIDs) await prod.call('StartVolumePairing', { volumeID: id });
    await t.sim.admin.setBehaviour({ activePairedVolumesDefaultLimit: 2 });
    const endpoint = t.sim.clusters[0]!;
    const client = new ElementClient({ mvip: endpoint.mvip, username: endpoint.username, password: endpoint.password, tls: { caPem: t.sim.caPem }, pageSize: 3 });
    try {
      await t.sim.admin.resetCounters();
      expect(ids(await client.listActivePairedVolumes())).toEqual(volumeIDs);
      expect(ids(await client.listVolumes())).toEqual(volumeIDs);
      expect(ids(await client.listVolumesForAccount(accountID))).toEqual(volumeIDs);
      expect(ids(await client.listVolumes({ limit: 2 }))).toEqual(volumeIDs.slice(0, 2));
      const counters = (await t.sim.admin.counters()).PROD ?? {};
      expect(counters.ListActivePairedVolumes).toBe(3);
    } finally {
      await client.close();
    }
  });
});

describe('identity switches', () => {
  it('clusterPairClusterUUID: the peer uniqueID, an integer, or absent', async () => {
    await pairClusters(prod, dr);
    const peer = (await dr.call('GetClusterInfo')).clusterInfo;
    const pair = async () => (await prod.call('ListClusterPairs')).clusterPairs[0];
    expect((await pair()).clusterUUID).toBe(peer.uniqueID);
    await t.sim.admin.setBehaviour({ clusterPairClusterUUID: 'integer' });
    expect(Number.isInteger((await pair()).clusterUUID)).toBe(true);
    await t.sim.admin.setBehaviour({ clusterPairClusterUUID: 'absent' });
    expect(Object.keys(await pair())).not.toContain('clusterUUID');
    expect((await pair()).status).toBe('Connected');
  });

  it('clusterInfoUuid=absent drops GetClusterInfo.uuid', async () => {
    expect((await prod.call('GetClusterInfo')).clusterInfo.uuid).toMatch(/^[0-9a-f-]{36}$/);
    await t.sim.admin.setBehaviour({ clusterInfoUuid: 'absent' });
    const { clusterInfo } = await prod.call('GetClusterInfo');
    expect(Object.keys(clusterInfo)).not.toContain('uuid');
    expect(clusterInfo.uniqueID).toMatch(/^[a-z0-9]{4}$/);
  });
});
