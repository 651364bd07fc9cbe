// An in-memory EventSource for unit tests of controllers and the manager: tests put objects in,
// decide when it has synced, and observe start/stop.
import { objectKey, requestKey, type KubeObject } from './object.ts';
import type { EventSource, InformerEvent, InformerEventHandler, InformerHealth } from './source.ts';

export class FakeSource<T extends KubeObject> implements EventSource<T> {
  readonly name: string;
  started = false;
  stopped = false;
  #synced = false;
  #store = new Map<string, T>();
  #handlers = new Set<InformerEventHandler<T>>();
  #waiters: Array<() => void> = [];

  constructor(name: string) {
    this.name = name;
  }

  start(): void {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  markSynced(): void {
    this.#synced = true;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push(resolve);
      signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }

  subscribe(handler: InformerEventHandler<T>): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#store.get(requestKey({ name, namespace }));
  }

  list(): T[] {
    return [...this.#store.values()];
  }

  health(): InformerHealth {
    return { name: this.name, synced: this.#synced, watching: this.started && !this.stopped, restarts: 0 };
  }

  /** Stores the object and emits added or updated. */
  put(object: T): void {
    const key = objectKey(object);
    const old = this.#store.get(key);
    this.#store.set(key, object);
    this.#emit(old ? { type: 'updated', object, old } : { type: 'added', object });
  }

  remove(object: T): void {
    this.#store.delete(objectKey(object));
    this.#emit({ type: 'deleted', object });
  }

  #emit(event: InformerEvent<T>): void {
    for (const handler of this.#handlers) void handler(event);
  }
}
