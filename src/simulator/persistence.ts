// --state-dir: the simulator's state, ports, CA and leaf certificates in one JSON file, written
// atomically (temp file + rename), debounced after changes and once more on shutdown.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pem } from '../pki/certs.ts';
import type { SimulatorBehaviour } from './behaviour.ts';
import type { AccessChange, AccountRecord, ClusterPairRecord, ClusterRecord, VolumeRecord } from './model.ts';
import type { SimWorld } from './world.ts';

const FORMAT = 1;
export const STATE_FILE = 'state.json';

type StoredCluster = Omit<ClusterRecord, 'accounts' | 'volumes' | 'clusterPairs' | 'paired'> & {
  accounts: AccountRecord[];
  volumes: VolumeRecord[];
  clusterPairs: ClusterPairRecord[];
};

export interface StoredState {
  format: typeof FORMAT;
  adminPort: number;
  username: string;
  password: string;
  ca: Pem;
  behaviour: SimulatorBehaviour;
  cutLinks: string[];
  linkRestoredAt: Array<[string, number]>;
  /** Absent in files written before the access history existed. */
  accessChanges?: AccessChange[];
  clusters: StoredCluster[];
}

export interface Extras {
  adminPort: number;
  username: string;
  password: string;
  ca: Pem;
}

export function snapshot(world: SimWorld, extras: Extras): StoredState {
  return {
    format: FORMAT,
    ...extras,
    behaviour: world.behaviour,
    cutLinks: [...world.cutLinks],
    linkRestoredAt: [...world.linkRestoredAt],
    accessChanges: [...world.accessChanges],
    clusters: [...world.clusters.values()].map(({ accounts, volumes, clusterPairs, paired: _paired, ...rest }) => ({
      ...rest,
      accounts: [...accounts.values()],
      volumes: [...volumes.values()],
      clusterPairs: [...clusterPairs.values()],
    })),
  };
}

export function restoreCluster(stored: StoredCluster): ClusterRecord {
  const volumes = [...stored.volumes].sort((a, b) => a.volumeID - b.volumeID);
  return {
    ...stored,
    accounts: new Map(stored.accounts.map((a) => [a.accountID, a])),
    volumes: new Map(volumes.map((v) => [v.volumeID, v])),
    clusterPairs: new Map(stored.clusterPairs.map((p) => [p.clusterPairID, p])),
    paired: new Set(volumes.filter((v) => v.pair).map((v) => v.volumeID)),
  };
}

export function restoreLinks(world: SimWorld, state: StoredState): void {
  for (const key of state.cutLinks) world.cutLinks.add(key);
  for (const [key, at] of state.linkRestoredAt) world.linkRestoredAt.set(key, at);
  // The access history travels with the links: both are estate-wide, not per cluster.
  world.accessChanges.push(...(state.accessChanges ?? []));
}

export function loadState(dir: string): StoredState | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as StoredState;
  if (state.format !== FORMAT || !Array.isArray(state.clusters)) throw new Error(`${join(dir, STATE_FILE)}: unsupported state format`);
  return state;
}

export class StateSaver {
  readonly #dir: string;
  readonly #take: () => StoredState;
  readonly #debounceMs: number;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #counter = 0;

  constructor(dir: string, take: () => StoredState, debounceMs = 200) {
    mkdirSync(dir, { recursive: true });
    this.#dir = dir;
    this.#take = take;
    this.#debounceMs = debounceMs;
  }

  schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#writing = this.#writing.then(() => this.#writeAsync()).catch(() => undefined);
    }, this.#debounceMs);
  }

  async #writeAsync(): Promise<void> {
    const temp = join(this.#dir, `${STATE_FILE}.${process.pid}.${this.#counter++}.tmp`);
    await writeFile(temp, JSON.stringify(this.#take()), { mode: 0o600 });
    await rename(temp, join(this.#dir, STATE_FILE));
  }

  /** Cancels any pending write and writes now (used at start and on shutdown). */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#writing;
    const temp = join(this.#dir, `${STATE_FILE}.${process.pid}.final.tmp`);
    writeFileSync(temp, JSON.stringify(this.#take()), { mode: 0o600 });
    renameSync(temp, join(this.#dir, STATE_FILE));
  }
}
