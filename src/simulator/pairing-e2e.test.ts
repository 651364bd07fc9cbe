// End-to-end pairing driven through the project's ElementClient, as the operator will drive it:
// cluster pairing, both volume pairing orders, pending pairs, pause/resume/mode, one-sided removal,
// the pair limit and a cut link. Wire shapes are checked raw in the other test files.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ElementClient } from '../element/client.ts';
import { ElementApiError } from '../element/errors.ts';
import { startSimulator } from './simulator.ts';
import type { RunningSimulator } from './simulator.ts';
import { elementClient, rejection, stateOf, untilConnected, untilState } from './testing/clients.ts';

let sim: RunningSimulator;
let prod: ElementClient, dr: ElementClient;
const clients: ElementClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ clusters: ['PROD', 'DR', 'C3', 'C4', 'C5', 'C6'], connectDelayMs: 50, resumeDelayMs: 150 });
  for (const c of sim.clusters) clients.push(elementClient(sim, c.name));
  [prod, dr] = clients as [ElementClient, ElementClient];
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.stop();
});
beforeEach(() => sim.admin.reset());

async function elementError(promise: Promise<unknown>): Promise<ElementApiError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ElementApiError);
  expect((error as ElementApiError).code).toBe(500);
  return error as ElementApiError;
}

async function pair(a: ElementClient, b: ElementClient): Promise<{ aID: number; bID: number }> {
  const started = await a.startClusterPairing();
  const completed = await b.completeClusterPairing(started.clusterPairingKey);
  await untilConnected(a, started.clusterPairID);
  await untilConnected(b, completed.clusterPairID);
  return { aID: started.clusterPairID, bID: completed.clusterPairID };
}

async function volume(client: ElementClient, name: string): Promise<number> {
  const accounts = await client.listAccounts();
  const accountID = accounts[0]?.accountID ?? (await client.addAccount({ username: 'tenant' })).accountID;
  return (await client.createVolume({ name, accountID, totalSize: 1_000_000_000, enable512e: true })).volumeID;
}

describe('cluster then volume pairing', () => {
  it('pairs clusters, then volumes with replicationTarget set before completion, to Active', async () => {
    const prodInfo = await prod.getClusterInfo();
    const { aID, bID } = await pair(prod, dr);
    const [prodPair] = await prod.listClusterPairs();
    const [drPair] = await dr.listClusterPairs();
    expect(prodPair).toMatchObject({ clusterPairID: aID, clusterName: 'DR', status: 'Connected', version: '12.5.0.897' });
    expect(drPair).toMatchObject({ clusterPairID: bID, clusterName: 'PROD', clusterUUID: prodInfo.uniqueID, mvip: prodInfo.mvip });
    expect(drPair!.clusterPairUUID).toBe(prodPair!.clusterPairUUID);

    const src = await volume(prod, 'app');
    const dst = await volume(dr, 'app-r');
    expect((await dr.modifyVolume({ volumeID: dst, access: 'replicationTarget' }))?.access).toBe('replicationTarget');
    const { volumePairingKey } = await prod.startVolumePairing(src, 'Async');
    expect(await stateOf(prod, src)).toBe('Unconfigured');
    await dr.completeVolumePairing(dst, volumePairingKey);
    await untilState(prod, src, 'Active');
    await untilState(dr, dst, 'Active');
    const [source] = await prod.listActivePairedVolumes();
    const [target] = await dr.listActivePairedVolumes();
    expect(source!.volumePairs[0]).toMatchObject({ clusterPairID: aID, remoteVolumeID: dst, remoteVolumeName: 'app-r' });
    expect(target!.volumePairs[0]).toMatchObject({ clusterPairID: bID, remoteVolumeID: src, remoteVolumeName: 'app' });
    expect(target!.volumePairs[0]!.volumePairUUID).toBe(source!.volumePairs[0]!.volumePairUUID);
  });

  it('pairs a readWrite target (PausedMisconfigured) and resumes once it becomes replicationTarget', async () => {
    await pair(prod, dr);
    const src = await volume(prod, 'late');
    const dst = await volume(dr, 'late-r');
    await dr.completeVolumePairing(dst, (await prod.startVolumePairing(src)).volumePairingKey);
    expect([await stateOf(prod, src), await stateOf(dr, dst)]).toEqual(['PausedMisconfigured', 'PausedMisconfigured']);
    await dr.modifyVolume({ volumeID: dst, access: 'replicationTarget' });
    await untilState(prod, src, 'Active');
    await untilState(dr, dst, 'Active');
  });

  it('pauses, resumes and changes mode; removal is one-sided', async () => {
    await pair(prod, dr);
    const src = await volume(prod, 'ctl');
    const dst = await volume(dr, 'ctl-r');
    await dr.modifyVolume({ volumeID: dst, access: 'replicationTarget' });
    await dr.completeVolumePairing(dst, (await prod.startVolumePairing(src)).volumePairingKey);
    await untilState(prod, src, 'Active');
    await prod.modifyVolumePair({ volumeID: src, pausedManual: true });
    expect([await stateOf(prod, src), await stateOf(dr, dst)]).toEqual(['PausedManual', 'PausedManualRemote']);
    await prod.modifyVolumePair({ volumeID: src, pausedManual: false, mode: 'Sync' });
    await untilState(dr, dst, 'Active');
    expect((await dr.listVolumes({ volumeIDs: [dst] }))[0]!.volumePairs[0]!.remoteReplication?.mode).toBe('Sync');

    await prod.removeVolumePair(src);
    expect((await prod.listVolumes({ volumeIDs: [src] }))[0]!.volumePairs).toEqual([]);
    expect(await stateOf(dr, dst)).toBe('StoppedMisconfigured');
    await dr.removeVolumePair(dst);
    await dr.removeVolumePair(dst); // no pair left: still fine
  });
});

