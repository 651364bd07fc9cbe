// Typed Element JSON-RPC client, one per Element cluster (one undici Agent each, see transport.ts).
//
// Retries: mutating calls are never retried here — a lost answer must be handled by re-observing
// (classify.ts). A read is retried once, and only when the connection was reset or closed under it
// (ECONNRESET/EPIPE/"other side closed"): that is the keep-alive race where the server closes an
// idle connection just as the request goes out, and repeating a read is harmless. A read that fails
// with a transient Element error (xDB*, xNotPrimary: "retry the method call", element-api.md §1.6)
// is retried up to twice after a short pause, so one cluster-side hiccup does not turn every
// resource that shares the list into Ready=False until the next poll. Everything else (timeouts,
// other Element errors) is left to the caller's backoff.
import type { z } from 'zod';
import { isMutatingMethod, isTransientElementErrorName } from './classify.ts';
import { ElementApiError, ElementAuthError, ElementConnectionError, ElementProtocolError, ElementTimeoutError, ElementTlsError, ElementVersionNotFoundError, isElementApiError } from './errors.ts';
import {
  AddAccountResult,
  CompleteClusterPairingResult,
  CreateVolumeResult,
  EmptyResult,
  GetApiResult,
  GetClusterInfoResult,
  GetClusterVersionInfoResult,
  GetLimitsResult,
  ListAccountsResult,
  ListActivePairedVolumesResult,
  ListClusterPairsResult,
  ListSyncJobsResult,
  ListVolumeStatsResult,
  ListVolumesResult,
  ModifyVolumeResult,
  StartClusterPairingResult,
  StartVolumePairingResult,
} from './results.ts';
import { DEFAULT_PAGE_SIZE, collectPages } from './paging.ts';
import type { Account, ApiInfo, ClusterInfo, ClusterVersionInfo, Limits, PairedCluster, ReplicationMode, SyncJob, Volume, VolumeStats } from './schema.ts';
import { tlsMode, type TlsMode } from './tls.ts';
import { JsonRpcTransport } from './transport.ts';
import type {
  AddAccountParams,
  CreateVolumeParams,
  ElementCallOutcome,
  ElementClientOptions,
  ElementMethod,
  ListAccountsParams,
  ListVolumesParams,
  ModifyVolumeParams,
  ModifyVolumePairParams,
} from './types.ts';

/** GetAPI exists on every endpoint version since 1.0, so negotiation starts there. */
const NEGOTIATION_VERSION = '1.0';
const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function normalizeApiVersion(version: string): string {
  const trimmed = version.trim();
  if (/^\d+$/.test(trimmed)) return `${trimmed}.0`;
  if (!/^\d+\.\d+$/.test(trimmed)) throw new Error(`apiVersion must look like "12.5", got ${JSON.stringify(version)}`);
  return trimmed;
}

function outcomeOf(error: unknown): ElementCallOutcome {
  if (error instanceof ElementApiError) return 'apiError';
  if (error instanceof ElementTimeoutError) return 'timeout';
  if (error instanceof ElementConnectionError) return 'connectionError';
  if (error instanceof ElementTlsError) return 'tlsError';
  if (error instanceof ElementAuthError) return 'authError';
  if (error instanceof ElementVersionNotFoundError) return 'versionNotFound';
  return 'protocolError';
}

/** Pauses before the retries of a read that failed with a transient Element error. */
const TRANSIENT_READ_RETRY_PAUSES_MS = [100, 400];

function isTransientApiError(error: unknown): boolean {
  return error instanceof ElementApiError && isTransientElementErrorName(error.name);
}

function isStaleConnection(error: unknown): boolean {
  return error instanceof ElementConnectionError && error.code !== undefined && STALE_CONNECTION_CODES.has(error.code);
}

export class ElementClient {
  /** `host:port` of the MVIP. */
  readonly mvip: string;
  readonly tlsMode: TlsMode;
  readonly #transport: JsonRpcTransport;
  readonly #configuredVersion: string | undefined;
  readonly #onCall: ElementClientOptions['onCall'];
  readonly #pageSize: number;
  #negotiated: Promise<string> | undefined;

  constructor(options: ElementClientOptions) {
    this.#configuredVersion = options.apiVersion === undefined || options.apiVersion === '' ? undefined : normalizeApiVersion(options.apiVersion);
    this.#transport = new JsonRpcTransport(options);
    this.mvip = this.#transport.mvip.authority;
    this.tlsMode = tlsMode(options.tls);
    this.#onCall = options.onCall;
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
    this.#pageSize = pageSize;
  }

