// What the observation cache knows about single volumes of one cluster: results of
// ListVolumes{volumeIDs} and ListVolumes{volumeName}, newest first, and how they amend an older
// ListActivePairedVolumes snapshot.
import type { Volume } from '../element/schema.ts';

export interface Started {
  /** Mutation generation of the cluster when the call started. */
  generation: number;
  startedAt: number;
}

/** One list call, shared by every reader it satisfies; `value` once it succeeded. */
export interface Fetched<T> extends Started {
  client: unknown;
  promise: Promise<T>;
  value?: T;
}

type Accept = (entry: Started & { client: unknown }) => boolean;

interface VolumeEntry extends Started {
  client: unknown;
  /** null: Element did not list it (deleted, or never existed). */
  volume: Volume | null;
}

interface NameEntry extends Started {
  client: unknown;
  ids: number[];
}

export class VolumeIndex {
  readonly #byId = new Map<number, VolumeEntry>();
  readonly #byName = new Map<string, NameEntry>();

  clear(): void {
    this.#byId.clear();
    this.#byName.clear();
  }

  /** Records the answer for `ids`: an ID missing from `volumes` is recorded as absent. */
  record(ids: readonly number[], volumes: readonly Volume[], started: Started, client: unknown): void {
    for (const id of ids) {
      const previous = this.#byId.get(id);
      // Calls may finish out of order: an answer never replaces one that started later.
      if (previous && previous.client === client && previous.startedAt > started.startedAt) continue;
      this.#byId.set(id, { ...started, client, volume: volumes.find((v) => v.volumeID === id) ?? null });
    }
  }

  recordName(name: string, volumes: readonly Volume[], started: Started, client: unknown): void {
    const ids = volumes.map((v) => v.volumeID);
    this.#byName.set(name, { ...started, client, ids });
    this.record(ids, volumes, started, client);
  }

  /** The volumes of a recent name lookup, or undefined when the name has to be looked up. */
  byName(name: string, accept: Accept): Volume[] | undefined {
    const entry = this.#byName.get(name);
    if (!entry || !accept(entry)) return undefined;
    const volumes: Volume[] = [];
    for (const id of entry.ids) {
      const known = this.#byId.get(id);
      if (!known || !accept(known) || known.volume?.name !== name) return undefined;
      volumes.push(known.volume);
    }
    return volumes;
  }

  /** Splits `ids` into volumes known well enough and IDs to ask for. */
  lookup(ids: readonly number[], accept: Accept, paired: Fetched<Volume[]> | undefined): { found: Volume[]; missing: number[] } {
    const pairedUsable = paired?.value !== undefined && accept(paired) ? paired : undefined;
    const found: Volume[] = [];
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const entry = this.#byId.get(id);
      const own = entry && accept(entry) ? entry : undefined;
      const fromList = pairedUsable?.value?.find((v) => v.volumeID === id);
      if (own && (!fromList || !pairedUsable || own.startedAt >= pairedUsable.startedAt)) {
        if (own.volume) found.push(own.volume);
      } else if (fromList) {
        found.push(fromList);
      } else {
        missing.push(id);
      }
    }
    return { found, missing };
  }

  /** The paired-volumes list as of now: volumes refreshed after it started replace their entries. */
  overlay(items: readonly Volume[], listStartedAt: number): Volume[] {
    const newer = [...this.#byId.entries()].filter(([, entry]) => entry.startedAt > listStartedAt);
    if (newer.length === 0) return [...items];
    const replaced = new Set(newer.map(([id]) => id));
    const result = items.filter((v) => !replaced.has(v.volumeID));
    for (const [, entry] of newer) {
      if (entry.volume && entry.volume.volumePairs.length > 0) result.push(entry.volume);
    }
    return result.sort((x, y) => x.volumeID - y.volumeID);
  }
}
