// Replays element-api.md §6 F1–F6 and F13 (versions, auth, cluster pairing) against the client over
// real HTTPS on loopback: checks the request the client sends (path, Basic auth, body) and what it
// makes of the answer.
import { describe, expect, it } from 'vitest';
import { classifyElementError } from './classify.ts';
import { ElementApiError, ElementAuthError, ElementVersionNotFoundError } from './errors.ts';
import { decodeClusterPairingKey } from './keys.ts';
import { F3_CLUSTER_KEY, F4_PENDING_PAIR, F5_CONNECTED_PAIR_ON_PROD, PAIR_UUID, getApiResult } from './testing/element-api-examples.ts';
import { routeByMethod } from './testing/fixture-server.ts';
import { BASIC_AUTH, rejection, useReplayServers } from './testing/replay-setup.ts';

const ctx = useReplayServers();

describe('F1 version negotiation', () => {
  it('asks GetAPI on /json-rpc/1.0 once and then uses currentVersion, with Basic auth on every request', async () => {
    ctx.prod.setHandler(routeByMethod({ GetAPI: (r) => ({ result: getApiResult(r.apiVersion ?? '') }), ListClusterPairs: { result: { clusterPairs: [] } } }));
    const element = ctx.client(ctx.prod);

    await Promise.all([element.listClusterPairs(), element.listClusterPairs()]);
    await element.listClusterPairs();

    expect(ctx.prod.rpcCalls().map((c) => [c.method, c.apiVersion])).toEqual([
      ['GetAPI', '1.0'],
      ['ListClusterPairs', '12.5'],
      ['ListClusterPairs', '12.5'],
      ['ListClusterPairs', '12.5'],
    ]);
    expect(ctx.prod.rpcCalls()[0]?.params).toEqual({});
    for (const request of ctx.prod.requests) {
      expect(request.httpMethod).toBe('POST');
      expect(request.path).toMatch(/^\/json-rpc\/\d+\.\d+$/);
      expect(request.headers.authorization).toBe(BASIC_AUTH);
    }
    await expect(element.getApiVersion()).resolves.toBe('12.5');
  });

  it('uses a configured version without asking', async () => {
    ctx.prod.setHandler(routeByMethod({ ListClusterPairs: { result: { clusterPairs: [] } } }));
    await ctx.client(ctx.prod, { apiVersion: '12.3' }).listClusterPairs();
    expect(ctx.prod.rpcCalls().map((c) => [c.method, c.apiVersion])).toEqual([['ListClusterPairs', '12.3']]);
  });

  it('reports an unserved configured version as ElementVersionNotFoundError', async () => {
    const error = await rejection(ctx.client(ctx.prod, { apiVersion: '13.0' }).getClusterInfo());
    expect(error).toBeInstanceOf(ElementVersionNotFoundError);
    expect(classifyElementError('GetClusterInfo', error)).toBe('final');
  });

  it('returns GetAPI as strings', async () => {
    ctx.prod.setHandler(routeByMethod({ GetAPI: (r) => ({ result: getApiResult(r.apiVersion ?? '') }) }));
    const api = await ctx.client(ctx.prod).getAPI();
    expect(api.currentVersion).toBe('12.5');
    expect(api.supportedVersions).toContain('12.3');
  });
});

describe('F2 authentication failure', () => {
  it('turns 401 with an HTML body into ElementAuthError without the password', async () => {
    const error = await rejection(ctx.client(ctx.prod, { password: 'wrong-Secret-pw', apiVersion: '12.5' }).getClusterInfo());
    expect(error).toBeInstanceOf(ElementAuthError);
    expect((error as ElementAuthError).status).toBe(401);
    expect(String(error)).not.toContain('wrong-Secret-pw');
  });
});

