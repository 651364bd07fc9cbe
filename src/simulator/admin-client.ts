// Typed client of the simulator's admin API for tests, the benchmark and the demo.
import type { AccessChangeView, BulkVolumesRequest, ClusterDetails, DropRequest, ErrorRequest, IoResult, LatencyRequest, VolumeReplicationView } from './admin-schema.ts';
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

const volumePath = (cluster: string, volumeID: number): string => `/admin/clusters/${encodeURIComponent(cluster)}/volumes/${volumeID}`;

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
    return (await this.write(cluster, volumeID)).lastAccessTime;
  }

  /**
   * Simulated host I/O with its effect: a readWrite volume takes a write (a new dataVersion that
   * replicates to its target) and keeps an iSCSI session open; other volumes are only accessed.
   */
  write(cluster: string, volumeID: number): Promise<IoResult> {
    return this.#request('POST', `${volumePath(cluster, volumeID)}/io`, {});
  }

  /** Data, sessions and lag of a volume as the simulator models them. */
  volumeReplication(cluster: string, volumeID: number): Promise<VolumeReplicationView> {
    return this.#request('GET', `${volumePath(cluster, volumeID)}/replication`);
  }

  /** Steady lag of a source volume while Active (ListVolumeStats asyncDelay); 0 by default. */
  async setAsyncDelay(cluster: string, volumeID: number, seconds: number): Promise<void> {
    await this.#request('POST', `${volumePath(cluster, volumeID)}/async-delay`, { seconds });
  }

  /** ModifyVolume access changes, oldest first, optionally for one cluster and/or volume. */
  async accessChanges(filter: { cluster?: string; volumeID?: number } = {}): Promise<AccessChangeView[]> {
    const query = new URLSearchParams();
    if (filter.cluster !== undefined) query.set('cluster', filter.cluster);
    if (filter.volumeID !== undefined) query.set('volumeID', String(filter.volumeID));
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    return (await this.#request<{ changes: AccessChangeView[] }>('GET', `/admin/access-changes${suffix}`)).changes;
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
