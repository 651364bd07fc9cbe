// Test-only: vitest hooks shared by the F1–F13 replay tests — one CA, two fixture servers ("PROD"
// and "DR"), clients that trust the CA and are closed after each test.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { ElementClient } from '../client.ts';
import type { ElementClientOptions } from '../types.ts';
import { FIXTURE_CREDENTIALS, createFixturePki, routeByMethod, startFixtureServer, type FixturePki, type FixtureServer } from './fixture-server.ts';

export const BASIC_AUTH = `Basic ${Buffer.from(`${FIXTURE_CREDENTIALS.username}:${FIXTURE_CREDENTIALS.password}`).toString('base64')}`;

export interface ReplayContext {
  prod: FixtureServer;
  dr: FixtureServer;
  /** A client of `server` trusting the fixture CA; closed after the test. */
  client(server: FixtureServer, options?: Partial<ElementClientOptions>): ElementClient;
}

/** Registers the hooks; the returned context is usable inside tests. */
export function useReplayServers(): ReplayContext {
  let pki: FixturePki;
  const clients: ElementClient[] = [];
  const context = {
    client(server: FixtureServer, options: Partial<ElementClientOptions> = {}): ElementClient {
      const created = new ElementClient({ mvip: server.mvip, ...FIXTURE_CREDENTIALS, tls: { caPem: pki.ca.cert }, ...options });
      clients.push(created);
      return created;
    },
  } as ReplayContext;

  beforeAll(async () => {
    pki = await createFixturePki();
    context.prod = await startFixtureServer({ leaf: pki.leaf, handler: routeByMethod({}) });
    context.dr = await startFixtureServer({ leaf: pki.leaf, handler: routeByMethod({}) });
  });
  afterAll(async () => {
    await Promise.all([context.prod.close(), context.dr.close()]);
  });
  beforeEach(() => {
    context.prod.requests.length = 0;
    context.dr.requests.length = 0;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  return context;
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
