// A supervised informer (client-go's reflector + store): list, then watch from the list's
// resourceVersion with bookmarks; on 410 Gone list again and emit the difference; on dropped
// connections, API-server restarts and any error reconnect with capped exponential backoff — it
// never stops until stop() is called. client-node's makeInformer stops for good on most errors and
// turns handler exceptions into unhandled rejections; this one catches and logs them.
import { Watch } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { objectKey, requestKey, type KubeObject } from '../controller/object.ts';
import type { EventSource, InformerEvent, InformerEventHandler, InformerHealth } from '../controller/source.ts';
import { collectionPath, type KubeClient, type ResourceType } from './client.ts';
import { isGone } from './errors.ts';

export interface InformerOptions<T extends KubeObject> {
  client: KubeClient;
  resource: ResourceType;
  log: Logger;
  /** Watch one namespace only (namespaced kinds); default all. */
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  /** Validates objects at the boundary (e.g. a zod schema's parse); objects that fail are logged and skipped. */
  parse?: ((raw: unknown) => T) | undefined;
  /** Restart backoff after errors; default 500 ms doubling to 15 s. */
  backoff?: { baseMs?: number; maxMs?: number } | undefined;
  /** Server-side watch timeout; default random in [5, 10) minutes, as client-go does. */
  watchTimeoutSeconds?: number | undefined;
  name?: string | undefined;
}

type WatchOutcome = 'closed' | 'gone' | 'stopped';

class WatchError extends Error {
  readonly statusCode: number | undefined;
  constructor(message: string, statusCode: number | undefined, cause?: unknown) {
    super(message, { cause });
    this.statusCode = statusCode;
  }
}

export class Informer<T extends KubeObject> implements EventSource<T> {
  readonly name: string;
  #options: InformerOptions<T>;
  #log: Logger;
  #store = new Map<string, T>();
  #handlers = new Set<InformerEventHandler<T>>();
  #resourceVersion: string | undefined;
  #synced = false;
  #syncWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  #watching = false;
  #restarts = 0;
  #stop = new AbortController();
  #currentWatch: AbortController | undefined;
  #running: Promise<void> | undefined;

  constructor(options: InformerOptions<T>) {
    this.#options = options;
    const scope = options.namespace ? `${options.namespace}/` : '';
    this.name = options.name ?? `${scope}${options.resource.plural}${options.labelSelector ? `?${options.labelSelector}` : ''}`;
    this.#log = options.log.child({ informer: this.name });
  }

  start(): void {
    if (this.#running || this.#stop.signal.aborted) return;
    this.#running = this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#currentWatch?.abort();
    for (const waiter of this.#syncWaiters.splice(0)) waiter.reject(new Error(`informer ${this.name} stopped before it synced`));
    await this.#running;
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.#synced) return Promise.resolve();
    if (this.#stop.signal.aborted) return Promise.reject(new Error(`informer ${this.name} stopped before it synced`));
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.#syncWaiters.push(waiter);
      signal?.addEventListener('abort', () => {
        this.#syncWaiters = this.#syncWaiters.filter((w) => w !== waiter);
        reject(new Error(`gave up waiting for informer ${this.name} to sync`));
      }, { once: true });
    });
  }

  subscribe(handler: InformerEventHandler<T>): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#store.get(requestKey({ name, namespace }));
  }

