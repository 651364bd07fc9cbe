// Replays element-api.md §6 F1–F13 against the client over real HTTPS on loopback: checks the
// request the client sends (path, Basic auth, body) and what it makes of the answer.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyElementError } from './classify.ts';
import { ElementClient } from './client.ts';
import { ElementApiError, ElementAuthError, ElementVersionNotFoundError } from './errors.ts';
import { decodeClusterPairingKey, decodeVolumePairingKey } from './keys.ts';
import type { ElementClientOptions } from './types.ts';
import {
  F3_CLUSTER_KEY,
  F4_PENDING_PAIR,
  F5_CONNECTED_PAIR_ON_PROD,
  F7_PENDING_VOLUME_PAIR,
  F7_VOLUME_KEY,
  PAIR_UUID,
  VOLUME_PAIR_UUID,
  f9Volume,
  getApiResult,
} from './testing/element-api-examples.ts';
import { FIXTURE_CREDENTIALS, createFixturePki, routeByMethod, startFixtureServer, type FixturePki, type FixtureServer } from './testing/fixture-server.ts';

const BASIC = `Basic ${Buffer.from(`${FIXTURE_CREDENTIALS.username}:${FIXTURE_CREDENTIALS.password}`).toString('base64')}`;

let pki: FixturePki;
let prod: FixtureServer;
let dr: FixtureServer;
const clients: ElementClient[] = [];

function client(server: FixtureServer, options: Partial<ElementClientOptions> = {}): ElementClient {
  const created = new ElementClient({ mvip: server.mvip, ...FIXTURE_CREDENTIALS, tls: { caPem: pki.ca.cert }, ...options });
  clients.push(created);
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  pki = await createFixturePki();
  prod = await startFixtureServer({ leaf: pki.leaf, handler: routeByMethod({}) });
  dr = await startFixtureServer({ leaf: pki.leaf, handler: routeByMethod({}) });
});

afterAll(async () => {
  await Promise.all([prod.close(), dr.close()]);
});

