// Per-ElementCluster observation cache (DESIGN §3), shared by the ClusterPair and VolumePair
// reconcilers: one ListClusterPairs and one ListActivePairedVolumes per cluster per poll interval
// serve every reader; concurrent readers share one in-flight call. Replication health adds two
// reads of the same kind (DESIGN §9): one ListVolumeStats per cluster and poll for all its paired
// source volumes, and one ListSyncJobs per cluster and poll while a reader needs sync progress. Each cluster has a mutation
// generation: a reader that mutated passes the generation noteMutation gave it, and is never
// served a list that started before that. In-flight calls per cluster are capped, and mutations
// that create pending state are serialized per cluster (withPairingLock).
import { Mutex, Semaphore } from './observation-cache-sync.ts';
import type { ListVolumesParams } from '../element/types.ts';
import type { PairedCluster, SyncJob, Volume, VolumeStats } from '../element/schema.ts';
import { VolumeAccessMode } from '../element/states.ts';
import { VolumeIndex } from './observation-cache-volumes.ts';
import type { Fetched } from './observation-cache-volumes.ts';

/** The Element client methods the cache calls (ElementClient has them; tests pass a fake). */
export interface ObservableElement {
  listClusterPairs(): Promise<PairedCluster[]>;
  listActivePairedVolumes(): Promise<Volume[]>;
  listVolumes(params: ListVolumesParams): Promise<Volume[]>;
  listVolumeStats(volumeIDs: readonly number[]): Promise<VolumeStats[]>;
  listSyncJobs(): Promise<SyncJob[]>;
}

export interface ObservationCacheOptions<C extends ObservableElement> {
  /** The current client of an ElementCluster (by resource name); undefined while it has none. */
  clientFor(cluster: string): C | undefined;
  /** How old a list may be for a reader that asks nothing else (default 60 s). */
  pollIntervalMs: number;
  /** Cap on in-flight calls per cluster, mutations included (default 4). */
  maxInFlightPerCluster?: number;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
  /**
   * The Element cluster an ElementCluster name stands for (its clusterUniqueID): pairing locks key
   * on it, so two ElementClusters for one cluster share one lock (DESIGN §10). Default: the name.
   */
  identityOf?: (cluster: string) => string;
}

export interface Freshness {
  /** Serve nothing that started before this mutation generation (from noteMutation). */
  minGeneration?: number;
  /** Serve nothing that started longer ago (default: the poll interval). */
  maxAgeMs?: number;
}

export interface Snapshot<T> {
  items: T[];
  /** Mutation generation of the cluster when the call started. */
  generation: number;
  /** Clock value when the call started. */
  startedAt: number;
}

export class NoClientError extends Error {
  readonly cluster: string;
  constructor(cluster: string) {
    super(`no Element client for ElementCluster ${cluster}`);
    this.name = 'NoClientError';
    this.cluster = cluster;
  }
}

interface ClusterState {
  generation: number;
  client: unknown;
  limiter: Semaphore;
  pairs?: Fetched<PairedCluster[]>;
  paired?: Fetched<Volume[]>;
  stats?: Fetched<VolumeStats[]>;
  syncJobs?: Fetched<SyncJob[]>;
  volumes: VolumeIndex;
}

export class ObservationCache<C extends ObservableElement = ObservableElement> {
  readonly #options: ObservationCacheOptions<C>;
  readonly #now: () => number;
  readonly #clusters = new Map<string, ClusterState>();
  /** Pairing locks by Element cluster identity (see identityOf). */
  readonly #pairingLocks = new Map<string, Mutex>();

  constructor(options: ObservationCacheOptions<C>) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  generation(cluster: string): number {
    return this.#state(cluster).generation;
  }

  /** Call after every mutating Element call on `cluster` returned or failed; pass the result as minGeneration. */
  noteMutation(cluster: string): number {
    const state = this.#state(cluster);
    state.generation += 1;
    return state.generation;
  }

