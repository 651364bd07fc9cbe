// Simulator faults as the project's ElementClient sees them: each fault must surface as the error
// class the operator's classification relies on (definite API error, connection refused before
// sending, timeout or reset after sending).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ElementClient } from '../element/client.ts';
import { ElementApiError, ElementAuthError, ElementConnectionError, ElementTimeoutError, ElementTransportError } from '../element/errors.ts';
import { startSimulator } from './simulator.ts';
import type { RunningSimulator } from './simulator.ts';
import { elementClient, rejection } from './testing/clients.ts';

let sim: RunningSimulator;
let prod: ElementClient;
const extra: ElementClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ clusters: ['PROD'] });
  prod = elementClient(sim, 'PROD', { timeouts: { connectMs: 2000, headersMs: 2000, bodyMs: 2000 } });
});
afterAll(async () => {
  await Promise.all([prod, ...extra].map((c) => c.close()));
  await sim.stop();
});
beforeEach(() => sim.admin.reset());

async function accountID(): Promise<number> {
  return (await prod.addAccount({ username: `a${Date.now()}${Math.random()}` })).accountID;
}

it('an injected Element error is an ElementApiError with the name and code 500, and nothing is applied', async () => {
  await sim.admin.injectError({ cluster: 'PROD', method: 'CreateVolume', name: 'xDBVersionMismatch', count: 1 });
  const id = await accountID();
  const error = await rejection(prod.createVolume({ name: 'v', accountID: id, totalSize: 1e9, enable512e: true }));
  expect(error).toBeInstanceOf(ElementApiError);
  expect([error.name, (error as ElementApiError).code]).toEqual(['xDBVersionMismatch', 500]);
  expect(await prod.listVolumes()).toEqual([]);
});

it('a dropped response after a mutation is a transport error, and the mutation happened', async () => {
  const id = await accountID();
  await sim.admin.dropResponse({ cluster: 'PROD', method: 'CreateVolume' });
  const error = await rejection(prod.createVolume({ name: 'dropped', accountID: id, totalSize: 1e9, enable512e: true }));
  expect(error).toBeInstanceOf(ElementTransportError);
  expect(error).not.toBeInstanceOf(ElementApiError);
  expect((await prod.listVolumes({ volumeName: 'dropped' })).map((v) => v.name)).toEqual(['dropped']);
});

describe('cluster down', () => {
  it('refuse: ElementConnectionError, nothing sent; works again after up', async () => {
    await prod.getLimits(); // a warm keep-alive connection must not hide the outage
    await sim.admin.setClusterDown('PROD', 'refuse');
    const error = await rejection(prod.getLimits());
    expect(error).toBeInstanceOf(ElementConnectionError);
    expect((error as ElementConnectionError).requestMayHaveBeenSent).toBe(false);
    await sim.admin.setClusterUp('PROD');
    expect((await prod.getLimits()).clusterPairsCountMax).toBe(4);
  });

  it('hang: ElementTimeoutError waiting for headers', async () => {
    const impatient = elementClient(sim, 'PROD', { timeouts: { connectMs: 2000, headersMs: 300, bodyMs: 300 } });
    extra.push(impatient);
    await sim.admin.setClusterDown('PROD', 'hang');
    const error = await rejection(impatient.getClusterInfo());
    expect(error).toBeInstanceOf(ElementTimeoutError);
    expect((error as ElementTimeoutError).phase).toBe('headers');
    await sim.admin.setClusterUp('PROD');
    expect((await impatient.getClusterInfo()).name).toBe('PROD');
  });
});

it('wrong credentials are an ElementAuthError', async () => {
  const intruder = elementClient(sim, 'PROD', { password: 'wrong' });
  extra.push(intruder);
  expect(await rejection(intruder.getLimits())).toBeInstanceOf(ElementAuthError);
});

it('latency and call counters are visible to a client', async () => {
  const events: string[] = [];
  const counted = elementClient(sim, 'PROD', { onCall: (e) => events.push(`${e.method}:${e.outcome}`) });
  extra.push(counted);
  await sim.admin.setLatency({ cluster: 'PROD', method: 'ListClusterPairs', ms: 300 });
  const started = performance.now();
  expect(await counted.listClusterPairs()).toEqual([]);
  expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  await counted.listClusterPairs();
  const counters = await sim.admin.counters();
  expect(counters.PROD?.ListClusterPairs).toBe(2);
  expect(counters.PROD?.GetAPI).toBeGreaterThanOrEqual(1); // version negotiation
  expect(events).toContain('ListClusterPairs:success');
});