  list(namespace?: string): T[] {
    const all = [...this.#store.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  health(): InformerHealth {
    return { name: this.name, synced: this.#synced, watching: this.#watching, restarts: this.#restarts };
  }

  async #run(): Promise<void> {
    const { baseMs = 500, maxMs = 15_000 } = this.#options.backoff ?? {};
    let failures = 0;
    while (!this.#stop.signal.aborted) {
      try {
        if (this.#resourceVersion === undefined) {
          await this.#relist();
          failures = 0;
        }
        const startedAt = Date.now();
        const outcome = await this.#watchOnce();
        if (outcome === 'gone') {
          this.#log.info({ resourceVersion: this.#resourceVersion }, 'watch resourceVersion expired; listing again');
          this.#resourceVersion = undefined;
        } else if (outcome === 'closed' && Date.now() - startedAt < 1000) {
          // A server that closes every watch at once would make this loop spin: slow it down.
          failures++;
          await this.#sleep(Math.min(baseMs * 2 ** (failures - 1), maxMs));
        } else {
          failures = 0;
        }
      } catch (error) {
        if (this.#stop.signal.aborted) break;
        if (isGone(error) || (error instanceof WatchError && error.statusCode === 410)) {
          this.#resourceVersion = undefined;
          continue;
        }
        failures++;
        this.#restarts++;
        const delayMs = Math.min(baseMs * 2 ** (failures - 1), maxMs);
        this.#log.warn({ err: summarize(error), delayMs, failures }, 'informer list/watch failed; retrying');
        await this.#sleep(delayMs);
      }
    }
    this.#watching = false;
  }

  async #relist(): Promise<void> {
    const { client, resource, namespace, labelSelector } = this.#options;
    const page = await client.listAll<KubeObject>(resource, { namespace, labelSelector, signal: this.#stop.signal });
    if (this.#stop.signal.aborted) return;
    const fresh = new Map<string, T>();
    for (const raw of page.items) {
      const object = this.#parse(raw);
      if (object) fresh.set(objectKey(object), object);
    }
    const previous = this.#store;
    this.#store = fresh;
    this.#resourceVersion = page.resourceVersion;
    for (const [key, object] of fresh) {
      const old = previous.get(key);
      if (!old) this.#emit({ type: 'added', object });
      else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) this.#emit({ type: 'updated', object, old });
    }
    for (const [key, old] of previous) {
      if (!fresh.has(key)) this.#emit({ type: 'deleted', object: old });
    }
    this.#log.debug({ objects: fresh.size, resourceVersion: page.resourceVersion }, 'informer listed');
    if (!this.#synced) {
      this.#synced = true;
      for (const waiter of this.#syncWaiters.splice(0)) waiter.resolve();
    }
  }

  #watchOnce(): Promise<WatchOutcome> {
    const { client, resource, namespace, labelSelector } = this.#options;
    const timeoutSeconds = this.#options.watchTimeoutSeconds ?? Math.floor(300 + Math.random() * 300);
    return new Promise<WatchOutcome>((resolve, reject) => {
      let settled = false;
      const finish = (result: WatchOutcome | Error) => {
        if (settled) return;
        settled = true;
        this.#watching = false;
        this.#currentWatch?.abort();
        this.#currentWatch = undefined;
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const onEvent = (type: string, object: unknown) => {
        if (settled) return;
        try {
          const result = this.#handleWatchEvent(type, object);
          if (result) finish(result);
        } catch (error) {
          finish(error instanceof Error ? error : new WatchError(String(error), undefined));
        }
      };
      const onDone = (error: unknown) => {
        if (this.#stop.signal.aborted) return finish('stopped');
        if (!error) return finish('closed');
        // The watch's own 30 s inactivity timer: a quiet resource, not a failure.
        if (error instanceof Error && error.name === 'TimeoutError') return finish('closed');
        const statusCode = (error as { statusCode?: unknown }).statusCode;
        if (statusCode === 410) return finish('gone');
        finish(new WatchError(`watch failed: ${summarize(error)}`, typeof statusCode === 'number' ? statusCode : undefined, error));
      };
      new Watch(client.kubeConfig)
        .watch(
          collectionPath(resource, namespace),
          { resourceVersion: this.#resourceVersion, allowWatchBookmarks: true, labelSelector, timeoutSeconds },
          onEvent,
          onDone,
        )
        .then((controller) => {
          if (settled || this.#stop.signal.aborted) {
            controller.abort();
            if (!settled) finish('stopped');
            return;
          }
          this.#currentWatch = controller;
          this.#watching = true;
        })
        .catch((error: unknown) => finish(new WatchError(`watch failed: ${summarize(error)}`, undefined, error)));
    });
  }

  /** Applies one watch event; returns an outcome when the watch must end. */
  #handleWatchEvent(type: string, raw: unknown): WatchOutcome | undefined {
    const metadata = (raw as { metadata?: { resourceVersion?: string } } | null)?.metadata;
    if (type === 'ERROR') {
      const status = raw as { code?: number; reason?: string; message?: string };
      if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone') return 'gone';
      throw new WatchError(`watch error event: ${status.reason ?? status.code ?? 'unknown'}`, status.code);
    }
    if (metadata?.resourceVersion) this.#resourceVersion = metadata.resourceVersion;
    if (type === 'BOOKMARK') return undefined;
    const object = this.#parse(raw);
    if (!object) return undefined;
    const key = objectKey(object);
    const old = this.#store.get(key);
    if (type === 'DELETED') {
      this.#store.delete(key);
      this.#emit({ type: 'deleted', object });
    } else if (type === 'ADDED' || type === 'MODIFIED') {
      this.#store.set(key, object);
      if (!old) this.#emit({ type: 'added', object });
      else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) this.#emit({ type: 'updated', object, old });
    }
    return undefined;
  }

  #parse(raw: unknown): T | undefined {
    const parse = this.#options.parse;
    if (!parse) return raw as T;
    try {
      return parse(raw);
    } catch (error) {
      const metadata = (raw as { metadata?: { name?: string; namespace?: string } } | null)?.metadata;
      this.#log.warn({ name: metadata?.name, namespace: metadata?.namespace, err: summarize(error) }, 'skipping object that does not match its schema');
      return undefined;
    }
  }

  #emit(event: InformerEvent<T>): void {
    for (const handler of this.#handlers) {
      try {
        const result = handler(event);
        if (result && typeof (result as Promise<void>).catch === 'function') {
          (result as Promise<void>).catch((error: unknown) => this.#handlerFailed(error, event));
        }
      } catch (error) {
        this.#handlerFailed(error, event);
      }
    }
  }

  #handlerFailed(error: unknown, event: InformerEvent<T>): void {
    this.#log.error({ err: summarize(error), event: event.type, key: objectKey(event.object) }, 'informer event handler failed');
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.#stop.signal;
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Error text without response headers or bodies (client-node errors can carry both). */
function summarize(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  const head = error.message.split('\n')[0] ?? '';
  return [error.name, head, code === undefined ? '' : `code=${String(code)}`, status === undefined ? '' : `status=${String(status)}`]
    .filter(Boolean)
    .join(' ');
}