  listClusterPairs(cluster: string, freshness: Freshness = {}): Promise<Snapshot<PairedCluster>> {
    return this.#list(cluster, 'pairs', freshness, (client) => client.listClusterPairs());
  }

  /** Volumes with active and pending pairs; volumes refreshed since the list started override it. */
  async listActivePairedVolumes(cluster: string, freshness: Freshness = {}): Promise<Snapshot<Volume>> {
    const snapshot = await this.#list(cluster, 'paired', freshness, (client) => client.listActivePairedVolumes());
    return { ...snapshot, items: this.#state(cluster).volumes.overlay(snapshot.items, snapshot.startedAt) };
  }

  /**
   * ListVolumeStats for every paired source volume of the cluster (readWrite, with a volume pair, in
   * the current ListActivePairedVolumes), one call per poll whatever the number of readers. A
   * volume paired after that list is in the next poll's call, never in a call of its own.
   * `startedAt` is when ListVolumeStats was sent: asyncDelay is relative to it.
   */
  volumeStats(cluster: string, freshness: Pick<Freshness, 'maxAgeMs'> = {}): Promise<Snapshot<VolumeStats>> {
    return this.#list(cluster, 'stats', freshness, async (client, entry) => {
      const paired = await this.listActivePairedVolumes(cluster);
      const sources = paired.items.filter((v) => v.access === VolumeAccessMode.ReadWrite && (v.volumePairs?.length ?? 0) > 0).map((v) => v.volumeID);
      if (sources.length === 0) return [];
      return this.#state(cluster).limiter.run(() => {
        entry.startedAt = this.#now();
        return client.listVolumeStats(sources);
      });
    }, false);
  }

  /** ListSyncJobs of the cluster, one call per poll whatever the number of readers. */
  syncJobs(cluster: string, freshness: Pick<Freshness, 'maxAgeMs'> = {}): Promise<Snapshot<SyncJob>> {
    return this.#list(cluster, 'syncJobs', freshness, (client) => client.listSyncJobs());
  }

  /** These volumes (absent IDs are left out), from what is known and fresh, asking only for the rest. */
  async volumes(cluster: string, ids: readonly number[], freshness: Freshness = {}): Promise<Volume[]> {
    this.#client(cluster);
    const state = this.#state(cluster);
    const { found, missing } = state.volumes.lookup(ids, this.#accept(state, freshness), state.paired);
    if (missing.length === 0) return found;
    return [...found, ...(await this.refreshVolumes(cluster, missing))];
  }

  /** ListVolumes{volumeIDs} now, e.g. for the volumes a mutation touched. */
  refreshVolumes(cluster: string, ids: readonly number[]): Promise<Volume[]> {
    const state = this.#state(cluster);
    const unique = [...new Set(ids)];
    if (unique.length === 0) return Promise.resolve([]);
    const started = { generation: state.generation, startedAt: this.#now() };
    return this.#call(cluster, async (client) => {
      const volumes = await client.listVolumes({ volumeIDs: unique });
      state.volumes.record(unique, volumes, started, client);
      return volumes;
    });
  }

  /** Volumes with this exact name; asks Element only when the name was not looked up recently. */
  async volumesByName(cluster: string, name: string, freshness: Freshness = {}): Promise<Volume[]> {
    this.#client(cluster);
    const state = this.#state(cluster);
    const known = state.volumes.byName(name, this.#accept(state, freshness));
    if (known) return known;
    const started = { generation: state.generation, startedAt: this.#now() };
    return this.#call(cluster, async (client) => {
      const volumes = (await client.listVolumes({ volumeName: name })).filter((v) => v.name === name);
      state.volumes.recordName(name, volumes, started, client);
      return volumes;
    });
  }

  /** Runs any Element call under the cluster's in-flight cap (mutations too). */
  call<T>(cluster: string, fn: (client: C) => Promise<T>): Promise<T> {
    return this.#call(cluster, fn);
  }

  /** A mutating call: capped, then the generation moves whatever the outcome. Returns both. */
  async mutate<T>(cluster: string, fn: (client: C) => Promise<T>): Promise<{ result: T; generation: number }> {
    try {
      const result = await this.#call(cluster, fn);
      return { result, generation: this.noteMutation(cluster) };
    } catch (error) {
      this.noteMutation(cluster);
      throw error;
    }
  }

  /** Serializes mutations that create pending state on one cluster (Start*Pairing and what must precede it). */
  withPairingLock<T>(cluster: string, fn: () => Promise<T>): Promise<T> {
    const identity = this.#options.identityOf?.(cluster) ?? cluster;
    let lock = this.#pairingLocks.get(identity);
    if (lock === undefined) {
      lock = new Mutex();
      this.#pairingLocks.set(identity, lock);
    }
    return lock.run(fn);
  }

  /** Drops what is known about a cluster (e.g. its ElementCluster was deleted). */
  forget(cluster: string): void {
    this.#clusters.delete(cluster);
  }

  #state(cluster: string): ClusterState {
    let state = this.#clusters.get(cluster);
    if (!state) {
      state = {
        generation: 0,
        client: undefined,
        limiter: new Semaphore(this.#options.maxInFlightPerCluster ?? 4),
        volumes: new VolumeIndex(),
      };
      this.#clusters.set(cluster, state);
    }
    return state;
  }

  #client(cluster: string): C {
    const client = this.#options.clientFor(cluster);
    if (!client) throw new NoClientError(cluster);
    const state = this.#state(cluster);
    if (state.client !== client) {
      // A new client (rotated credentials, reconnect) may reach another cluster: nothing old is served.
      state.client = client;
      state.pairs = undefined;
      state.paired = undefined;
      state.stats = undefined;
      state.syncJobs = undefined;
      state.volumes.clear();
    }
    return client;
  }

  #call<T>(cluster: string, fn: (client: C) => Promise<T>): Promise<T> {
    const client = this.#client(cluster);
    return this.#state(cluster).limiter.run(() => fn(client));
  }

  #accept(state: ClusterState, freshness: Freshness): (entry: { generation: number; startedAt: number; client: unknown }) => boolean {
    const now = this.#now();
    const maxAge = freshness.maxAgeMs ?? this.#options.pollIntervalMs;
    const minGeneration = freshness.minGeneration ?? 0;
    return (entry) => entry.client === state.client && entry.generation >= minGeneration && now - entry.startedAt <= maxAge;
  }

  /**
   * One shared list call per cluster and kind. `limited: false` leaves the in-flight cap to
   * `fetch` (a list that first awaits another list must not hold a slot while it waits).
   */
  async #list<K extends 'pairs' | 'paired' | 'stats' | 'syncJobs', T extends PairedCluster | Volume | VolumeStats | SyncJob>(
    cluster: string,
    kind: K,
    freshness: Freshness,
    fetch: (client: C, entry: Fetched<T[]>) => Promise<T[]>,
    limited = true,
  ): Promise<Snapshot<T>> {
    const client = this.#client(cluster);
    const state = this.#state(cluster);
    const cached = state[kind] as Fetched<T[]> | undefined;
    if (cached && this.#accept(state, freshness)(cached)) return toSnapshot(cached);
    const entry = { generation: state.generation, startedAt: this.#now(), client } as Fetched<T[]>;
    entry.promise = limited ? state.limiter.run(() => fetch(client, entry)) : fetch(client, entry);
    (state as Record<K, Fetched<T[]> | undefined>)[kind] = entry;
    entry.promise.then(
      (items) => {
        entry.value = items;
      },
      () => {
        // A failed list is not cached: the next reader asks again.
        if (state[kind] === (entry as unknown)) state[kind] = undefined;
      },
    );
    return toSnapshot(entry);
  }
}

async function toSnapshot<T>(entry: Fetched<T[]>): Promise<Snapshot<T>> {
  return { items: await entry.promise, generation: entry.generation, startedAt: entry.startedAt };
}
