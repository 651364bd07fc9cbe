// Wire-level checks (element-api.md §1, F1, F2, F12, F13): these stay on the raw HTTPS helper on
// purpose, because they assert the exact status codes, headers and envelopes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim } from './testing/fixtures.ts';
import type { TestSim } from './testing/fixtures.ts';
import { rawRequest } from './testing/rpc.ts';

let t: TestSim;
let base: string; // https://127.0.0.1:PORT
let auth: { username: string; password: string };

beforeAll(async () => {
  t = await startTestSim({ clusters: ['PROD'] });
  const prod = t.sim.clusters[0]!;
  base = `https://${prod.mvip}`;
  auth = { username: prod.username, password: prod.password };
});
afterAll(() => t.stop());

const post = (path: string, body: string | Buffer, extra: { headers?: Record<string, string>; auth?: typeof auth | null } = {}) =>
  rawRequest(`${base}${path}`, body, { ca: t.sim.caPem, auth: extra.auth === undefined ? auth : extra.auth, headers: extra.headers });

describe('envelope', () => {
  it('answers GetAPI on /json-rpc/7.0 like F1: string versions and a member named after the endpoint version', async () => {
    const res = await post('/json-rpc/7.0', JSON.stringify({ method: 'GetAPI', id: 0, params: {} }));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.id).toBe(0);
    expect(body.result.currentVersion).toBe('12.5');
    expect(body.result.supportedVersions).toEqual([
      '1.0', '2.0', '3.0', '4.0', '5.0', '5.1', '6.0', '7.0', '7.1', '7.2', '7.3', '7.4', '8.0', '8.1', '8.2', '8.3', '8.4',
      '8.5', '8.6', '8.7', '9.0', '9.1', '9.2', '9.3', '9.4', '9.5', '9.6', '10.0', '10.1', '10.2', '10.3', '10.4', '10.5',
      '10.6', '10.7', '11.0', '11.1', '11.3', '11.5', '11.7', '11.8', '12.0', '12.2', '12.3', '12.5',
    ]);
    expect(body.result['7.0']).toEqual(expect.arrayContaining(['CompleteClusterPairing', 'ListClusterPairs', 'StartVolumePairing']));
    expect(body.result['7.0']).not.toContain('ListVolumes'); // ListVolumes arrived in 8.0
    expect(Object.keys(body.result).sort()).toEqual(['7.0', 'currentVersion', 'supportedVersions']);
  });

  it('offers the whole method list on the current version', async () => {
    const body = JSON.parse((await post('/json-rpc/12.5', JSON.stringify({ method: 'GetAPI', id: 1 }))).text);
    expect(body.result['12.5']).toEqual(expect.arrayContaining(['ListVolumes', 'ModifyVolumePair', 'RemoveVolumePair', 'GetLimits']));
  });

  it('echoes string ids and answers id null when the request has none, with or without params (F13)', async () => {
    const withString = JSON.parse((await post('/json-rpc/12.5', JSON.stringify({ method: 'ListClusterPairs', id: 'abc' }))).text);
    expect(withString).toEqual({ id: 'abc', result: { clusterPairs: [] } });
    const bare = JSON.parse((await post('/json-rpc/12.5', JSON.stringify({ method: 'ListClusterPairs' }))).text);
    expect(bare).toEqual({ id: null, result: { clusterPairs: [] } });
  });

  it('accepts a trailing slash, any Content-Type and none at all', async () => {
    const body = JSON.stringify({ method: 'GetClusterInfo', id: 5 });
    for (const headers of [{} as Record<string, string>, { 'Content-Type': 'application/json-rpc' }, { 'Content-Type': 'json-rpc' }, { 'Content-Type': 'text/plain' }]) {
      for (const path of ['/json-rpc/8.0/', '/json-rpc/12.5']) {
        const res = await post(path, body, { headers });
        expect(res.status).toBe(200);
        expect(JSON.parse(res.text).result.clusterInfo.name).toBe('PROD');
      }
    }
  });

  it('returns HTTP 404 with a non-JSON body for unknown versions and paths (F13)', async () => {
    for (const path of ['/json-rpc/99.0', '/json-rpc/12.9', '/json-rpc/abc', '/json-rpc', '/']) {
      const res = await post(path, JSON.stringify({ method: 'GetAPI' }));
      expect(res.status, path).toBe(404);
      expect(res.text).toContain('404 Not Found');
      expect(() => JSON.parse(res.text)).toThrow();
    }
  });

  it('returns HTTP 401 text/html for missing or wrong credentials (F2)', async () => {
    for (const credentials of [null, { ...auth, password: 'wrong' }, { username: 'root', password: auth.password }]) {
      const res = await post('/json-rpc/12.5', JSON.stringify({ method: 'GetAPI' }), { auth: credentials });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe('text/html');
      expect(res.text).toBe('<html><head><title>401 Unauthorized.</title></head></html>');
    }
  });
});

