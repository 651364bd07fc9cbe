// Follows the VolumePairs of one namespace with a watch (list, then watch from its resourceVersion,
// re-listing whenever the watch ends) and timestamps, for each pair, the first event in which it is
// Ready for its current generation. Also knows which pairs exist, for the deletion phase.
import type { ApiClient, WatchEvent } from '../../test/harness/api-client.ts';
import type { StatusObject } from '../lib/kube.ts';
import { conditionOf, isReady } from '../lib/readiness.ts';

export class VolumePairWatch {
  readonly #client: ApiClient;
  readonly #path: string;
  readonly #objects = new Map<string, StatusObject>();
  readonly #readyAt = new Map<string, number>();
  readonly #changes = new Map<string, number>();
  #current: { close(): void } | undefined;
  #stopped = false;
  #running: Promise<void> | undefined;
  #listed: Promise<void> | undefined;
  /** Events seen (for the report: what watching cost). */
  events = 0;

  constructor(client: ApiClient, collectionPath: string) {
    this.#client = client;
    this.#path = collectionPath;
  }

  /** Resolves after the first list. */
  start(): Promise<void> {
    let listed!: () => void;
    let failed!: (error: Error) => void;
    this.#listed = new Promise<void>((resolve, reject) => ((listed = resolve), (failed = reject)));
    this.#running = this.#run(listed, failed);
    return this.#listed;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#current?.close();
    await this.#running;
  }

  /** When `name` was first seen Ready (ms since the epoch). */
  readyAt(name: string): number | undefined {
    return this.#readyAt.get(name);
  }

  names(): string[] {
    return [...this.#objects.keys()];
  }

  count(): number {
    return this.#objects.size;
  }

  /** What the pairs that are not Ready say, most common first (for a timeout message). */
  notReadySummary(expected: readonly string[], limit = 5): string[] {
    const reasons = new Map<string, string[]>();
    for (const name of expected) {
      if (this.#readyAt.has(name)) continue;
      const object = this.#objects.get(name);
      const ready = object && conditionOf(object, 'Ready');
      const stalled = object && conditionOf(object, 'Stalled');
      const key = !object ? 'not found' : !ready ? 'no Ready condition' : `Ready=${ready.status} ${ready.reason ?? ''}${stalled?.status === 'True' ? `, Stalled ${stalled.reason ?? ''}` : ''}`;
      reasons.set(key, [...(reasons.get(key) ?? []), name]);
    }
    return [...reasons].sort(([, a], [, b]) => b.length - a.length).slice(0, limit).map(([reason, names]) => {
      const example = readyMessage(this.#objects.get(names[0]!));
      return `${names.length} × ${reason} (e.g. ${names[0]}${example ? `: ${example}` : ''})`;
    });
  }

  /** Which status fields the updates seen since the last call changed, and how often (then starts again). */
  takeChanges(): Record<string, number> {
    const changes = Object.fromEntries([...this.#changes].sort(([, a], [, b]) => b - a));
    this.#changes.clear();
    return changes;
  }

  #seen(object: StatusObject, at: number): void {
    const name = object.metadata.name;
    const previous = this.#objects.get(name);
    if (previous) for (const field of changedStatusFields(previous, object)) this.#changes.set(field, (this.#changes.get(field) ?? 0) + 1);
    this.#objects.set(name, object);
    if (!this.#readyAt.has(name) && isReady(object)) this.#readyAt.set(name, at);
  }

  async #run(listed: () => void, failed: (error: Error) => void): Promise<void> {
    let first = true;
    while (!this.#stopped) {
      try {
        const list = await this.#client.request('GET', this.#path, undefined, 60_000);
        if (list.status !== 200) throw new Error(`list ${this.#path}: HTTP ${list.status}`);
        const body = list.body as { items: StatusObject[]; metadata: { resourceVersion: string } };
        const now = Date.now();
        this.#objects.clear();
        for (const item of body.items) this.#seen(item, now);
        if (first) listed();
        first = false;
        // Any end of the watch (closed by the server, an ERROR event such as 410 Gone) → list again.
        const watch = this.#client.watch(`${this.#path}?watch=true&resourceVersion=${body.metadata.resourceVersion}`, (event: WatchEvent) => {
          this.events++;
          const object = event.object as unknown as StatusObject;
          if (event.type === 'DELETED') this.#objects.delete(object.metadata.name);
          else if (event.type === 'ADDED' || event.type === 'MODIFIED') this.#seen(object, Date.now());
          else if (event.type === 'ERROR') this.#current?.close();
        });
        this.#current = watch;
        if (this.#stopped) watch.close();
        await watch.done;
      } catch (error) {
        if (first) {
          failed(error as Error);
          return;
        }
        if (!this.#stopped) await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

function readyMessage(object: StatusObject | undefined): string {
  const message = object && conditionOf(object, 'Ready')?.message;
  return message ? message.slice(0, 160) : '';
}

/** `status.<field>` per changed top-level field; conditions as `condition <Type>` (status, reason or message). */
export function changedStatusFields(before: StatusObject, after: StatusObject): string[] {
  const a = before.status ?? {};
  const b = after.status ?? {};
  const changed: string[] = [];
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (field === 'conditions') continue;
    if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) changed.push(`status.${field}`);
  }
  type Condition = { type: string; status?: string; reason?: string; message?: string };
  const summary = (c: Condition | undefined) => (c ? `${c.status}/${c.reason}/${c.message}` : '');
  const conditionsA = (a['conditions'] ?? []) as Condition[];
  const conditionsB = (b['conditions'] ?? []) as Condition[];
  for (const type of new Set([...conditionsA, ...conditionsB].map((c) => c.type))) {
    if (summary(conditionsA.find((c) => c.type === type)) !== summary(conditionsB.find((c) => c.type === type))) changed.push(`condition ${type}`);
  }
  return changed;
}