beforeEach(() => {
  prod.requests.length = 0;
  dr.requests.length = 0;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('F1 version negotiation', () => {
  it('asks GetAPI on /json-rpc/1.0 once and then uses currentVersion, with Basic auth on every request', async () => {
    prod.setHandler(routeByMethod({ GetAPI: (r) => ({ result: getApiResult(r.apiVersion ?? '') }), ListClusterPairs: { result: { clusterPairs: [] } } }));
    const element = client(prod);

    await Promise.all([element.listClusterPairs(), element.listClusterPairs()]);
    await element.listClusterPairs();

    expect(prod.rpcCalls().map((c) => [c.method, c.apiVersion])).toEqual([
      ['GetAPI', '1.0'],
      ['ListClusterPairs', '12.5'],
      ['ListClusterPairs', '12.5'],
      ['ListClusterPairs', '12.5'],
    ]);
    expect(prod.rpcCalls()[0]?.params).toEqual({});
    for (const request of prod.requests) {
      expect(request.httpMethod).toBe('POST');
      expect(request.path).toMatch(/^\/json-rpc\/\d+\.\d+$/);
      expect(request.headers.authorization).toBe(BASIC);
    }
    await expect(element.getApiVersion()).resolves.toBe('12.5');
  });

  it('uses a configured version without asking', async () => {
    prod.setHandler(routeByMethod({ ListClusterPairs: { result: { clusterPairs: [] } } }));
    await client(prod, { apiVersion: '12.3' }).listClusterPairs();
    expect(prod.rpcCalls().map((c) => [c.method, c.apiVersion])).toEqual([['ListClusterPairs', '12.3']]);
  });

  it('reports an unserved configured version as ElementVersionNotFoundError', async () => {
    const error = await rejection(client(prod, { apiVersion: '13.0' }).getClusterInfo());
    expect(error).toBeInstanceOf(ElementVersionNotFoundError);
    expect(classifyElementError('GetClusterInfo', error)).toBe('final');
  });

  it('returns GetAPI as strings', async () => {
    prod.setHandler(routeByMethod({ GetAPI: (r) => ({ result: getApiResult(r.apiVersion ?? '') }) }));
    const api = await client(prod).getAPI();
    expect(api.currentVersion).toBe('12.5');
    expect(api.supportedVersions).toContain('12.3');
  });
});

describe('F2 authentication failure', () => {
  it('turns 401 with an HTML body into ElementAuthError without the password', async () => {
    const error = await rejection(client(prod, { password: 'wrong-Secret-pw', apiVersion: '12.5' }).getClusterInfo());
    expect(error).toBeInstanceOf(ElementAuthError);
    expect((error as ElementAuthError).status).toBe(401);
    expect(String(error)).not.toContain('wrong-Secret-pw');
  });
});

describe('F3–F6 cluster pairing', () => {
  it('F3 StartClusterPairing returns the pair ID and a key naming it', async () => {
    prod.setHandler(routeByMethod({ StartClusterPairing: { result: { clusterPairID: 55, clusterPairingKey: F3_CLUSTER_KEY } } }));
    const started = await client(prod, { apiVersion: '12.5' }).startClusterPairing();
    expect(prod.rpcCalls()).toEqual([{ method: 'StartClusterPairing', params: {}, id: expect.any(Number), apiVersion: '12.5' }]);
    expect(started.clusterPairID).toBe(55);
    expect(decodeClusterPairingKey(started.clusterPairingKey).clusterPairID).toBe(started.clusterPairID);
  });

  it('F4 lists the pending pair', async () => {
    prod.setHandler(routeByMethod({ ListClusterPairs: { id: 2, result: { clusterPairs: [F4_PENDING_PAIR] } } }));
    const [pair] = await client(prod, { apiVersion: '12.5' }).listClusterPairs();
    expect(pair).toMatchObject({ clusterPairID: 55, clusterPairUUID: PAIR_UUID, status: 'Unconfigured', mvip: undefined });
  });

  it('F5 completes on DR and both sides list the same clusterPairUUID', async () => {
    dr.setHandler(
      routeByMethod({
        CompleteClusterPairing: { result: { clusterPairID: 61 } },
        ListClusterPairs: { result: { clusterPairs: [{ ...F5_CONNECTED_PAIR_ON_PROD, clusterName: 'PROD', clusterPairID: 61, clusterUUID: 'wcwb', mvip: '10.0.0.10' }] } },
      }),
    );
    prod.setHandler(routeByMethod({ ListClusterPairs: { result: { clusterPairs: [F5_CONNECTED_PAIR_ON_PROD] } } }));
    const onDr = client(dr, { apiVersion: '12.5' });

    const completed = await onDr.completeClusterPairing(F3_CLUSTER_KEY);
    const [prodView] = await client(prod, { apiVersion: '12.5' }).listClusterPairs();
    const [drView] = await onDr.listClusterPairs();

    expect(dr.rpcCalls()[0]).toMatchObject({ method: 'CompleteClusterPairing', params: { clusterPairingKey: F3_CLUSTER_KEY } });
    expect(completed).toEqual({ clusterPairID: 61 });
    expect(prodView).toEqual(F5_CONNECTED_PAIR_ON_PROD);
    expect(drView).toMatchObject({ clusterName: 'PROD', clusterPairID: 61, clusterPairUUID: PAIR_UUID, clusterUUID: 'wcwb', status: 'Connected' });
  });

  it.each([
    ['xInvalidKey', 'Pairing a cluster with itself is not permitted.'],
    ['xPairingAlreadyExists', 'Clusters are already paired.'],
  ])('F6 CompleteClusterPairing failing with %s is a final ElementApiError', async (name, message) => {
    prod.setHandler(routeByMethod({ CompleteClusterPairing: { error: { name, message } } }));
    const error = await rejection(client(prod, { apiVersion: '12.5' }).completeClusterPairing(F3_CLUSTER_KEY));
    expect(error).toBeInstanceOf(ElementApiError);
    expect(error).toMatchObject({ name, code: 500, method: 'CompleteClusterPairing', message });
    expect(classifyElementError('CompleteClusterPairing', error)).toBe('final');
  });

  it('F6 RemoveClusterPair of an unknown ID is xPairingDoesNotExist', async () => {
    prod.setHandler(routeByMethod({ RemoveClusterPair: { error: { name: 'xPairingDoesNotExist' } } }));
    const error = await rejection(client(prod, { apiVersion: '12.5' }).removeClusterPair(9999));
    expect(prod.rpcCalls()[0]?.params).toEqual({ clusterPairID: 9999 });
    expect(error).toMatchObject({ name: 'xPairingDoesNotExist', code: 500 });
  });
});

describe('F7–F11 volume pairing', () => {
  it('F7 StartVolumePairing sends volumeID and mode and returns a key for that volume', async () => {
    prod.setHandler(
      routeByMethod({
        StartVolumePairing: [{ id: 4, result: { volumePairingKey: F7_VOLUME_KEY } }, { error: { name: 'xVolumeAlreadyPaired' } }],
        ListVolumes: { result: { volumes: [f9Volume({ volumePairs: [F7_PENDING_VOLUME_PAIR] })] } },
        RemoveVolumePair: { result: {} },
      }),
    );
    const element = client(prod, { apiVersion: '12.5' });

    const { volumePairingKey } = await element.startVolumePairing(158, 'Async');
    const [volume] = await element.listVolumes({ volumeIDs: [158], isPaired: true });
    const second = await rejection(element.startVolumePairing(158));
    await element.removeVolumePair(158);

    expect(prod.rpcCalls().map((c) => [c.method, c.params])).toEqual([
      ['StartVolumePairing', { volumeID: 158, mode: 'Async' }],
      ['ListVolumes', { volumeIDs: [158], isPaired: true }],
      ['StartVolumePairing', { volumeID: 158 }],
      ['RemoveVolumePair', { volumeID: 158 }],
    ]);
    expect(decodeVolumePairingKey(volumePairingKey)).toMatchObject({ volumeID: 158, volumeName: 'test', volumePairUUID: VOLUME_PAIR_UUID });
    expect(volume?.volumePairs[0]?.remoteReplication?.state).toBe('Unconfigured');
    expect(second).toMatchObject({ name: 'xVolumeAlreadyPaired' });
  });

  it('F8 CompleteVolumePairing sends the key and the target volume, then the target becomes replicationTarget', async () => {
    dr.setHandler(
      routeByMethod({
        CompleteVolumePairing: { id: 5, result: {} },
        ModifyVolume: { result: { volume: f9Volume({ volumeID: 260, name: 'testr', access: 'replicationTarget' }) } },
      }),
    );
    const element = client(dr, { apiVersion: '12.5' });

    await expect(element.completeVolumePairing(260, F7_VOLUME_KEY)).resolves.toBeUndefined();
    const modified = await element.modifyVolume({ volumeID: 260, access: 'replicationTarget' });

    expect(dr.rpcCalls().map((c) => [c.method, c.params])).toEqual([
      ['CompleteVolumePairing', { volumeID: 260, volumePairingKey: F7_VOLUME_KEY }],
      ['ModifyVolume', { volumeID: 260, access: 'replicationTarget' }],
    ]);
    expect(modified).toMatchObject({ volumeID: 260, access: 'replicationTarget' });
  });

  it.each(['xMVIPNotPaired', 'xInvalidPairingKey', 'xDBVersionMismatch'])('F8 CompleteVolumePairing failing with %s is final', async (name) => {
    dr.setHandler(routeByMethod({ CompleteVolumePairing: { error: { name } } }));
    const error = await rejection(client(dr, { apiVersion: '12.5' }).completeVolumePairing(260, F7_VOLUME_KEY));
    expect(error).toMatchObject({ name, method: 'CompleteVolumePairing' });
    expect(classifyElementError('CompleteVolumePairing', error)).toBe('final');
  });

  it('F9 ListActivePairedVolumes reads the synced pair', async () => {
    prod.setHandler(routeByMethod({ ListActivePairedVolumes: { id: 6, result: { volumes: [f9Volume()] } } }));
    const [volume] = await client(prod, { apiVersion: '12.5' }).listActivePairedVolumes();
    expect(prod.rpcCalls()[0]?.params).toEqual({});
    expect(volume).toMatchObject({ volumeID: 158, access: 'readWrite', totalSize: 2000683008, enable512e: true, lastAccessTime: null, deleteTime: null });
    expect(volume?.volumePairs).toEqual([
      {
        clusterPairID: 55,
        remoteVolumeID: 260,
        remoteVolumeName: 'testr',
        volumePairUUID: VOLUME_PAIR_UUID,
        remoteReplication: { mode: 'Async', state: 'Active', snapshotReplication: { state: 'Idle' } },
      },
    ]);
  });

  it('F10 ModifyVolumePair sends pausedManual true, an explicit false, and mode', async () => {
    prod.setHandler(routeByMethod({ ModifyVolumePair: { id: 8, result: {} } }));
    const element = client(prod, { apiVersion: '12.5' });
    await element.modifyVolumePair({ volumeID: 158, pausedManual: true });
    await element.modifyVolumePair({ volumeID: 158, pausedManual: false });
    await element.modifyVolumePair({ volumeID: 158, mode: 'Sync' });
    expect(prod.rpcCalls().map((c) => c.params)).toEqual([
      { volumeID: 158, pausedManual: true },
      { volumeID: 158, pausedManual: false },
      { volumeID: 158, mode: 'Sync' },
    ]);
  });

  it('F11 RemoveVolumePair on each side, and the survivor reads StoppedMisconfigured', async () => {
    prod.setHandler(routeByMethod({ RemoveVolumePair: { result: {} } }));
    const survivor = f9Volume({ volumeID: 260, access: 'replicationTarget' });
    const pair = (survivor.volumePairs as Record<string, unknown>[])[0] ?? {};
    dr.setHandler(
      routeByMethod({
        ListVolumes: { result: { volumes: [{ ...survivor, volumePairs: [{ ...pair, remoteReplication: { mode: 'Async', state: 'StoppedMisconfigured' } }] }] } },
        RemoveVolumePair: { result: {} },
      }),
    );
    await client(prod, { apiVersion: '12.5' }).removeVolumePair(158);
    const onDr = client(dr, { apiVersion: '12.5' });
    const [left] = await onDr.listVolumesByIds([260]);
    await onDr.removeVolumePair(260);
    expect(left?.volumePairs[0]?.remoteReplication?.state).toBe('StoppedMisconfigured');
    expect(dr.rpcCalls().map((c) => [c.method, c.params])).toEqual([
      ['ListVolumes', { volumeIDs: [260] }],
      ['RemoveVolumePair', { volumeID: 260 }],
    ]);
  });
});

describe('F12 ListVolumes filters', () => {
  it.each([
    ['an empty list', { result: { volumes: [] } }],
    ['xVolumeIDDoesNotExist', { error: { name: 'xVolumeIDDoesNotExist', message: 'VolumeID 9999 does not exist.' } }],
  ] as const)('reads a missing volume answered with %s as absent', async (_name, reply) => {
    prod.setHandler(routeByMethod({ ListVolumes: reply }));
    await expect(client(prod, { apiVersion: '12.5' }).listVolumesByIds([9999])).resolves.toEqual([]);
  });

  it('finds the existing volumes when a multi-ID request fails for one missing ID', async () => {
    prod.setHandler(
      routeByMethod({
        ListVolumes: (r) => {
          const ids = (r.rpc?.params as { volumeIDs: number[] }).volumeIDs;
          if (ids.includes(9999)) return { error: { name: 'xVolumeIDDoesNotExist' } };
          return { result: { volumes: ids.map((volumeID) => f9Volume({ volumeID })) } };
        },
      }),
    );
    const volumes = await client(prod, { apiVersion: '12.5' }).listVolumesByIds([158, 9999, 159, 158]);
    expect(volumes.map((v) => v.volumeID)).toEqual([158, 159]);
  });

  it('does not ask for an empty ID list', async () => {
    await expect(client(prod, { apiVersion: '12.5' }).listVolumesByIds([])).resolves.toEqual([]);
    expect(prod.requests).toHaveLength(0);
  });

  it('passes isPaired and surfaces xInvalidParameterType', async () => {
    prod.setHandler(
      routeByMethod({
        ListVolumes: (r) =>
          (r.rpc?.params as { accounts?: unknown }).accounts === 7
            ? { error: { name: 'xInvalidParameterType', message: 'accounts: Invalid type: expected array but found 7' } }
            : { result: { volumes: [f9Volume()] } },
      }),
    );
    const element = client(prod, { apiVersion: '12.5' });
    await expect(element.listVolumes({ isPaired: true })).resolves.toHaveLength(1);
    const error = await rejection(element.listVolumes({ accounts: 7 as unknown as number[] }));
    expect(error).toMatchObject({ name: 'xInvalidParameterType', message: 'accounts: Invalid type: expected array but found 7' });
    expect(prod.rpcCalls()[0]?.params).toEqual({ isPaired: true });
  });
});

describe('F13 ids and unknown versions', () => {
  it('accepts "id": null in a response', async () => {
    prod.setHandler(routeByMethod({ ListClusterPairs: { id: null, result: { clusterPairs: [F5_CONNECTED_PAIR_ON_PROD] } } }));
    await expect(client(prod, { apiVersion: '8.0' }).listClusterPairs()).resolves.toHaveLength(1);
  });

  it('maps a 404 on /json-rpc/99.0 to ElementVersionNotFoundError', async () => {
    const error = await rejection(client(prod, { apiVersion: '99.0' }).listClusterPairs());
    expect(error).toBeInstanceOf(ElementVersionNotFoundError);
    expect(error).toMatchObject({ apiVersion: '99.0', method: 'ListClusterPairs' });
  });
});
