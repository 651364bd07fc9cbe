// The client's transport against loopback servers: TLS modes, timeouts, connection failures,
// HTTP-level failures, retries, keep-alive and the onCall events.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLeaf, sha256Fingerprint } from '../pki/certs.ts';
import { classifyElementError } from './classify.ts';
import { ElementClient } from './client.ts';
import { ElementConnectionError, ElementProtocolError, ElementTimeoutError, ElementTlsError } from './errors.ts';
import type { ElementCallEvent, ElementClientOptions } from './types.ts';
import { F3_CLUSTER_KEY, F5_CONNECTED_PAIR_ON_PROD } from './testing/element-api-examples.ts';
import {
  FIXTURE_CREDENTIALS,
  createFixturePki,
  routeByMethod,
  startFixtureServer,
  startSilentTcpServer,
  unusedPort,
  type FixturePki,
  type FixtureServer,
} from './testing/fixture-server.ts';

const PAIRS = { result: { clusterPairs: [F5_CONNECTED_PAIR_ON_PROD] } };

let pki: FixturePki;
let otherPki: FixturePki;
let server: FixtureServer;
/** Presents a certificate naming only dc1.example.com (no IP SAN), like many Element clusters. */
let namedServer: FixtureServer;
let namedLeafPem: string;
const clients: ElementClient[] = [];

function client(target: { mvip: string }, options: Partial<ElementClientOptions> = {}): ElementClient {
  const created = new ElementClient({ mvip: target.mvip, ...FIXTURE_CREDENTIALS, apiVersion: '12.5', tls: { caPem: pki.ca.cert }, ...options });
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
  [pki, otherPki] = await Promise.all([createFixturePki(), createFixturePki()]);
  const namedLeaf = await createLeaf(pki.ca, { commonName: 'dc1', dnsNames: ['dc1.example.com'], usage: 'server' });
  namedLeafPem = namedLeaf.cert;
  server = await startFixtureServer({ leaf: pki.leaf, handler: routeByMethod({}) });
  namedServer = await startFixtureServer({ leaf: namedLeaf, handler: routeByMethod({ ListClusterPairs: PAIRS }) });
});

afterAll(async () => {
  await Promise.all([server.close(), namedServer.close()]);
});

