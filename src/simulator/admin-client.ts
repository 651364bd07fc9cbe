// Typed client of the simulator's admin API for tests, the benchmark and the demo.
import type { BulkVolumesRequest, ClusterDetails, DropRequest, ErrorRequest, LatencyRequest } from './admin-schema.ts';
import type { BehaviourPatch, SimulatorBehaviour } from './behaviour.ts';
import type { CallCounters, DropRule, ErrorRule } from './faults.ts';

export class SimulatorAdminError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'SimulatorAdminError';
    this.status = status;
  }
}

export class SimulatorAdmin {
  readonly adminUrl: string;

  constructor(adminUrl: string) {
    this.adminUrl = adminUrl.replace(/\/+$/, '');
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.adminUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new SimulatorAdminError(response.status, payload.error ?? `HTTP ${response.status}`);
    return payload;
  }

  async clusters(): Promise<ClusterDetails[]> {
    return (await this.#request<{ clusters: ClusterDetails[] }>('GET', '/admin/clusters')).clusters;
  }

  behaviour(): Promise<SimulatorBehaviour> {
    return this.#request('GET', '/admin/behaviour');
  }

  /** Changes behaviour switches; returns the full resulting behaviour. */
  setBehaviour(patch: BehaviourPatch): Promise<SimulatorBehaviour> {
    return this.#request('PATCH', '/admin/behaviour', patch);
  }

  /** Latency for a cluster and/or method (omit both for every call). */
  async setLatency(request: LatencyRequest): Promise<void> {
    await this.#request('POST', '/admin/faults/latency', request);
  }

  /** Makes matching calls fail with an Element error (before they are applied). */
  injectError(request: ErrorRequest): Promise<ErrorRule> {
    return this.#request('POST', '/admin/faults/errors', request);
  }

  /** Applies matching calls, then destroys the connection instead of answering. */
  dropResponse(request: DropRequest = {}): Promise<DropRule> {
    return this.#request('POST', '/admin/faults/drop-response', request);
  }

  faults(): Promise<{ latency: Record<string, number>; errors: ErrorRule[]; drops: DropRule[] }> {
    return this.#request('GET', '/admin/faults');
  }

  /** Removes latency, error and drop rules. */
  async clearFaults(): Promise<void> {
    await this.#request('DELETE', '/admin/faults');
  }

  /** 'refuse': the port stops accepting connections; 'hang': requests are accepted and never answered. */
  async setClusterDown(cluster: string, mode: 'refuse' | 'hang' = 'refuse'): Promise<void> {
    await this.#request('POST', `/admin/clusters/${encodeURIComponent(cluster)}/down`, { mode });
  }

  async setClusterUp(cluster: string): Promise<void> {
    await this.#request('POST', `/admin/clusters/${encodeURIComponent(cluster)}/up`, {});
  }

  async cutLink(a: string, b: string): Promise<void> {
    await this.#request('POST', '/admin/links/cut', { a, b });
  }

  async restoreLink(a: string, b: string): Promise<void> {
    await this.#request('POST', '/admin/links/restore', { a, b });
  }

  async cutLinks(): Promise<Array<[string, string]>> {
    return (await this.#request<{ cut: Array<[string, string]> }>('GET', '/admin/links')).cut;
  }

  /** Simulates host I/O on a volume: sets lastAccessTime and lastAccessTimeIO to now. */
  async simulateIo(cluster: string, volumeID: number): Promise<string> {
    const path = `/admin/clusters/${encodeURIComponent(cluster)}/volumes/${volumeID}/io`;
    return (await this.#request<{ lastAccessTime: string }>('POST', path, {})).lastAccessTime;
  }

  createVolumes(cluster: string, request: BulkVolumesRequest): Promise<{ accountID: number; volumeIDs: number[] }> {
    return this.#request('POST', `/admin/clusters/${encodeURIComponent(cluster)}/volumes/bulk`, request);
  }

  /** Empties every cluster, clears faults, links, counters and behaviour changes; IDs keep counting. */
  async reset(): Promise<void> {
    await this.#request('POST', '/admin/reset', {});
  }

  counters(): Promise<CallCounters> {
    return this.#request('GET', '/admin/counters');
  }

  async resetCounters(): Promise<void> {
    await this.#request('DELETE', '/admin/counters');
  }
}