  /** The API version used in request paths: the configured one, else GetAPI's `currentVersion`. */
  getApiVersion(): Promise<string> {
    if (this.#configuredVersion !== undefined) return Promise.resolve(this.#configuredVersion);
    if (this.#negotiated === undefined) {
      const negotiation = this.#invoke('GetAPI', {}, GetApiResult, NEGOTIATION_VERSION).then((api) => api.currentVersion);
      this.#negotiated = negotiation;
      // A failed negotiation is not cached: the next call asks again.
      negotiation.catch(() => {
        if (this.#negotiated === negotiation) this.#negotiated = undefined;
      });
    }
    return this.#negotiated;
  }

  getAPI(): Promise<ApiInfo> {
    return this.#invoke('GetAPI', {}, GetApiResult, NEGOTIATION_VERSION);
  }

  async getClusterInfo(): Promise<ClusterInfo> {
    return (await this.#invoke('GetClusterInfo', {}, GetClusterInfoResult)).clusterInfo;
  }

  /** `clusterVersion` is the full product version ("12.5.0.897") for the version-skew pre-flight. */
  getClusterVersionInfo(): Promise<ClusterVersionInfo> {
    return this.#invoke('GetClusterVersionInfo', {}, GetClusterVersionInfoResult);
  }

  getLimits(): Promise<Limits> {
    return this.#invoke('GetLimits', {}, GetLimitsResult);
  }

  async listAccounts(params: ListAccountsParams = {}): Promise<Account[]> {
    return (await this.#invoke('ListAccounts', { ...params }, ListAccountsResult)).accounts;
  }

  addAccount(params: AddAccountParams): Promise<AddAccountResult> {
    return this.#invoke('AddAccount', { ...params }, AddAccountResult);
  }

  createVolume(params: CreateVolumeParams): Promise<CreateVolumeResult> {
    return this.#invoke('CreateVolume', { ...params }, CreateVolumeResult);
  }

  /**
   * With `volumeIDs`, IDs that do not exist are simply absent from the result, whether the cluster
   * answers `[]` or `xVolumeIDDoesNotExist` (both happen, element-api.md F12). The error does not
   * say which ID is missing, so a multi-ID request is then repeated one ID at a time. An empty
   * `volumeIDs` returns [] without asking (the cluster might read it as "no filter").
   */
  async listVolumes(params: ListVolumesParams = {}): Promise<Volume[]> {
    const ids = params.volumeIDs === undefined ? undefined : [...new Set(params.volumeIDs)];
    if (ids?.length === 0) return [];
    const request = ids === undefined ? { ...params } : { ...params, volumeIDs: ids };
    try {
      return await this.#listVolumesPaged(request);
    } catch (error) {
      if (ids === undefined || !isElementApiError(error, 'xVolumeIDDoesNotExist')) throw error;
      if (ids.length === 1) return [];
      const found: Volume[] = [];
      for (const id of ids) found.push(...(await this.listVolumes({ ...params, volumeIDs: [id] })));
      return found;
    }
  }

  /**
   * Without an explicit `limit` every page is read (startVolumeID/limit of pageSize), so callers
   * get the whole list; an explicit `limit` is one request, as asked. A `volumeIDs` filter that fits
   * in one page needs no paging parameters at all.
   */
  async #listVolumesPaged(request: ListVolumesParams): Promise<Volume[]> {
    const single = request.limit !== undefined || (request.volumeIDs !== undefined && request.volumeIDs.length <= this.#pageSize);
    if (single) return (await this.#invoke('ListVolumes', { ...request }, ListVolumesResult)).volumes;
    const read = async (page: object) => (await this.#invoke('ListVolumes', { ...request, ...page }, ListVolumesResult)).volumes;
    return collectPages(read, this.#pageSize, request.startVolumeID);
  }

  /** Every volume of an account (all pages), deleted ones included as Element lists them. */
  listVolumesForAccount(accountID: number): Promise<Volume[]> {
    const read = async (page: object) => (await this.#invoke('ListVolumesForAccount', { accountID, ...page }, ListVolumesResult)).volumes;
    return collectPages(read, this.#pageSize);
  }

  /** Per-volume statistics; only `volumeID` and `asyncDelay` are kept (see parseAsyncDelay). */
  async listVolumeStats(volumeIDs: readonly number[]): Promise<VolumeStats[]> {
    if (volumeIDs.length === 0) return []; // an empty list might be read as "every volume"
    return (await this.#invoke('ListVolumeStats', { volumeIDs: [...new Set(volumeIDs)] }, ListVolumeStatsResult)).volumeStats;
  }

  /** Running sync jobs of the cluster (remote ones during initial or resumed replication). */
  async listSyncJobs(): Promise<SyncJob[]> {
    return (await this.#invoke('ListSyncJobs', {}, ListSyncJobsResult)).syncJobs;
  }

  /** The volumes among `volumeIDs` that exist (see listVolumes). */
  listVolumesByIds(volumeIDs: readonly number[], params: Omit<ListVolumesParams, 'volumeIDs'> = {}): Promise<Volume[]> {
    return this.listVolumes({ ...params, volumeIDs: [...volumeIDs] });
  }

  /** Returns the modified volume when the cluster sends it back (12.x does). */
  async modifyVolume(params: ModifyVolumeParams): Promise<Volume | undefined> {
    return (await this.#invoke('ModifyVolume', { ...params }, ModifyVolumeResult)).volume;
  }

  startClusterPairing(): Promise<StartClusterPairingResult> {
    return this.#invoke('StartClusterPairing', {}, StartClusterPairingResult);
  }

  /** Returns this (the completing) cluster's own clusterPairID. */
  completeClusterPairing(clusterPairingKey: string): Promise<CompleteClusterPairingResult> {
    return this.#invoke('CompleteClusterPairing', { clusterPairingKey }, CompleteClusterPairingResult);
  }

  async listClusterPairs(): Promise<PairedCluster[]> {
    return (await this.#invoke('ListClusterPairs', {}, ListClusterPairsResult)).clusterPairs;
  }

  async removeClusterPair(clusterPairID: number): Promise<void> {
    await this.#invoke('RemoveClusterPair', { clusterPairID }, EmptyResult);
  }

  startVolumePairing(volumeID: number, mode?: ReplicationMode): Promise<StartVolumePairingResult> {
    return this.#invoke('StartVolumePairing', mode === undefined ? { volumeID } : { volumeID, mode }, StartVolumePairingResult);
  }

  async completeVolumePairing(volumeID: number, volumePairingKey: string): Promise<void> {
    await this.#invoke('CompleteVolumePairing', { volumeID, volumePairingKey }, EmptyResult);
  }

  /** Volumes with active *and pending* pairs, all pages. */
  async listActivePairedVolumes(): Promise<Volume[]> {
    const read = async (page: object) => (await this.#invoke('ListActivePairedVolumes', { ...page }, ListActivePairedVolumesResult)).volumes;
    return collectPages(read, this.#pageSize);
  }

  async modifyVolumePair(params: ModifyVolumePairParams): Promise<void> {
    await this.#invoke('ModifyVolumePair', { ...params }, EmptyResult);
  }

  /** Removes the pair on this cluster only; succeeds on a volume without a pair. */
  async removeVolumePair(volumeID: number): Promise<void> {
    await this.#invoke('RemoveVolumePair', { volumeID }, EmptyResult);
  }

  /** Waits for in-flight requests, then closes the connections. */
  close(): Promise<void> {
    return this.#transport.close();
  }

  async #invoke<T>(method: ElementMethod, params: Record<string, unknown>, schema: z.ZodType<T>, fixedVersion?: string): Promise<T> {
    const version = fixedVersion ?? (await this.getApiVersion());
    try {
      return await this.#attempt(method, params, schema, version);
    } catch (error) {
      if (error instanceof ElementVersionNotFoundError && fixedVersion === undefined && this.#configuredVersion === undefined) {
        this.#negotiated = undefined; // the MVIP now answers with another cluster or release: ask again next time
      }
      if (isMutatingMethod(method)) throw error;
      if (isStaleConnection(error)) return this.#attempt(method, params, schema, version);
      if (!isTransientApiError(error)) throw error;
      return this.#retryTransientRead(method, params, schema, version, error);
    }
  }

  async #retryTransientRead<T>(method: ElementMethod, params: Record<string, unknown>, schema: z.ZodType<T>, version: string, first: unknown): Promise<T> {
    let last = first;
    for (const pauseMs of TRANSIENT_READ_RETRY_PAUSES_MS) {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      try {
        return await this.#attempt(method, params, schema, version);
      } catch (error) {
        if (!isTransientApiError(error)) throw error;
        last = error;
      }
    }
    throw last;
  }

  async #attempt<T>(method: ElementMethod, params: Record<string, unknown>, schema: z.ZodType<T>, version: string): Promise<T> {
    const started = performance.now();
    try {
      const raw = await this.#transport.call(method, params, version);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        // Paths and issue codes only: values may be secrets (a key in a malformed result).
        const where = [...new Set(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(result)'}: ${issue.code}`))].slice(0, 5);
        throw new ElementProtocolError(method, `${this.mvip}/json-rpc/${version}`, 200, `result does not have the expected shape (${where.join('; ')})`);
      }
      this.#report(method, 'success', started);
      return parsed.data;
    } catch (error) {
      this.#report(method, outcomeOf(error), started, error instanceof Error ? error.name : undefined);
      throw error;
    }
  }

  #report(method: ElementMethod, outcome: ElementCallOutcome, started: number, errorName?: string): void {
    if (this.#onCall === undefined) return;
    try {
      this.#onCall({ method, outcome, durationMs: performance.now() - started, ...(errorName === undefined ? {} : { errorName }) });
    } catch {
      // Metrics must never change the outcome of a call.
    }
  }
}
