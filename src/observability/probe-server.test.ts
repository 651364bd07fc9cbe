import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from './http-server.ts';
import { createMetrics } from './metrics.ts';
import { startMetricsServer } from './metrics-server.ts';
import { HealthChecks, startProbeServer } from './probe-server.ts';

const log = pino({ level: 'silent' });
const servers: RunningHttpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function probeServer(checks: HealthChecks): Promise<RunningHttpServer> {
  const server = await startProbeServer({ bindAddress: '127.0.0.1:0', checks, log });
  if (!server) throw new Error('probe server disabled');
  servers.push(server);
  return server;
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

describe('probe server', () => {
  it('answers /healthz and an empty /readyz with 200 ok', async () => {
    const server = await probeServer(new HealthChecks());
    expect(await get(`${server.url}/healthz`)).toEqual({ status: 200, body: 'ok\n' });
    expect(await get(`${server.url}/readyz`)).toEqual({ status: 200, body: 'ok\n' });
  });

  it('returns 503 naming the failing readiness checks, and 200 once they pass', async () => {
    const checks = new HealthChecks();
    let synced = false;
    checks.addReadinessCheck('informers', () => (synced ? { ok: true } : { ok: false, reason: 'VolumePair cache not synced' }));
    checks.addReadinessCheck('ping', () => ({ ok: true }));
    checks.addReadinessCheck('broken', () => {
      throw new Error('boom password=hunter2');
    });
    const server = await probeServer(checks);

    const failing = await get(`${server.url}/readyz`);
    expect(failing.status).toBe(503);
    expect(failing.body).toContain('[-]informers failed: VolumePair cache not synced');
    expect(failing.body).toContain('[-]broken failed: boom password=[REDACTED]');
    expect(failing.body).toContain('[+]ping ok');
    expect(failing.body).toContain('readyz check failed');
    expect((await get(`${server.url}/readyz/ping`)).status).toBe(200);

    synced = true;
    expect((await get(`${server.url}/readyz/informers`)).status).toBe(200);
    expect((await get(`${server.url}/readyz`)).status).toBe(503);
  });

  it('lists every check with ?verbose', async () => {
    const checks = new HealthChecks();
    checks.addReadinessCheck('informers', async () => ({ ok: true }));
    const server = await probeServer(checks);
    expect(await get(`${server.url}/readyz?verbose`)).toEqual({ status: 200, body: '[+]informers ok\nreadyz check passed\n' });
  });

  it('answers unknown paths with 404 and other methods with 405', async () => {
    const server = await probeServer(new HealthChecks());
    expect((await get(`${server.url}/readyz/nope`)).status).toBe(404);
    expect((await get(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses duplicate check names', () => {
    const checks = new HealthChecks();
    checks.addReadinessCheck('informers', () => ({ ok: true }));
    expect(() => checks.addReadinessCheck('informers', () => ({ ok: true }))).toThrow(/already registered/);
  });

  it('is not started for bind address 0', async () => {
    expect(await startProbeServer({ bindAddress: '0', checks: new HealthChecks(), log })).toBeUndefined();
  });

  it('closes while a client holds a keep-alive connection', async () => {
    const server = await startProbeServer({ bindAddress: '127.0.0.1:0', checks: new HealthChecks(), log });
    await get(`${server?.url}/healthz`);
    await server?.close();
    await expect(fetch(`${server?.url}/healthz`)).rejects.toThrow();
  });
});

describe('metrics server', () => {
  it('serves the registry on /metrics in Prometheus text format', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.queue.added('clusterpair');
    const server = await startMetricsServer({ bindAddress: '127.0.0.1:0', registry: metrics.registry, log });
    if (!server) throw new Error('metrics server disabled');
    servers.push(server);

    const res = await fetch(`${server.url}/metrics`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('workqueue_adds_total{name="clusterpair"} 1');
  });

  it('reports a port in use with the address', async () => {
    const first = await startMetricsServer({ bindAddress: '127.0.0.1:0', registry: createMetrics({ defaultMetrics: false }).registry, log });
    if (!first) throw new Error('metrics server disabled');
    servers.push(first);
    await expect(
      startMetricsServer({ bindAddress: `127.0.0.1:${first.port}`, registry: createMetrics({ defaultMetrics: false }).registry, log }),
    ).rejects.toThrow(`127.0.0.1:${first.port}`);
  });
});