describe('errors the operator must handle', () => {
  it('xInvalidKey (self), xPairingAlreadyExists, xPairingDoesNotExist', async () => {
    const self = await prod.startClusterPairing();
    const selfError = await elementError(prod.completeClusterPairing(self.clusterPairingKey));
    expect([selfError.name, selfError.message]).toEqual(['xInvalidKey', 'Pairing a cluster with itself is not permitted.']);
    await prod.removeClusterPair(self.clusterPairID);
    await pair(prod, dr);
    const again = await prod.startClusterPairing();
    expect((await elementError(dr.completeClusterPairing(again.clusterPairingKey))).name).toBe('xPairingAlreadyExists');
    expect((await prod.listClusterPairs()).map((p) => p.status).sort()).toEqual(['Connected', 'Unconfigured']);
    expect((await elementError(prod.removeClusterPair(9999))).name).toBe('xPairingDoesNotExist');
  });

  it('xMVIPNotPaired, xInvalidPairingKey, xVolumeAlreadyPaired, xVolumeIDDoesNotExist', async () => {
    const src = await volume(prod, 'e');
    const dst = await volume(dr, 'e-r');
    const { volumePairingKey } = await prod.startVolumePairing(src);
    expect((await elementError(dr.completeVolumePairing(dst, volumePairingKey))).name).toBe('xMVIPNotPaired');
    await pair(prod, dr);
    expect((await elementError(dr.completeVolumePairing(dst, `${volumePairingKey}00`))).name).toBe('xInvalidPairingKey');
    expect((await elementError(prod.startVolumePairing(src))).name).toBe('xVolumeAlreadyPaired');
    await dr.completeVolumePairing(dst, volumePairingKey);
    expect((await elementError(dr.completeVolumePairing(dst, volumePairingKey))).name).toBe('xInvalidPairingKey');
    expect((await elementError(prod.startVolumePairing(123456))).name).toBe('xVolumeIDDoesNotExist');
    expect(await prod.listVolumes({ volumeIDs: [123456] })).toEqual([]);
  });

  it('refuses a fifth cluster pair', async () => {
    for (const peer of clients.slice(1, 5)) await pair(prod, peer);
    const { errorNames } = await sim.admin.behaviour();
    expect((await elementError(prod.startClusterPairing())).name).toBe(errorNames.clusterPairLimit);
    expect((await prod.getLimits()).clusterPairsCountMax).toBe(4);
  });
});

describe('a cut link', () => {
  it('disconnects pairs and recovers when restored', async () => {
    await pair(prod, dr);
    const src = await volume(prod, 'l');
    const dst = await volume(dr, 'l-r');
    await dr.modifyVolume({ volumeID: dst, access: 'replicationTarget' });
    await dr.completeVolumePairing(dst, (await prod.startVolumePairing(src)).volumePairingKey);
    await untilState(dr, dst, 'Active');
    await sim.admin.cutLink('PROD', 'DR');
    expect((await prod.listClusterPairs())[0]!.status).toBe('Disconnected');
    expect([await stateOf(prod, src), await stateOf(dr, dst)]).toEqual(['PausedDisconnected', 'PausedDisconnected']);
    await sim.admin.restoreLink('PROD', 'DR');
    await untilState(prod, src, 'Active');
    await untilState(dr, dst, 'Active');
  });
});
