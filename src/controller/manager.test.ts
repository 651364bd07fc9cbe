import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { Reconciler } from './controller.ts';
import { FakeSource } from './fake-source.ts';
import { Manager, type LeaderElection } from './manager.ts';
import type { KubeObject, ReconcileRequest } from './object.ts';

const log = pino({ level: 'silent' });

function reconcilerRecording(into: string[], kind: string, block?: Promise<void>): Reconciler {
  return {
    reconcile: async (request: ReconcileRequest) => {
      into.push(`${kind}:${request.name}`);
      await block;
    },
  };
}

class FakeElection implements LeaderElection {
  callbacks: { onStartedLeading(signal: AbortSignal): void; onStoppedLeading(): void } | undefined;
  released = false;
  #leading = new AbortController();
  run(callbacks: { onStartedLeading(signal: AbortSignal): void; onStoppedLeading(): void }): Promise<void> {
    this.callbacks = callbacks;
    return Promise.resolve();
  }
  lead(): void {
    this.callbacks?.onStartedLeading(this.#leading.signal);
  }
  lose(): void {
    this.#leading.abort();
    this.callbacks?.onStoppedLeading();
  }
  async release(): Promise<void> {
    this.released = true;
  }
}

describe('Manager', () => {
  it('starts workers only after every informer has synced', async () => {
    const calls: string[] = [];
    const primary = new FakeSource<KubeObject>('things');
    const extra = new FakeSource<KubeObject>('cache');
    const manager = new Manager({ log });
    manager.addController({ name: 'Thing', for: primary, reconciler: reconcilerRecording(calls, 'Thing') });
    manager.addSource(extra);
    primary.put({ metadata: { name: 'a' } });

    const started = manager.start();
    expect(primary.started && extra.started).toBe(true);
    primary.markSynced();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([]);
    expect(manager.readiness().ready).toBe(false);

    extra.markSynced();
    await started;

    await vi.waitFor(() => expect(calls).toEqual(['Thing:a']));
    expect(manager.readiness()).toMatchObject({ ready: true, workersRunning: true, leading: true, stopping: false });
    await manager.stop();
  });

  it('with leader election: ready while standing by, workers start once leading', async () => {
    const calls: string[] = [];
    const primary = new FakeSource<KubeObject>('things');
    const election = new FakeElection();
    const manager = new Manager({ log, leaderElection: election });
    manager.addController({ name: 'Thing', for: primary, reconciler: reconcilerRecording(calls, 'Thing') });
    primary.put({ metadata: { name: 'a' } });
    primary.markSynced();

    await manager.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([]);
    expect(manager.readiness()).toMatchObject({ ready: true, workersRunning: false, leading: false });

    election.lead();

    await vi.waitFor(() => expect(calls).toEqual(['Thing:a']));
    expect(manager.readiness()).toMatchObject({ ready: true, workersRunning: true, leading: true });
    await manager.stop();
    expect(election.released).toBe(true);
  });

  it('routes requeue(kind, key) to that kind\'s controller', async () => {
    const calls: string[] = [];
    const clusters = new FakeSource<KubeObject>('clusters');
    const pairs = new FakeSource<KubeObject>('pairs');
    const manager = new Manager({ log });
    manager.addController({ name: 'ElementCluster', for: clusters, reconciler: reconcilerRecording(calls, 'ElementCluster') });
    manager.addController({ name: 'ClusterPair', for: pairs, reconciler: reconcilerRecording(calls, 'ClusterPair') });
    clusters.markSynced();
    pairs.markSynced();
    await manager.start();

    manager.requeue('ClusterPair', { name: 'dc1-dc2' });

    await vi.waitFor(() => expect(calls).toEqual(['ClusterPair:dc1-dc2']));
    await manager.stop();
  });

  it('shuts down in order: stops taking work, lets in-flight reconciles finish, releases the lease, stops informers', async () => {
    const calls: string[] = [];
    let finish: () => void = () => {};
    const block = new Promise<void>((resolve) => (finish = resolve));
    const primary = new FakeSource<KubeObject>('things');
    const election = new FakeElection();
    const manager = new Manager({ log, leaderElection: election, shutdownTimeoutMs: 10_000 });
    manager.addController({ name: 'Thing', for: primary, reconciler: reconcilerRecording(calls, 'Thing', block), workers: 1 });
    primary.markSynced();
    await manager.start();
    election.lead();
    primary.put({ metadata: { name: 'a' } });
    await vi.waitFor(() => expect(calls).toEqual(['Thing:a']));

    const stopping = manager.stop();
    primary.put({ metadata: { name: 'b' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(manager.readiness()).toMatchObject({ ready: false, stopping: true });
    expect(election.released).toBe(false);
    expect(primary.stopped).toBe(false);

    finish();
    await stopping;

    expect(calls).toEqual(['Thing:a']);
    expect(election.released).toBe(true);
    expect(primary.stopped).toBe(true);
  });

  it('stops all work and calls onLeadershipLost when the lease is lost', async () => {
    let lost = false;
    const seen: AbortSignal[] = [];
    const primary = new FakeSource<KubeObject>('things');
    const election = new FakeElection();
    const manager = new Manager({ log, leaderElection: election, onLeadershipLost: () => (lost = true) });
    manager.addController({
      name: 'Thing',
      for: primary,
      reconciler: { reconcile: (_r, ctx) => new Promise<void>((resolve) => { seen.push(ctx.signal); ctx.signal.addEventListener('abort', () => resolve()); }) },
    });
    primary.markSynced();
    await manager.start();
    election.lead();
    primary.put({ metadata: { name: 'a' } });
    await vi.waitFor(() => expect(seen).toHaveLength(1));

    election.lose();

    expect(lost).toBe(true);
    expect(seen[0]?.aborted).toBe(true);
    expect(manager.readiness().workersRunning).toBe(false);
    await manager.stop();
  });

  it('run() returns after the signal aborts, even before informers synced', async () => {
    const primary = new FakeSource<KubeObject>('never-syncs');
    const manager = new Manager({ log });
    manager.addController({ name: 'Thing', for: primary, reconciler: reconcilerRecording([], 'Thing') });
    const abort = new AbortController();

    const running = manager.run(abort.signal);
    abort.abort();
    await running;

    expect(primary.stopped).toBe(true);
  });

  it('refuses a second controller of the same kind and registrations after start', async () => {
    const manager = new Manager({ log });
    const source = new FakeSource<KubeObject>('x');
    source.markSynced();
    manager.addController({ name: 'Thing', for: source, reconciler: reconcilerRecording([], 'Thing') });

    expect(() => manager.addController({ name: 'Thing', for: source, reconciler: reconcilerRecording([], 'Thing') })).toThrow(/twice/);
    await manager.start();
    expect(() => manager.addController({ name: 'Other', for: source, reconciler: reconcilerRecording([], 'Other') })).toThrow(/after start/);
    await manager.stop();
  });
});
