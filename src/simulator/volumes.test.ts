// Cluster identity, accounts and volume methods (element-api.md §2.3, §2.6, F9, F12).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVolume, ensureAccount, pairClusters, startTestSim } from './testing/fixtures.ts';
import type { TestSim } from './testing/fixtures.ts';
import type { RawRpc } from './testing/rpc.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let t: TestSim;
let prod: RawRpc, dr: RawRpc;

beforeAll(async () => {
  t = await startTestSim({ clusters: ['PROD', { name: 'DR', elementVersion: '12.3.0.958' }] });
  [prod, dr] = [t.rpc.PROD!, t.rpc.DR!];
});
afterAll(() => t.stop());
beforeEach(() => t.sim.admin.reset());

const hex = (s: string) => Buffer.from(s, 'ascii').toString('hex');

describe('cluster identity', () => {
  it('GetClusterInfo names the cluster with a 4-character uniqueID, a UUID and its mvip', async () => {
    const { clusterInfo } = await prod.call('GetClusterInfo');
    expect(clusterInfo.name).toBe('PROD');
    expect(clusterInfo.uniqueID).toMatch(/^[a-z0-9]{4}$/);
    expect(clusterInfo.uuid).toMatch(UUID);
    expect(clusterInfo.mvip).toBe(t.sim.clusters[0]!.mvip);
    expect(clusterInfo.defaultProtectionScheme).toBe('doubleHelix');
  });

  it('GetClusterVersionInfo and GetAPI follow the configured Element version', async () => {
    expect(await dr.call('GetClusterVersionInfo')).toMatchObject({ clusterAPIVersion: '12.3', clusterVersion: '12.3.0.958' });
    const api = await dr.call('GetAPI');
    expect(api.currentVersion).toBe('12.3');
    expect(api.supportedVersions.at(-1)).toBe('12.3');
    expect(t.sim.clusters[1]!.url).toMatch(/\/json-rpc\/12\.3$/);
  });

  it('a 12.5 cluster pairs with a 12.3 cluster and reports its full version', async () => {
    await pairClusters(prod, dr);
    expect((await prod.call('ListClusterPairs')).clusterPairs[0].version).toBe('12.3.0.958');
  });
});

describe('accounts', () => {
  it('adds and lists accounts; duplicate usernames are xDuplicateUsername', async () => {
    const added = await prod.call('AddAccount', { username: 'tenant-a' });
    expect(added.account).toMatchObject({ accountID: added.accountID, username: 'tenant-a', status: 'active', volumes: [] });
    expect(await prod.errorName('AddAccount', { username: 'tenant-a' })).toBe('xDuplicateUsername');
    const { accounts } = await prod.call('ListAccounts');
    expect(accounts.map((a: { username: string }) => a.username)).toEqual(['tenant-a']);
    expect(await prod.errorName('GetAccountByName', { username: 'nobody' })).toBe('xUnknownAccount');
  });
});