describe('bad input', () => {
  const errorOf = async (body: string | Buffer) => {
    const res = await post('/json-rpc/12.5', body);
    expect(res.status).toBe(200);
    const parsed = JSON.parse(res.text);
    expect(parsed.result).toBeUndefined();
    expect(parsed.error.code).toBe(500);
    return parsed as { id: unknown; error: { name: string; message: string } };
  };

  it('reports wrong parameter types as xInvalidParameterType with the observed message (F12)', async () => {
    const res = await errorOf(JSON.stringify({ method: 'ListVolumes', params: { accounts: 7 }, id: 9 }));
    expect(res).toEqual({ id: 9, error: { code: 500, name: 'xInvalidParameterType', message: 'accounts: Invalid type: expected array but found 7' } });
    expect((await errorOf(JSON.stringify({ method: 'ModifyVolume', params: { volumeID: '1' } }))).error.name).toBe('xInvalidParameterType');
    expect((await errorOf(JSON.stringify({ method: 'ListVolumes', params: { volumeIDs: [1, 'x'] } }))).error.name).toBe('xInvalidParameterType');
    expect((await errorOf(JSON.stringify({ method: 'ListVolumes', params: [1] }))).error.name).toBe('xInvalidParameterType');
  });

  it('reports missing members as xMissingParameter "Missing member=[volumeID]"', async () => {
    const res = await errorOf(JSON.stringify({ method: 'StartVolumePairing', params: {}, id: 1 }));
    expect(res.error).toEqual({ code: 500, name: 'xMissingParameter', message: 'Missing member=[volumeID]' });
    expect((await errorOf(JSON.stringify({ method: 'RemoveClusterPair', params: { clusterPairID: null } }))).error.name).toBe('xMissingParameter');
  });

  it('reports bad enum strings as xUnrecognizedEnumString', async () => {
    expect((await errorOf(JSON.stringify({ method: 'ModifyVolume', params: { volumeID: 1, access: 'replicationtarget' } }))).error.name).toBe(
      'xUnrecognizedEnumString',
    );
    expect((await errorOf(JSON.stringify({ method: 'StartVolumePairing', params: { volumeID: 1, mode: 'SnapMirror' } }))).error.name).toBe(
      'xUnrecognizedEnumString',
    );
  });

  it('reports unknown methods as xUnknownAPIMethod, also for methods newer than the endpoint version', async () => {
    expect((await errorOf(JSON.stringify({ method: 'FormatAllDisks', id: 3 }))).error.name).toBe('xUnknownAPIMethod');
    expect((await errorOf(JSON.stringify({ method: 'getAPI' }))).error.name).toBe('xUnknownAPIMethod'); // case-sensitive
    const res = await post('/json-rpc/7.0', JSON.stringify({ method: 'ListVolumes' }));
    expect(JSON.parse(res.text).error.name).toBe('xUnknownAPIMethod');
  });

  it('answers malformed JSON, batches and non-objects with an error object, id null', async () => {
    for (const body of ['{"method":', 'null', '42', '"GetAPI"', '[{"method":"GetAPI","id":1}]', '{"id":4}', '{"method":7}', '']) {
      const res = await errorOf(body);
      expect(typeof res.error.name).toBe('string');
      expect(res.error.name).toMatch(/^x/);
    }
  });

  it('rejects a body over 1 MiB with HTTP 413 and keeps serving', async () => {
    const huge = Buffer.alloc(1024 * 1024 + 100, 0x20);
    const res = await post('/json-rpc/12.5', huge);
    expect(res.status).toBe(413);
    const ok = await post('/json-rpc/12.5', JSON.stringify({ method: 'GetLimits', id: 1 }));
    expect(JSON.parse(ok.text).result.clusterPairsCountMax).toBe(4);
  });

  it('survives non-POST methods', async () => {
    const res = await rawRequest(`${base}/json-rpc/12.5`, undefined, { ca: t.sim.caPem, auth, method: 'GET' });
    expect(res.status).toBe(405);
  });
});
