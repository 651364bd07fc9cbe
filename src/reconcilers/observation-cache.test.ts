import { describe, expect, it } from 'vitest';
import { NoClientError, ObservationCache } from './observation-cache.ts';
import type { ObservableElement } from './observation-cache.ts';
import { Mutex, Semaphore } from './observation-cache-sync.ts';
import type { PairedCluster, SyncJob, Volume, VolumeStats } from '../element/schema.ts';
import type { ListVolumesParams } from '../element/types.ts';

/** An Element cluster whose answers can be held back, counting every call. */
class FakeElement implements ObservableElement {
  pairs: PairedCluster[] = [];
  volumes: Volume[] = [];
  syncJobs: SyncJob[] = [];
  calls = { listClusterPairs: 0, listActivePairedVolumes: 0, listVolumes: [] as ListVolumesParams[], listVolumeStats: [] as number[][], listSyncJobs: 0 };
  inFlight = 0;
  maxInFlight = 0;
  fail = false;
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;

  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }
  release(): void {
    this.#open?.();
    this.#gate = undefined;
  }

  listClusterPairs(): Promise<PairedCluster[]> {
    this.calls.listClusterPairs += 1;
    return this.#answer(() => structuredClone(this.pairs));
  }
  listActivePairedVolumes(): Promise<Volume[]> {
    this.calls.listActivePairedVolumes += 1;
    return this.#answer(() => structuredClone(this.volumes.filter((v) => v.volumePairs.length > 0)));
  }
  listVolumes(params: ListVolumesParams): Promise<Volume[]> {
    this.calls.listVolumes.push(params);
    return this.#answer(() =>
      structuredClone(this.volumes.filter((v) => (params.volumeIDs?.includes(v.volumeID) ?? true) && (params.volumeName === undefined || v.name === params.volumeName))),
    );
  }

  listVolumeStats(volumeIDs: readonly number[]): Promise<VolumeStats[]> {
    this.calls.listVolumeStats.push([...volumeIDs]);
    return this.#answer(() => volumeIDs.map((volumeID) => ({ volumeID, asyncDelay: `PT${volumeID}S` })));
  }
  listSyncJobs(): Promise<SyncJob[]> {
    this.calls.listSyncJobs += 1;
    return this.#answer(() => structuredClone(this.syncJobs));
  }

  async #answer<T>(value: () => T): Promise<T> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // The answer is taken when the call is served, as Element would.
      await (this.#gate ?? Promise.resolve());
      await Promise.resolve();
      if (this.fail) throw new Error('connect ECONNREFUSED');
      return value();
    } finally {
      this.inFlight -= 1;
    }
  }
}

const pair = (id: number, status = 'Connected'): PairedCluster => ({ clusterPairID: id, clusterPairUUID: `uuid-${id}`, status } as PairedCluster);
const vol = (volumeID: number, name: string, pairedWith?: number): Volume =>
  ({ volumeID, name, accountID: 1, access: 'readWrite', totalSize: 1, enable512e: true, status: 'active', volumePairs: pairedWith ? [{ clusterPairID: pairedWith, remoteVolumeID: 1, remoteVolumeName: '' }] : [] }) as Volume;

function setup(options: { maxInFlight?: number } = {}) {
  const fake = new FakeElement();
  const clock = { now: 1_000 };
  const clients = new Map<string, FakeElement>([['dc1', fake]]);
  const cache = new ObservationCache<FakeElement>({
    clientFor: (name) => clients.get(name),
    pollIntervalMs: 60_000,
    now: () => clock.now,
    ...(options.maxInFlight ? { maxInFlightPerCluster: options.maxInFlight } : {}),
  });
  return { fake, clock, clients, cache };
}

describe('list sharing', () => {
  it('one ListClusterPairs per poll interval serves every reader', async () => {
    const { fake, clock, cache } = setup();
    fake.pairs = [pair(1)];
    await cache.listClusterPairs('dc1');
    clock.now += 59_000;
    expect((await cache.listClusterPairs('dc1')).items).toEqual([pair(1)]);
    expect(fake.calls.listClusterPairs).toBe(1);
    clock.now += 2_000;
    await cache.listClusterPairs('dc1');
    expect(fake.calls.listClusterPairs).toBe(2);
  });

  it('concurrent readers share one in-flight call', async () => {
    const { fake, cache } = setup();
    fake.hold();
    const readers = [cache.listClusterPairs('dc1'), cache.listClusterPairs('dc1'), cache.listActivePairedVolumes('dc1'), cache.listActivePairedVolumes('dc1')];
    fake.release();
    await Promise.all(readers);
    expect(fake.calls.listClusterPairs).toBe(1);
    expect(fake.calls.listActivePairedVolumes).toBe(1);
  });

  it('a reader asking for younger data gets a new call', async () => {
    const { fake, clock, cache } = setup();
    await cache.listClusterPairs('dc1');
    clock.now += 3_000;
    await cache.listClusterPairs('dc1', { maxAgeMs: 2_000 });
    expect(fake.calls.listClusterPairs).toBe(2);
  });

  it('a failed list is not cached', async () => {
    const { fake, cache } = setup();
    fake.fail = true;
    await expect(cache.listClusterPairs('dc1')).rejects.toThrow('ECONNREFUSED');
    fake.fail = false;
    fake.pairs = [pair(2)];
    expect((await cache.listClusterPairs('dc1')).items).toEqual([pair(2)]);
  });
});

