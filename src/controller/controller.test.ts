import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { Controller, type ReconcileContext, type Reconciler, type ReconcileResult } from './controller.ts';
import { FakeSource } from './fake-source.ts';
import { ManualClock } from './manual-clock.ts';
import type { ReconcileMetrics } from './metrics-hooks.ts';
import type { KubeObject, ReconcileRequest } from './object.ts';

const log = pino({ level: 'silent' });

function obj(name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { metadata: { name, resourceVersion: '1', generation: 1, ...extra } };
}

type Call = { request: ReconcileRequest; context: ReconcileContext };

function recordingReconciler(behaviour: (request: ReconcileRequest, n: number) => Promise<ReconcileResult> = async () => undefined) {
  const calls: Call[] = [];
  const reconciler: Reconciler = {
    reconcile: (request, context) => {
      calls.push({ request, context });
      return behaviour(request, calls.length);
    },
  };
  return { calls, reconciler };
}

function recordingMetrics() {
  const results: string[] = [];
  let errors = 0;
  const metrics: ReconcileMetrics = {
    reconciled: (_c, result) => results.push(result),
    errored: () => errors++,
    maxConcurrent: () => {},
    activeWorkers: () => {},
  };
  return { results, errors: () => errors, metrics };
}

function setup(options: { reconciler: Reconciler; workers?: number; metrics?: ReconcileMetrics }) {
  const clock = new ManualClock();
  const primary = new FakeSource<KubeObject>('primary');
  const secrets = new FakeSource<KubeObject>('secrets');
  const controller = new Controller<KubeObject>({
    name: 'Thing',
    for: primary,
    watches: [{ source: secrets, map: (s) => (s.metadata.annotations?.['owner'] ? [{ name: s.metadata.annotations['owner'] }] : []) }],
    reconciler: options.reconciler,
    log,
    workers: options.workers ?? 2,
    clock,
    backoff: { baseMs: 100, maxMs: 1000 },
    requeueJitter: 0,
    reconcileMetrics: options.metrics,
  });
  return { clock, primary, secrets, controller };
}

