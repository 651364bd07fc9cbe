// The only Element client `plan` ever holds: it forwards the read methods (their names are in
// READ_METHODS, the same list that decides what the real client may retry) and refuses every
// mutating one in code, before anything is sent. It satisfies the shells' client interfaces so the
// operator's own observe code can use it; a planner bug that tried a step would throw, not act.
import { READ_METHODS } from '../element/classify.ts';
import type { ClusterInfo, Limits, PairedCluster, SyncJob, Volume, VolumeStats } from '../element/schema.ts';
import type { ListVolumesParams } from '../element/types.ts';
import type { ClusterPairElement } from '../reconcilers/cluster-pair/deps.ts';
import type { VolumePairElement } from '../reconcilers/volume-pair/deps.ts';

/** The reads `plan` needs (ElementClient has them). */
export interface ElementReads {
  getClusterInfo(): Promise<ClusterInfo>;
  getLimits(): Promise<Limits>;
  listClusterPairs(): Promise<PairedCluster[]>;
  listActivePairedVolumes(): Promise<Volume[]>;
  listVolumes(params: ListVolumesParams): Promise<Volume[]>;
  listVolumeStats(volumeIDs: readonly number[]): Promise<VolumeStats[]>;
  listSyncJobs(): Promise<SyncJob[]>;
  close(): Promise<void>;
}

export class MutationRefusedError extends Error {
  override readonly name = 'MutationRefusedError';
  readonly method: string;
  constructor(method: string) {
    super(`refused ${method}: this Element client is read-only (kubectl elementrepl plan never changes Element)`);
    this.method = method;
  }
}

export class ReadOnlyElement implements VolumePairElement, ClusterPairElement {
  readonly #inner: ElementReads;
  /** Element method names of the calls forwarded, in order (tests, and the --v output). */
  readonly calls: string[] = [];

  constructor(inner: ElementReads) {
    this.#inner = inner;
  }

  #read<T>(method: string, call: () => Promise<T>): Promise<T> {
    // Belt and braces: a method only reaches the wrapped client when Element documents it as a read.
    if (!READ_METHODS.has(method)) return Promise.reject(new MutationRefusedError(method));
    this.calls.push(method);
    return call();
  }

  #refuse(method: string): Promise<never> {
    return Promise.reject(new MutationRefusedError(method));
  }

  getClusterInfo(): Promise<ClusterInfo> {
    return this.#read('GetClusterInfo', () => this.#inner.getClusterInfo());
  }

  getLimits(): Promise<Limits> {
    return this.#read('GetLimits', () => this.#inner.getLimits());
  }

  listClusterPairs(): Promise<PairedCluster[]> {
    return this.#read('ListClusterPairs', () => this.#inner.listClusterPairs());
  }

  listActivePairedVolumes(): Promise<Volume[]> {
    return this.#read('ListActivePairedVolumes', () => this.#inner.listActivePairedVolumes());
  }

  listVolumes(params: ListVolumesParams): Promise<Volume[]> {
    return this.#read('ListVolumes', () => this.#inner.listVolumes(params));
  }

  listVolumeStats(volumeIDs: readonly number[]): Promise<VolumeStats[]> {
    return this.#read('ListVolumeStats', () => this.#inner.listVolumeStats(volumeIDs));
  }

  listSyncJobs(): Promise<SyncJob[]> {
    return this.#read('ListSyncJobs', () => this.#inner.listSyncJobs());
  }

  modifyVolume(): Promise<never> {
    return this.#refuse('ModifyVolume');
  }

  startVolumePairing(): Promise<never> {
    return this.#refuse('StartVolumePairing');
  }

  completeVolumePairing(): Promise<never> {
    return this.#refuse('CompleteVolumePairing');
  }

  modifyVolumePair(): Promise<never> {
    return this.#refuse('ModifyVolumePair');
  }

  removeVolumePair(): Promise<never> {
    return this.#refuse('RemoveVolumePair');
  }

  startClusterPairing(): Promise<never> {
    return this.#refuse('StartClusterPairing');
  }

  completeClusterPairing(): Promise<never> {
    return this.#refuse('CompleteClusterPairing');
  }

  removeClusterPair(): Promise<never> {
    return this.#refuse('RemoveClusterPair');
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