describe('volumes', () => {
  it('creates a complete Volume object with the documented identities (F9)', async () => {
    const { clusterInfo } = await prod.call('GetClusterInfo');
    const accountID = await ensureAccount(prod);
    const created = await prod.call('CreateVolume', { name: 'test', accountID, totalSize: 2_000_000_000, enable512e: true });
    const v = created.volume;
    expect(created.volumeID).toBe(v.volumeID);
    expect(Object.keys(v)).toEqual([
      'access', 'accountID', 'attributes', 'blockSize', 'createTime', 'currentProtectionScheme', 'deleteTime', 'enable512e',
      'enableSnapMirrorReplication', 'fifoSize', 'iqn', 'lastAccessTime', 'lastAccessTimeIO', 'minFifoSize', 'name',
      'previousProtectionScheme', 'purgeTime', 'qos', 'qosPolicyID', 'scsiEUIDeviceID', 'scsiNAADeviceID', 'sliceCount', 'status',
      'totalSize', 'virtualVolumeID', 'volumeAccessGroups', 'volumeConsistencyGroupUUID', 'volumeID', 'volumePairs', 'volumeUUID',
    ]);
    const id8 = v.volumeID.toString(16).padStart(8, '0');
    expect(v).toMatchObject({
      access: 'readWrite', accountID, blockSize: 4096, currentProtectionScheme: 'doubleHelix', deleteTime: '', purgeTime: '',
      enable512e: true, iqn: `iqn.2010-01.com.solidfire:${clusterInfo.uniqueID}.test.${v.volumeID}`, lastAccessTime: null,
      name: 'test', previousProtectionScheme: null, qosPolicyID: null, sliceCount: 1, status: 'active', totalSize: 2000683008,
      virtualVolumeID: null, volumeAccessGroups: [], volumePairs: [],
      scsiEUIDeviceID: `${hex(clusterInfo.uniqueID)}${id8}f47acc0100000000`,
      scsiNAADeviceID: `6f47acc100000000${hex(clusterInfo.uniqueID)}${id8}`,
      qos: { minIOPS: 50, maxIOPS: 15000, burstIOPS: 15000, burstTime: 60 },
    });
    expect(v.qos.curve).toEqual({ '1048576': 15000, '131072': 1950, '16384': 270, '262144': 3900, '32768': 500, '4096': 100, '524288': 7600, '65536': 1000, '8192': 160 });
    expect(v.volumeUUID).toMatch(UUID);
    expect(v.volumeConsistencyGroupUUID).toMatch(UUID);
    expect(v.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('rejects an unknown account', async () => {
    expect(await prod.errorName('CreateVolume', { name: 'x', accountID: 999, totalSize: 1 })).toMatch(/^x/);
  });

  it('ModifyVolume changes access and rounds totalSize up to 1 MiB, returning {volume}', async () => {
    const v = await createVolume(prod, 'mod');
    const res = await prod.call('ModifyVolume', { volumeID: v.volumeID, access: 'readOnly', totalSize: 1_000_000_000_000 });
    expect(Object.keys(res)).toEqual(['volume']);
    expect(res.volume).toMatchObject({ access: 'readOnly', totalSize: 1000000716800 });
    expect(await prod.errorName('ModifyVolume', { volumeID: 9999, access: 'readWrite' })).toBe('xVolumeIDDoesNotExist');
  });

  it('ListVolumes filters by volumeIDs, volumeName, accounts, startVolumeID, limit and volumeStatus (F12)', async () => {
    const a = await createVolume(prod, 'alpha');
    const b = await createVolume(prod, 'beta');
    const other = (await prod.call('AddAccount', { username: 'other' })).accountID;
    const c = (await prod.call('CreateVolume', { name: 'gamma', accountID: other, totalSize: 1_000_000_000 })).volume;
    await prod.call('DeleteVolume', { volumeID: b.volumeID });
    const ids = async (params: Record<string, unknown>) => (await prod.call('ListVolumes', params)).volumes.map((v: { volumeID: number }) => v.volumeID);
    expect(await ids({})).toEqual([a.volumeID, b.volumeID, c.volumeID]);
    expect(await ids({ volumeIDs: [c.volumeID, a.volumeID] })).toEqual([a.volumeID, c.volumeID]);
    expect(await ids({ volumeName: 'gamma' })).toEqual([c.volumeID]);
    expect(await ids({ accounts: [other] })).toEqual([c.volumeID]);
    expect(await ids({ startVolumeID: b.volumeID })).toEqual([b.volumeID, c.volumeID]);
    expect(await ids({ limit: 1 })).toEqual([a.volumeID]);
    expect(await ids({ volumeStatus: 'deleted' })).toEqual([b.volumeID]);
    expect(await ids({ volumeStatus: 'active' })).toEqual([a.volumeID, c.volumeID]);
  });

  it('ListVolumes isPaired:true returns paired volumes, isPaired:false returns all (F12)', async () => {
    const a = await createVolume(prod, 'paired');
    const b = await createVolume(prod, 'single');
    await prod.call('StartVolumePairing', { volumeID: a.volumeID });
    const ids = async (params: Record<string, unknown>) => (await prod.call('ListVolumes', params)).volumes.map((v: { volumeID: number }) => v.volumeID);
    expect(await ids({ isPaired: true })).toEqual([a.volumeID]);
    expect(await ids({ isPaired: false })).toEqual([a.volumeID, b.volumeID]);
    expect(await ids({ isPaired: null })).toEqual([a.volumeID, b.volumeID]);
    expect(await ids({ isPaired: true, volumeIDs: [b.volumeID] })).toEqual([]);
  });

  it('ListVolumes of a missing ID returns [] or xVolumeIDDoesNotExist per listVolumesMissingID', async () => {
    expect((await t.sim.admin.behaviour()).listVolumesMissingID).toBe('empty');
    expect((await prod.call('ListVolumes', { volumeIDs: [9999] })).volumes).toEqual([]);
    await t.sim.admin.setBehaviour({ listVolumesMissingID: 'error' });
    expect(await prod.errorName('ListVolumes', { volumeIDs: [9999] })).toBe('xVolumeIDDoesNotExist');
  });

  it('ignores unknown params by default and reports them as unusedParameters when switched on', async () => {
    expect((await prod.envelope('ListVolumes', { colour: 'blue' })).unusedParameters).toBeUndefined();
    await t.sim.admin.setBehaviour({ reportUnusedParameters: true });
    expect((await prod.envelope('ListVolumes', { colour: 'blue' })).unusedParameters).toEqual({ colour: 'blue' });
  });
});
