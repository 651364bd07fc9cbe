// Which failures the client repeats by itself: a read that meets a transient Element error
// (xDB*, xNotPrimary) is tried up to three times in all; a write never is.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ElementClient } from './client.ts';
import { ElementApiError } from './errors.ts';
import { F5_CONNECTED_PAIR_ON_PROD } from './testing/element-api-examples.ts';
import { FIXTURE_CREDENTIALS, createFixturePki, startFixtureServer, type FixturePki, type FixtureReply, type FixtureServer } from './testing/fixture-server.ts';

let pki: FixturePki;
let server: FixtureServer;
const clients: ElementClient[] = [];

function client(): ElementClient {
  const created = new ElementClient({ mvip: server.mvip, ...FIXTURE_CREDENTIALS, apiVersion: '12.5', tls: { caPem: pki.ca.cert } });
  clients.push(created);
  return created;
}

/** Fails the first `failures` calls with `name`, then answers `success`. */
function failingThen(failures: number, name: string, success: FixtureReply): void {
  let calls = 0;
  server.setHandler(() => (calls++ < failures ? { error: { name, message: name, code: 500 } } : success));
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
  server = await startFixtureServer({ leaf: pki.leaf, handler: () => ({ result: {} }) });
});
afterAll(() => server.close());
afterEach(async () => {
  server.requests.length = 0;
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('transient Element errors', () => {
  it('repeats a read that met xDBVersionMismatch / xNotPrimary, up to two more times', async () => {
    failingThen(2, 'xNotPrimary', { result: { clusterPairs: [F5_CONNECTED_PAIR_ON_PROD] } });
    await expect(client().listClusterPairs()).resolves.toHaveLength(1);
    expect(server.rpcCalls().map((c) => c.method)).toEqual(['ListClusterPairs', 'ListClusterPairs', 'ListClusterPairs']);
  });

  it('gives up after three attempts with the last error', async () => {
    failingThen(3, 'xDBVersionMismatch', { result: { clusterPairs: [] } });
    const error = await rejection(client().listClusterPairs());
    expect(error).toBeInstanceOf(ElementApiError);
    expect((error as ElementApiError).name).toBe('xDBVersionMismatch');
    expect(server.rpcCalls()).toHaveLength(3);
  });

  it('does not repeat a read that failed for good', async () => {
    failingThen(1, 'xUnknownAPIMethod', { result: { clusterPairs: [] } });
    await expect(rejection(client().listClusterPairs())).resolves.toBeInstanceOf(ElementApiError);
    expect(server.rpcCalls()).toHaveLength(1);
  });

  it('never repeats a write, whatever the error', async () => {
    failingThen(1, 'xDBVersionMismatch', { result: {} });
    await expect(rejection(client().modifyVolumePair({ volumeID: 1, pausedManual: true }))).resolves.toBeInstanceOf(ElementApiError);
    expect(server.rpcCalls().map((c) => c.method)).toEqual(['ModifyVolumePair']);
  });
});
