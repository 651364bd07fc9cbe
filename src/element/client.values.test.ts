// element-api.md §6 "Values that break the official SDK" and what the SDK tolerates, sent over
// HTTPS to the client; and the promise that no failing Complete*Pairing call leaks its key.
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ElementClient } from './client.ts';
import { ElementApiError, ElementProtocolError } from './errors.ts';
import { redactValue } from './redact.ts';
import type { ElementClientOptions } from './types.ts';
import { F3_CLUSTER_KEY, F5_CONNECTED_PAIR_ON_PROD, F7_VOLUME_KEY, f9Volume } from './testing/element-api-examples.ts';
import { FIXTURE_CREDENTIALS, createFixturePki, routeByMethod, startFixtureServer, type FixtureReply, type FixturePki, type FixtureServer } from './testing/fixture-server.ts';

let pki: FixturePki;
let server: FixtureServer;
const clients: ElementClient[] = [];

function client(options: Partial<ElementClientOptions> = {}): ElementClient {
  const created = new ElementClient({ mvip: server.mvip, ...FIXTURE_CREDENTIALS, apiVersion: '12.5', tls: { caPem: pki.ca.cert }, ...options });
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
  server = await startFixtureServer({ leaf: pki.leaf, handler: routeByMethod({}) });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('values the SDK chokes on', () => {
  it('reads empty UUID strings as absent instead of failing', async () => {
    const volume = f9Volume({ volumeUUID: '', volumeConsistencyGroupUUID: '', virtualVolumeID: '' });
    (volume.volumePairs as Record<string, unknown>[])[0]!.volumePairUUID = '';
    server.setHandler(
      routeByMethod({
        ListClusterPairs: { result: { clusterPairs: [{ ...F5_CONNECTED_PAIR_ON_PROD, clusterPairUUID: '' }] } },
        ListActivePairedVolumes: { result: { volumes: [volume] } },
      }),
    );
    const element = client();
    const [pair] = await element.listClusterPairs();
    const [parsed] = await element.listActivePairedVolumes();
    expect(pair?.clusterPairUUID).toBeUndefined();
    expect(parsed?.volumePairs[0]?.volumePairUUID).toBeUndefined();
  });

  it('rejects an access value outside the enum as a protocol error naming the field', async () => {
    server.setHandler(routeByMethod({ ListVolumes: { result: { volumes: [f9Volume({ access: 'replicationtarget' })] } } }));
    const error = await rejection(client().listVolumes());
    expect(error).toBeInstanceOf(ElementProtocolError);
    expect((error as Error).message).toContain('volumes.0.access');
  });

  it('ignores protection schemes it does not read', async () => {
    server.setHandler(routeByMethod({ ListVolumes: { result: { volumes: [f9Volume({ currentProtectionScheme: 'quadHelix', previousProtectionScheme: 'x' })] } } }));
    await expect(client().listVolumes()).resolves.toHaveLength(1);
  });

  it('keeps an error with code 400 an ElementApiError', async () => {
    server.setHandler(routeByMethod({ ModifyVolume: { error: { name: 'xInvalidParameter', code: 400, message: 'bad' } } }));
    const error = await rejection(client().modifyVolume({ volumeID: 1, totalSize: 1 }));
    expect(error).toBeInstanceOf(ElementApiError);
    expect(error).toMatchObject({ name: 'xInvalidParameter', code: 400 });
  });

  it('reports a body with neither result nor error as a protocol error', async () => {
    server.setHandler(() => ({ status: 200, body: '{"id": 3}', contentType: 'application/json' }));
    expect(await rejection(client().getLimits())).toBeInstanceOf(ElementProtocolError);
  });

  it('negotiates with numeric versions as strings', async () => {
    server.setHandler(routeByMethod({ GetAPI: { result: { currentVersion: 12, supportedVersions: [11.8, 12] } }, GetClusterInfo: { result: { clusterInfo: { name: 'PROD', uniqueID: 'wcwb' } } } }));
    const element = client({ apiVersion: undefined });
    await expect(element.getClusterInfo()).resolves.toMatchObject({ name: 'PROD', uniqueID: 'wcwb' });
    expect(server.rpcCalls().map((c) => c.apiVersion)).toEqual(['1.0', '12.0']);
  });
});

describe('what the SDK tolerates, the client tolerates', () => {
  it('accepts unknown fields, missing optional fields, volumePairs null, remoteReplication absent and id null', async () => {
    const bare = { volumeID: 7, name: 'bare', accountID: 1, access: 'readWrite', totalSize: 1048576, enable512e: false, status: 'active', brandNew: { x: 1 } };
    const noReplication = f9Volume({ volumeID: 8, volumePairs: [{ clusterPairID: 55, remoteVolumeID: 9, remoteVolumeName: 'r', volumePairUUID: 'u' }] });
    server.setHandler(routeByMethod({ ListVolumes: { id: null, result: { volumes: [bare, f9Volume({ volumeID: 9, volumePairs: null }), noReplication] } } }));
    const volumes = await client().listVolumes();
    expect(volumes.map((v) => [v.volumeID, v.volumePairs.length])).toEqual([
      [7, 0],
      [9, 0],
      [8, 1],
    ]);
    expect(volumes[0]).toMatchObject({ lastAccessTime: null, deleteTime: null });
    expect(volumes[2]?.volumePairs[0]?.remoteReplication).toBeUndefined();
  });

  it('accepts clusterUUID as an integer, a string or absent', async () => {
    const { clusterUUID: _omit, ...withoutUUID } = F5_CONNECTED_PAIR_ON_PROD;
    server.setHandler(
      routeByMethod({ ListClusterPairs: { result: { clusterPairs: [{ ...F5_CONNECTED_PAIR_ON_PROD, clusterUUID: 5487 }, F5_CONNECTED_PAIR_ON_PROD, withoutUUID] } } }),
    );
    const pairs = await client().listClusterPairs();
    expect(pairs.map((p) => p.clusterUUID)).toEqual(['5487', 'bgn0', undefined]);
  });
});

describe('failing Complete*Pairing calls never carry the key', () => {
  const leaks = (error: unknown, key: string): boolean => {
    const fragment = key.slice(0, 40);
    const renderings = [String(error), (error as Error).stack ?? '', inspect(error, { depth: 10 }), JSON.stringify(redactValue(error))];
    return renderings.some((text) => text.includes(fragment) || text.includes('i^Yho') || text.includes(FIXTURE_CREDENTIALS.password));
  };

  const failures: [string, FixtureReply][] = [
    ['an Element error echoing the key and the password', { error: { name: 'xInvalidPairingKey', message: `key ${F3_CLUSTER_KEY}${F7_VOLUME_KEY} password=i^Yho rejected for ${FIXTURE_CREDENTIALS.password}` } }],
    ['a dropped connection', { destroy: true }],
    ['a non-JSON page', { status: 200, body: `<html>${F3_CLUSTER_KEY}</html>`, contentType: 'text/html' }],
    ['a timeout', { hang: true }],
  ];

  it.each(failures)('CompleteClusterPairing with %s', async (_name, reply) => {
    server.setHandler(() => reply);
    const error = await rejection(client({ timeouts: { headersMs: 300 } }).completeClusterPairing(F3_CLUSTER_KEY));
    expect(error).toBeInstanceOf(Error);
    expect(leaks(error, F3_CLUSTER_KEY)).toBe(false);
  });

  it.each(failures)('CompleteVolumePairing with %s', async (_name, reply) => {
    server.setHandler(() => reply);
    const error = await rejection(client({ timeouts: { headersMs: 300 } }).completeVolumePairing(260, F7_VOLUME_KEY));
    expect(error).toBeInstanceOf(Error);
    expect(leaks(error, F7_VOLUME_KEY)).toBe(false);
  });

  it('sends the key only in the request body', async () => {
    server.setHandler(() => ({ result: {} }));
    await client().completeVolumePairing(260, F7_VOLUME_KEY);
    const [request] = server.requests;
    expect(request?.path).not.toContain(F7_VOLUME_KEY.slice(0, 40));
    expect(JSON.stringify(request?.headers)).not.toContain(F7_VOLUME_KEY.slice(0, 40));
    expect(request?.body).toContain(F7_VOLUME_KEY);
  });
});
