// One Element client per ElementCluster, shared by every reconciler (through the observation
// cache's clientFor). The ElementCluster reconciler creates it from the spec and the Secrets,
// replaces it when any of those change (credential rotation reconnects), and marks it usable only
// while the cluster is Ready with its recorded identity, so nothing is mutated through a cluster
// that is not. Options are compared by a SHA-256 digest: no password is kept outside the client.
import { createHash } from 'node:crypto';
import type { ElementClientOptions, ElementTimeouts } from '../../element/types.ts';

export type ConnectionOptions = Omit<ElementClientOptions, 'onCall'>;

export interface ClosableClient {
  close(): Promise<void> | void;
}

interface Entry<C> {
  digest: string;
  client: C;
  usable: boolean;
}

export interface TestTimeoutEnvironment {
  ELEMENTREPL_TEST_HOOKS?: string | undefined;
  ELEMENTREPL_TEST_ELEMENT_TIMEOUT_MS?: string | undefined;
}

/**
 * Test hook for the fault tests: with ELEMENTREPL_TEST_HOOKS=1, ELEMENTREPL_TEST_ELEMENT_TIMEOUT_MS
 * replaces the Element client's 10 s / 30 s defaults, so a timeout takes seconds in a test.
 * Ignored otherwise (and always in production).
 */
export function testElementTimeouts(env: TestTimeoutEnvironment = process.env): ElementTimeouts | undefined {
  if (env.ELEMENTREPL_TEST_HOOKS !== '1') return undefined;
  const ms = Number(env.ELEMENTREPL_TEST_ELEMENT_TIMEOUT_MS);
  if (!Number.isInteger(ms) || ms <= 0) return undefined;
  return { connectMs: ms, headersMs: ms, bodyMs: ms };
}

export class ElementConnections<C extends ClosableClient> {
  #create: (cluster: string, options: ConnectionOptions) => C;
  #entries = new Map<string, Entry<C>>();
  readonly #testTimeouts = testElementTimeouts();

  /** `create` builds a client (main.ts: an ElementClient with the metrics onCall of that cluster). */
  constructor(create: (cluster: string, options: ConnectionOptions) => C) {
    this.#create = create;
  }

  /** The client for these options: the current one when nothing changed, else a new one (the old one is closed). */
  ensure(cluster: string, given: ConnectionOptions): C {
    const options = this.#testTimeouts && given.timeouts === undefined ? { ...given, timeouts: this.#testTimeouts } : given;
    const digest = digestOf(options);
    const entry = this.#entries.get(cluster);
    if (entry?.digest === digest) return entry.client;
    if (entry) void closeQuietly(entry.client);
    const client = this.#create(cluster, options);
    this.#entries.set(cluster, { digest, client, usable: false });
    return client;
  }

  /** Whether dependents may use the client right now. */
  isUsable(cluster: string): boolean {
    return this.#entries.get(cluster)?.usable ?? false;
  }

  setUsable(cluster: string, usable: boolean): void {
    const entry = this.#entries.get(cluster);
    if (entry) entry.usable = usable;
  }

  /** The usable client of a cluster, or undefined (not Ready, wrong identity, unknown). */
  clientFor(cluster: string): C | undefined {
    const entry = this.#entries.get(cluster);
    return entry?.usable ? entry.client : undefined;
  }

  remove(cluster: string): void {
    const entry = this.#entries.get(cluster);
    this.#entries.delete(cluster);
    if (entry) void closeQuietly(entry.client);
  }

  async closeAll(): Promise<void> {
    const clients = [...this.#entries.values()].map((e) => e.client);
    this.#entries.clear();
    await Promise.all(clients.map(closeQuietly));
  }
}

function digestOf(options: ConnectionOptions): string {
  return createHash('sha256').update(stableJson(options)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function closeQuietly(client: ClosableClient): Promise<void> {
  try {
    await client.close();
  } catch {
    // A client that cannot close cleanly is dropped anyway; its sockets time out on their own.
  }
}