describe('mutation generations', () => {
  it('never serves a list that started before the reader\'s own mutation', async () => {
    const { fake, cache } = setup();
    fake.hold();
    const before = cache.listClusterPairs('dc1'); // started at generation 0
    fake.pairs = [pair(7, 'Unconfigured')]; // the mutation lands on Element…
    const generation = cache.noteMutation('dc1'); // …and returns
    const mine = cache.listClusterPairs('dc1', { minGeneration: generation });
    const someoneElse = cache.listClusterPairs('dc1');
    fake.release();
    expect((await mine).generation).toBe(generation);
    expect((await mine).items).toEqual([pair(7, 'Unconfigured')]);
    expect((await someoneElse).generation).toBe(generation); // the newest call is the one shared
    expect((await before).generation).toBe(0);
    expect(fake.calls.listClusterPairs).toBe(2);
  });

  it('mutate() moves the generation whether the call succeeded or not', async () => {
    const { cache } = setup();
    const { result, generation } = await cache.mutate('dc1', async () => 'ok');
    expect(result).toBe('ok');
    expect(generation).toBe(1);
    await expect(cache.mutate('dc1', async () => { throw new Error('timeout'); })).rejects.toThrow('timeout');
    expect(cache.generation('dc1')).toBe(2);
  });

  it('generations are per cluster', () => {
    const { cache } = setup();
    cache.noteMutation('dc1');
    expect(cache.generation('dc2')).toBe(0);
  });
});

describe('volumes', () => {
  it('serves known paired volumes from the list and asks ListVolumes{volumeIDs} only for the rest', async () => {
    const { fake, cache } = setup();
    fake.volumes = [vol(158, 'test', 55), vol(159, 'other')];
    await cache.listActivePairedVolumes('dc1');
    const found = await cache.volumes('dc1', [158, 159, 404]);
    expect(found.map((v) => v.volumeID).sort()).toEqual([158, 159]);
    expect(fake.calls.listVolumes).toEqual([{ volumeIDs: [159, 404] }]);
    await cache.volumes('dc1', [159, 404]);
    expect(fake.calls.listVolumes).toHaveLength(1);
  });

  it('refreshVolumes after a mutation amends the paired list', async () => {
    const { fake, clock, cache } = setup();
    fake.volumes = [vol(158, 'test', 55), vol(160, 'new')];
    await cache.listActivePairedVolumes('dc1');
    clock.now += 10;
    fake.volumes = [vol(158, 'test'), vol(160, 'new', 55)]; // 158 unpaired, 160 paired
    const generation = cache.noteMutation('dc1');
    await cache.refreshVolumes('dc1', [158, 160]);
    const list = await cache.listActivePairedVolumes('dc1');
    expect(list.items.map((v) => v.volumeID)).toEqual([160]);
    expect(fake.calls.listActivePairedVolumes).toBe(1);
    expect((await cache.volumes('dc1', [158], { minGeneration: generation }))[0]?.volumePairs).toEqual([]);
  });

  it('looks a name up once, then serves it; an unknown name is asked for', async () => {
    const { fake, cache } = setup();
    fake.volumes = [vol(158, 'test'), vol(159, 'testr')];
    expect((await cache.volumesByName('dc1', 'test')).map((v) => v.volumeID)).toEqual([158]);
    expect((await cache.volumesByName('dc1', 'test')).map((v) => v.volumeID)).toEqual([158]);
    expect(await cache.volumesByName('dc1', 'nope')).toEqual([]);
    expect(fake.calls.listVolumes).toEqual([{ volumeName: 'test' }, { volumeName: 'nope' }]);
  });
});