describe('Controller', () => {
  it('reconciles primary objects by namespace/name with a logger and a reconcile ID', async () => {
    const { calls, reconciler } = recordingReconciler();
    const { primary, controller } = setup({ reconciler });
    controller.start();

    primary.put(obj('a', { namespace: 'ns1' }));

    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]?.request).toEqual({ namespace: 'ns1', name: 'a' });
    expect(calls[0]?.context.reconcileID).toMatch(/^[0-9a-f-]{36}$/);
    await controller.stop(1000);
  });

  it('maps secondary objects to the primary keys they concern', async () => {
    const { calls, reconciler } = recordingReconciler();
    const { secrets, controller } = setup({ reconciler });
    controller.start();

    secrets.put(obj('creds', { namespace: 'ops', annotations: { owner: 'cluster-1' } }));
    secrets.put(obj('unrelated', { namespace: 'ops' }));

    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]?.request).toEqual({ name: 'cluster-1' });
    await controller.stop(1000);
  });

  it('queues events that arrive before start and processes them once started', async () => {
    const { calls, reconciler } = recordingReconciler();
    const { primary, controller } = setup({ reconciler });
    primary.put(obj('a'));
    primary.put(obj('a', { resourceVersion: '2', generation: 2 }));
    await Promise.resolve();
    expect(calls).toHaveLength(0);

    controller.start();

    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await controller.stop(1000);
    expect(calls).toHaveLength(1);
  });

  it('ignores status-only updates but reacts to spec, annotation and deletion changes', async () => {
    const { calls, reconciler } = recordingReconciler();
    const { primary, controller } = setup({ reconciler });
    primary.put(obj('a'));
    controller.start();
    await vi.waitFor(() => expect(calls).toHaveLength(1));

    primary.put(obj('a', { resourceVersion: '2' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);

    primary.put(obj('a', { resourceVersion: '3', annotations: { x: 'y' } }));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    primary.put(obj('a', { resourceVersion: '4', annotations: { x: 'y' }, deletionTimestamp: '2026-01-01T00:00:00Z' }));
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    await controller.stop(1000);
  });

  it('retries a failing key with growing backoff, counts errors, and forgets the backoff on success', async () => {
    const { results, errors, metrics } = recordingMetrics();
    const { calls, reconciler } = recordingReconciler(async (_r, n) => {
      if (n <= 2) throw new Error('element unreachable');
    });
    const { clock, primary, controller } = setup({ reconciler, metrics });
    controller.start();

    primary.put(obj('a'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await vi.waitFor(() => expect(controller.queue.delayedCount()).toBe(1));
    clock.advance(99);
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toHaveLength(1);
    clock.advance(1);
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    await vi.waitFor(() => expect(controller.queue.delayedCount()).toBe(1));
    clock.advance(199);
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toHaveLength(2);
    clock.advance(1);
    await vi.waitFor(() => expect(calls).toHaveLength(3));

    await vi.waitFor(() => expect(results).toEqual(['error', 'error', 'success']));
    expect(errors()).toBe(2);
    expect(controller.queue.numRequeues('a')).toBe(0);
    await controller.stop(1000);
  });

  it('treats a 409 Conflict as a requeue, not an error', async () => {
    const { results, errors, metrics } = recordingMetrics();
    const conflict = Object.assign(new Error('conflict'), { status: 409 });
    const { reconciler } = recordingReconciler(async () => {
      throw conflict;
    });
    const { primary, controller } = setup({ reconciler, metrics });
    controller.start();

    primary.put(obj('a'));

    await vi.waitFor(() => expect(results).toEqual(['requeue']));
    expect(errors()).toBe(0);
    expect(controller.queue.delayedCount()).toBe(1);
    await controller.stop(1000);
  });

  it('requeues after the delay the reconciler asks for', async () => {
    const { results, metrics } = recordingMetrics();
    const { calls, reconciler } = recordingReconciler(async () => ({ requeueAfterMs: 60_000 }));
    const { clock, primary, controller } = setup({ reconciler, metrics });
    controller.start();

    primary.put(obj('a'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await vi.waitFor(() => expect(controller.queue.delayedCount()).toBe(1));
    clock.advance(59_999);
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toHaveLength(1);
    clock.advance(1);

    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(results[0]).toBe('requeue_after');
    await controller.stop(1000);
  });

  it('runs different keys concurrently up to the worker count, never one key twice at once', async () => {
    let running = 0;
    let maxRunning = 0;
    const runningKeys = new Set<string>();
    let overlap = false;
    const release: Array<() => void> = [];
    const { calls, reconciler } = recordingReconciler(async (request) => {
      if (runningKeys.has(request.name)) overlap = true;
      runningKeys.add(request.name);
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
      runningKeys.delete(request.name);
    });
    const { primary, controller } = setup({ reconciler, workers: 2 });
    controller.start();

    for (const name of ['a', 'b', 'c']) primary.put(obj(name));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    primary.put(obj('a', { resourceVersion: '2', generation: 2 }));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(2);
    while (calls.length < 4 || release.length > 0) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }

    expect(calls.map((c) => c.request.name).sort()).toEqual(['a', 'a', 'b', 'c']);
    expect(maxRunning).toBe(2);
    expect(overlap).toBe(false);
    await controller.stop(1000);
  });

  it('on stop waits for in-flight reconciles and takes no new work', async () => {
    let finish: () => void = () => {};
    const { calls, reconciler } = recordingReconciler(() => new Promise<void>((resolve) => (finish = resolve)));
    const { primary, controller } = setup({ reconciler, workers: 1 });
    controller.start();
    primary.put(obj('a'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    primary.put(obj('b'));

    const stopped = controller.stop(10_000);
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    finish();

    expect(await stopped).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.context.signal.aborted).toBe(true);
  });

  it('aborts the reconcile signal when the shutdown deadline passes', async () => {
    const { calls, reconciler } = recordingReconciler(
      (_r, _n) => new Promise<void>((resolve) => calls[0]?.context.signal.addEventListener('abort', () => resolve())),
    );
    const { primary, controller } = setup({ reconciler, workers: 1 });
    controller.start();
    primary.put(obj('a'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));

    const inTime = await controller.stop(30);

    expect(inTime).toBe(false);
    expect(calls[0]?.context.signal.aborted).toBe(true);
  });
});