beforeEach(() => {
  server.requests.length = 0;
  namedServer.requests.length = 0;
  server.setHandler(routeByMethod({ ListClusterPairs: PAIRS }));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('TLS', () => {
  it('verifies against the configured CA', async () => {
    await expect(client(server).listClusterPairs()).resolves.toHaveLength(1);
  });

  it('rejects a server signed by another CA before sending anything', async () => {
    const error = await rejection(client(server, { tls: { caPem: otherPki.ca.cert } }).listClusterPairs());
    expect(error).toBeInstanceOf(ElementTlsError);
    expect(classifyElementError('ListClusterPairs', error)).toBe('final');
    expect(server.requests).toHaveLength(0);
  });

  it('does not trust the self-signed fixture CA by default', async () => {
    expect(await rejection(client(server, { tls: undefined }).listClusterPairs())).toBeInstanceOf(ElementTlsError);
  });

  it('checks the host name, and accepts serverName for certificates without an IP SAN', async () => {
    const mismatch = await rejection(client(namedServer).listClusterPairs());
    expect(mismatch).toBeInstanceOf(ElementTlsError);
    expect((mismatch as ElementTlsError).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    await expect(client(namedServer, { tls: { caPem: pki.ca.cert, serverName: 'dc1.example.com' } }).listClusterPairs()).resolves.toHaveLength(1);
    expect(namedServer.requests).toHaveLength(1);
  });

  it.each([
    ['colon-separated upper case', (pem: string) => sha256Fingerprint(pem)],
    ['plain lower-case hex', (pem: string) => sha256Fingerprint(pem).replace(/:/g, '').toLowerCase()],
  ])('accepts a matching pin (%s) without CA or name checks', async (_form, pinOf) => {
    const element = client(namedServer, { tls: { pinnedSha256: pinOf(namedLeafPem) } });
    await expect(element.listClusterPairs()).resolves.toHaveLength(1);
    await expect(element.listClusterPairs()).resolves.toHaveLength(1);
    expect(element.tlsMode).toBe('pin');
  });

  it('rejects a wrong pin before the request is written, even with a valid chain', async () => {
    const wrongPin = sha256Fingerprint(pki.ca.cert);
    const error = await rejection(client(server, { tls: { caPem: pki.ca.cert, pinnedSha256: wrongPin } }).startClusterPairing());
    expect(error).toBeInstanceOf(ElementTlsError);
    expect((error as ElementTlsError).code).toBe('ERR_ELEMENT_CERT_PIN_MISMATCH');
    expect(classifyElementError('StartClusterPairing', error)).toBe('final');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a malformed pin at construction', () => {
    expect(() => new ElementClient({ mvip: server.mvip, ...FIXTURE_CREDENTIALS, tls: { pinnedSha256: 'AB:CD' } })).toThrow(/pinnedSha256/);
  });

  it('skips verification only when asked to', async () => {
    const element = client(namedServer, { tls: { insecureSkipVerify: true } });
    await expect(element.listClusterPairs()).resolves.toHaveLength(1);
    expect(element.tlsMode).toBe('insecure');
  });
});

describe('timeouts and connection failures', () => {
  it('times out waiting for headers: unknown outcome for a mutation, retryable for a read, never retried', async () => {
    server.setHandler(() => ({ hang: true }));
    const element = client(server, { timeouts: { headersMs: 300 } });

    const write = await rejection(element.modifyVolumePair({ volumeID: 158, pausedManual: true }));
    const read = await rejection(element.listClusterPairs());

    expect(write).toBeInstanceOf(ElementTimeoutError);
    expect(write).toMatchObject({ phase: 'headers', method: 'ModifyVolumePair' });
    expect(classifyElementError('ModifyVolumePair', write)).toBe('unknownOutcome');
    expect(read).toMatchObject({ phase: 'headers' });
    expect(classifyElementError('ListClusterPairs', read)).toBe('retryable');
    expect(server.requests.map((r) => r.rpc?.method)).toEqual(['ModifyVolumePair', 'ListClusterPairs']);
  });

  it('times out in the middle of a body', async () => {
    server.setHandler(() => ({ hangAfterHeaders: true }));
    const error = await rejection(client(server, { timeouts: { bodyMs: 300 } }).createVolume({ name: 'v', accountID: 1, totalSize: 1 << 30, enable512e: true }));
    expect(error).toMatchObject({ name: 'ElementTimeoutError', phase: 'body' });
    expect(classifyElementError('CreateVolume', error)).toBe('unknownOutcome');
  });

  it('times out connecting to a server that never completes the handshake; nothing was sent', async () => {
    const silent = await startSilentTcpServer();
    try {
      const error = await rejection(client(silent, { timeouts: { connectMs: 300 } }).removeClusterPair(55));
      expect(error).toMatchObject({ name: 'ElementTimeoutError', phase: 'connect' });
      expect(classifyElementError('RemoveClusterPair', error)).toBe('retryable');
    } finally {
      await silent.close();
    }
  });

  it('reports a refused connection as never sent', async () => {
    const error = await rejection(client({ mvip: `127.0.0.1:${await unusedPort()}` }).completeClusterPairing(F3_CLUSTER_KEY));
    expect(error).toBeInstanceOf(ElementConnectionError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', requestMayHaveBeenSent: false });
    expect(classifyElementError('CompleteClusterPairing', error)).toBe('retryable');
    expect(String(error)).not.toContain(F3_CLUSTER_KEY.slice(0, 40));
  });

  it('retries a read once when the connection drops under it', async () => {
    server.setHandler(routeByMethod({ ListClusterPairs: [{ destroy: true }, PAIRS] }));
    await expect(client(server).listClusterPairs()).resolves.toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on a read after the second drop', async () => {
    server.setHandler(() => ({ destroy: true }));
    const error = await rejection(client(server).listActivePairedVolumes());
    expect(error).toBeInstanceOf(ElementConnectionError);
    expect(server.requests).toHaveLength(2);
  });

  it('never retries a mutation whose connection dropped: unknown outcome', async () => {
    server.setHandler(() => ({ destroy: true }));
    const error = await rejection(client(server).startVolumePairing(158, 'Async'));
    expect(error).toMatchObject({ name: 'ElementConnectionError', requestMayHaveBeenSent: true });
    expect(classifyElementError('StartVolumePairing', error)).toBe('unknownOutcome');
    expect(server.requests).toHaveLength(1);
  });
});

describe('answers that are not JSON-RPC', () => {
  it.each([
    ['a non-JSON 200', { status: 200, body: '<html>maintenance</html>', contentType: 'text/html' }],
    ['JSON without result or error', { status: 200, body: '{"id":1}', contentType: 'application/json' }],
    ['a 500 page', { status: 500, body: '<html>Internal Server Error</html>', contentType: 'text/html' }],
    ['a JSON array', { status: 200, body: '[]', contentType: 'application/json' }],
  ])('turns %s into ElementProtocolError', async (_name, reply) => {
    server.setHandler(() => reply);
    const element = client(server);
    const read = await rejection(element.listClusterPairs());
    const write = await rejection(element.removeVolumePair(158));
    expect(read).toBeInstanceOf(ElementProtocolError);
    expect(classifyElementError('ListClusterPairs', read)).toBe('retryable');
    expect(classifyElementError('RemoveVolumePair', write)).toBe('unknownOutcome');
  });

  it('accepts any Content-Type on a JSON-RPC body', async () => {
    server.setHandler(() => ({ status: 200, body: JSON.stringify({ id: 1, result: PAIRS.result }), contentType: 'text/plain' }));
    await expect(client(server).listClusterPairs()).resolves.toHaveLength(1);
  });

  it('honours a JSON-RPC error sent with HTTP 500', async () => {
    server.setHandler(() => ({ status: 500, body: JSON.stringify({ error: { code: 500, name: 'xNotPrimary', message: 'not primary' } }), contentType: 'application/json' }));
    const error = await rejection(client(server).listClusterPairs());
    expect(error).toMatchObject({ name: 'xNotPrimary', code: 500 });
    expect(classifyElementError('ListClusterPairs', error)).toBe('retryable');
  });

  it('reports a result of the wrong shape without quoting its values', async () => {
    server.setHandler(routeByMethod({ StartClusterPairing: { result: { clusterPairID: '55', clusterPairingKey: F3_CLUSTER_KEY } } }));
    const error = await rejection(client(server).startClusterPairing());
    expect(error).toBeInstanceOf(ElementProtocolError);
    expect((error as Error).message).toContain('clusterPairID');
    expect((error as Error).message).not.toContain(F3_CLUSTER_KEY.slice(0, 40));
    expect(classifyElementError('StartClusterPairing', error)).toBe('unknownOutcome');
  });
});

describe('connections and metrics', () => {
  it('reuses kept-alive connections across sequential calls', async () => {
    const before = server.connectionCount();
    const element = client(server);
    for (let i = 0; i < 8; i++) await element.listClusterPairs();
    // undici's pool may open a second socket while the first is still being released; never one per call.
    expect(server.connectionCount() - before).toBeLessThanOrEqual(2);
  });

  it('opens no more connections than maxConnections', async () => {
    const before = server.connectionCount();
    const element = client(server, { maxConnections: 2 });
    await Promise.all(Array.from({ length: 8 }, () => element.listClusterPairs()));
    expect(server.connectionCount() - before).toBeLessThanOrEqual(2);
    expect(server.requests).toHaveLength(8);
  });

  it('reports every request to onCall, including negotiation and failures, and survives a throwing hook', async () => {
    server.setHandler(
      routeByMethod({
        GetAPI: { result: { currentVersion: '12.5', supportedVersions: ['12.5'] } },
        ListClusterPairs: PAIRS,
        RemoveClusterPair: { error: { name: 'xPairingDoesNotExist' } },
      }),
    );
    const events: ElementCallEvent[] = [];
    const element = client(server, {
      apiVersion: undefined,
      onCall: (event) => {
        events.push(event);
        throw new Error('metrics down');
      },
    });
    await element.listClusterPairs();
    await rejection(element.removeClusterPair(1));
    expect(events.map(({ method, outcome, errorName }) => ({ method, outcome, errorName }))).toEqual([
      { method: 'GetAPI', outcome: 'success', errorName: undefined },
      { method: 'ListClusterPairs', outcome: 'success', errorName: undefined },
      { method: 'RemoveClusterPair', outcome: 'apiError', errorName: 'xPairingDoesNotExist' },
    ]);
    for (const event of events) expect(event.durationMs).toBeGreaterThanOrEqual(0);
  });
});
