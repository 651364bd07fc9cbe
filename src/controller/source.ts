// What a controller needs from an informer: a local cache, sync state and change events. Defined
// here (pure) and implemented in src/kube/informer.ts, so the controller core never depends on
// the Kubernetes client.
import type { KubeObject } from './object.ts';

export type InformerEvent<T extends KubeObject> =
  | { type: 'added'; object: T }
  | { type: 'updated'; object: T; old: T }
  | { type: 'deleted'; object: T };

export type InformerEventHandler<T extends KubeObject> = (event: InformerEvent<T>) => void | Promise<void>;

export interface InformerHealth {
  name: string;
  synced: boolean;
  /** A watch is open right now. */
  watching: boolean;
  /** Restarts after errors since start (not counting routine reconnects). */
  restarts: number;
}

export interface EventSource<T extends KubeObject> {
  readonly name: string;
  /** Starts list+watch in the background; idempotent. */
  start(): void;
  /** Stops watching; the cache stays readable. */
  stop(): Promise<void>;
  /** True once the first list is in the cache. */
  hasSynced(): boolean;
  /** Resolves once synced; rejects when `signal` aborts or the source stops first. */
  waitForSync(signal?: AbortSignal): Promise<void>;
  /** Handlers run for every change, after the cache is updated; errors are caught and logged. */
  subscribe(handler: InformerEventHandler<T>): () => void;
  get(name: string, namespace?: string): T | undefined;
  list(namespace?: string): T[];
  health(): InformerHealth;
}
