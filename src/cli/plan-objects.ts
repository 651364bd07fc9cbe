// The objects `plan` plans (pure): a file's object as it would stand after `kubectl apply` — a new
// one with no status, or the live one with the file's spec, labels and annotations — and whether
// its spec differs from the live one. Plus a fixed in-memory reader where the operator has informers.
import { stableJson } from './stable-json.ts';

interface Meta {
  name: string;
  namespace?: string | undefined;
  uid?: string | undefined;
  generation?: number | undefined;
  creationTimestamp?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

interface PlannedObject {
  metadata: Meta;
  spec: unknown;
  status?: unknown;
}

export type Change = 'new' | 'changed' | 'unchanged';

/** Whether applying the file changes the spec or an annotation the file sets (both parsed with the same schema). */
export function specChange(file: PlannedObject, live: PlannedObject | undefined): Change {
  if (live === undefined) return 'new';
  const annotations = Object.entries(file.metadata.annotations ?? {}).some(([k, v]) => live.metadata.annotations?.[k] !== v);
  return annotations || stableJson(file.spec) !== stableJson(live.spec) ? 'changed' : 'unchanged';
}

export function planTarget<T extends PlannedObject>(file: T, live: T | undefined, now: Date): T {
  if (live === undefined) {
    const { status: _ignored, ...rest } = file;
    void _ignored;
    return { ...rest, metadata: { ...file.metadata, uid: '', generation: 1, creationTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z') } } as T;
  }
  const changed = specChange(file, live) === 'changed';
  return {
    ...live,
    metadata: {
      ...live.metadata,
      labels: { ...(live.metadata.labels ?? {}), ...(file.metadata.labels ?? {}) },
      annotations: { ...(live.metadata.annotations ?? {}), ...(file.metadata.annotations ?? {}) },
      generation: (live.metadata.generation ?? 1) + (changed ? 1 : 0),
    },
    spec: file.spec,
  };
}

/** A fixed set of objects where the operator reads informer caches (keys: name, or namespace/name). */
export class StaticReader<T extends { metadata: { name: string; namespace?: string | undefined } }> {
  readonly #items: ReadonlyMap<string, T>;

  constructor(items: ReadonlyMap<string, T>) {
    this.#items = items;
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#items.get(namespace === undefined ? name : `${namespace}/${name}`);
  }

  list(namespace?: string): T[] {
    return [...this.#items.values()].filter((o) => namespace === undefined || o.metadata.namespace === namespace);
  }

  subscribe(): () => void {
    return () => undefined;
  }
}