describe('F3–F6 cluster pairing', () => {
  it('F3 StartClusterPairing returns the pair ID and a key naming it', async () => {
    ctx.prod.setHandler(routeByMethod({ StartClusterPairing: { result: { clusterPairID: 55, clusterPairingKey: F3_CLUSTER_KEY } } }));
    const started = await ctx.client(ctx.prod, { apiVersion: '12.5' }).startClusterPairing();
    expect(ctx.prod.rpcCalls()).toEqual([{ method: 'StartClusterPairing', params: {}, id: expect.any(Number), apiVersion: '12.5' }]);
    expect(started.clusterPairID).toBe(55);
    expect(decodeClusterPairingKey(started.clusterPairingKey).clusterPairID).toBe(started.clusterPairID);
  });

  it('F4 lists the pending pair', async () => {
    ctx.prod.setHandler(routeByMethod({ ListClusterPairs: { id: 2, result: { clusterPairs: [F4_PENDING_PAIR] } } }));
    const [pair] = await ctx.client(ctx.prod, { apiVersion: '12.5' }).listClusterPairs();
    expect(pair).toMatchObject({ clusterPairID: 55, clusterPairUUID: PAIR_UUID, status: 'Unconfigured', mvip: undefined });
  });

  it('F5 completes on DR and both sides list the same clusterPairUUID', async () => {
    ctx.dr.setHandler(
      routeByMethod({
        CompleteClusterPairing: { result: { clusterPairID: 61 } },
        ListClusterPairs: { result: { clusterPairs: [{ ...F5_CONNECTED_PAIR_ON_PROD, clusterName: 'PROD', clusterPairID: 61, clusterUUID: 'wcwb', mvip: '10.0.0.10' }] } },
      }),
    );
    ctx.prod.setHandler(routeByMethod({ ListClusterPairs: { result: { clusterPairs: [F5_CONNECTED_PAIR_ON_PROD] } } }));
    const onDr = ctx.client(ctx.dr, { apiVersion: '12.5' });

    const completed = await onDr.completeClusterPairing(F3_CLUSTER_KEY);
    const [prodView] = await ctx.client(ctx.prod, { apiVersion: '12.5' }).listClusterPairs();
    const [drView] = await onDr.listClusterPairs();

    expect(ctx.dr.rpcCalls()[0]).toMatchObject({ method: 'CompleteClusterPairing', params: { clusterPairingKey: F3_CLUSTER_KEY } });
    expect(completed).toEqual({ clusterPairID: 61 });
    expect(prodView).toEqual(F5_CONNECTED_PAIR_ON_PROD);
    expect(drView).toMatchObject({ clusterName: 'PROD', clusterPairID: 61, clusterPairUUID: PAIR_UUID, clusterUUID: 'wcwb', status: 'Connected' });
  });

  it.each([
    ['xInvalidKey', 'Pairing a cluster with itself is not permitted.'],
    ['xPairingAlreadyExists', 'Clusters are already paired.'],
  ])('F6 CompleteClusterPairing failing with %s is a final ElementApiError', async (name, message) => {
    ctx.prod.setHandler(routeByMethod({ CompleteClusterPairing: { error: { name, message } } }));
    const error = await rejection(ctx.client(ctx.prod, { apiVersion: '12.5' }).completeClusterPairing(F3_CLUSTER_KEY));
    expect(error).toBeInstanceOf(ElementApiError);
    expect(error).toMatchObject({ name, code: 500, method: 'CompleteClusterPairing', message });
    expect(classifyElementError('CompleteClusterPairing', error)).toBe('final');
  });

  it('F6 RemoveClusterPair of an unknown ID is xPairingDoesNotExist', async () => {
    ctx.prod.setHandler(routeByMethod({ RemoveClusterPair: { error: { name: 'xPairingDoesNotExist' } } }));
    const error = await rejection(ctx.client(ctx.prod, { apiVersion: '12.5' }).removeClusterPair(9999));
    expect(ctx.prod.rpcCalls()[0]?.params).toEqual({ clusterPairID: 9999 });
    expect(error).toMatchObject({ name: 'xPairingDoesNotExist', code: 500 });
  });
});

describe('F13 ids and unknown versions', () => {
  it('accepts "id": null in a response', async () => {
    ctx.prod.setHandler(routeByMethod({ ListClusterPairs: { id: null, result: { clusterPairs: [F5_CONNECTED_PAIR_ON_PROD] } } }));
    await expect(ctx.client(ctx.prod, { apiVersion: '8.0' }).listClusterPairs()).resolves.toHaveLength(1);
  });

  it('maps a 404 on /json-rpc/99.0 to ElementVersionNotFoundError', async () => {
    const error = await rejection(ctx.client(ctx.prod, { apiVersion: '99.0' }).listClusterPairs());
    expect(error).toBeInstanceOf(ElementVersionNotFoundError);
    expect(error).toMatchObject({ apiVersion: '99.0', method: 'ListClusterPairs' });
  });
});