describe('replication health reads', () => {
  const target = (volumeID: number, pairedWith: number): Volume => ({ ...vol(volumeID, `t${volumeID}`, pairedWith), access: 'replicationTarget' });

  it('one ListVolumeStats per poll covers every paired source volume, whatever the number of readers', async () => {
    const { fake, clock, cache } = setup();
    fake.volumes = [vol(1, 'a', 7), vol(2, 'b', 7), target(3, 7), vol(4, 'unpaired')];
    const readers = await Promise.all([cache.volumeStats('dc1'), cache.volumeStats('dc1'), cache.volumeStats('dc1')]);
    expect(fake.calls.listVolumeStats).toEqual([[1, 2]]);
    expect(readers[2]?.items.map((s) => s.volumeID)).toEqual([1, 2]);
    clock.now += 59_000;
    await cache.volumeStats('dc1');
    expect(fake.calls.listVolumeStats).toHaveLength(1);
    // The next poll lists again (a volume paired since is in that call, not in one of its own).
    fake.volumes.push(vol(5, 'e', 7));
    clock.now += 2_000;
    await cache.volumeStats('dc1');
    expect(fake.calls.listVolumeStats.at(-1)).toEqual([1, 2, 5]);
    expect(fake.calls.listActivePairedVolumes).toBe(2);
  });

  it('sends no ListVolumeStats for a cluster without paired source volumes', async () => {
    const { fake, cache } = setup();
    fake.volumes = [target(3, 7)];
    expect((await cache.volumeStats('dc1')).items).toEqual([]);
    expect(fake.calls.listVolumeStats).toEqual([]);
  });

  it('dates the stats when ListVolumeStats was sent, not when the reader asked', async () => {
    const { fake, clock, cache } = setup();
    fake.volumes = [vol(1, 'a', 7)];
    fake.hold();
    const reading = cache.volumeStats('dc1');
    await Promise.resolve();
    clock.now += 500; // the paired list is still out
    fake.release();
    const snapshot = await reading;
    expect(snapshot.startedAt).toBe(1_500);
  });

  it('one ListSyncJobs per poll, shared; a failure is not cached', async () => {
    const { fake, clock, cache } = setup();
    fake.syncJobs = [{ type: 'remote', srcVolumeID: 1, percentComplete: 40 } as SyncJob];
    await Promise.all([cache.syncJobs('dc1'), cache.syncJobs('dc1')]);
    expect(fake.calls.listSyncJobs).toBe(1);
    clock.now += 61_000;
    fake.fail = true;
    await expect(cache.syncJobs('dc1')).rejects.toThrow(/ECONNREFUSED/);
    fake.fail = false;
    expect((await cache.syncJobs('dc1')).items[0]?.percentComplete).toBe(40);
    expect(fake.calls.listSyncJobs).toBe(3);
  });
});

describe('limits and locks', () => {
  it('caps in-flight calls per cluster', async () => {
    const { fake, cache } = setup({ maxInFlight: 2 });
    fake.hold();
    const calls = [1, 2, 3, 4, 5].map((id) => cache.refreshVolumes('dc1', [id]));
    await Promise.resolve();
    expect(fake.inFlight).toBe(2);
    fake.release();
    await Promise.all(calls);
    expect(fake.maxInFlight).toBe(2);
    expect(fake.calls.listVolumes).toHaveLength(5);
  });

  it('serializes pairing per cluster, in arrival order, even after a failure', async () => {
    const { cache } = setup();
    const order: string[] = [];
    const slow = cache.withPairingLock('dc1', async () => {
      order.push('first:start');
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('first:end');
      throw new Error('boom');
    });
    const second = cache.withPairingLock('dc1', async () => order.push('second'));
    const elsewhere = cache.withPairingLock('dc2', async () => order.push('dc2'));
    await expect(slow).rejects.toThrow('boom');
    await Promise.all([second, elsewhere]);
    expect(order.indexOf('second')).toBeGreaterThan(order.indexOf('first:end'));
    expect(order.indexOf('dc2')).toBeLessThan(order.indexOf('first:end'));
  });

  it('a new client (reconnect, rotated credentials) invalidates what the old one listed', async () => {
    const { fake, clients, cache } = setup();
    fake.pairs = [pair(1)];
    await cache.listClusterPairs('dc1');
    const replacement = new FakeElement();
    replacement.pairs = [pair(2)];
    clients.set('dc1', replacement);
    expect((await cache.listClusterPairs('dc1')).items).toEqual([pair(2)]);
  });

  it('a cluster without a client is an error the caller can recognise', async () => {
    const { cache } = setup();
    await expect(cache.listClusterPairs('gone')).rejects.toBeInstanceOf(NoClientError);
  });
});

describe('primitives', () => {
  it('Semaphore rejects a nonsense limit', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
  it('Mutex reports whether it is held', async () => {
    const mutex = new Mutex();
    const held = mutex.run(async () => mutex.locked);
    expect(await held).toBe(true);
    await Promise.resolve();
    expect(mutex.locked).toBe(false);
  });
});
