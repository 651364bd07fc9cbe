// The whole simulated estate: clusters by name, the links between them, the behaviour switches and
// the clock. Handlers mutate records directly and call changed() so persistence can save.
import type { SimulatorBehaviour } from './behaviour.ts';
import type { AccessChange, ClusterPairRecord, ClusterRecord, VolumeRecord } from './model.ts';

export const MVIP_HOST = '127.0.0.1';

export interface Partner {
  cluster: ClusterRecord;
  volume: VolumeRecord;
}

export class SimWorld {
  readonly clusters = new Map<string, ClusterRecord>();
  /** Links cut by the admin API, as sorted "A\u0000B" keys. */
  readonly cutLinks = new Set<string>();
  /** When a cut link was last restored: its cluster pairs reconnect from there. */
  readonly linkRestoredAt = new Map<string, number>();
  /** Every access change made with ModifyVolume, oldest first (admin API; saved with the state). */
  readonly accessChanges: AccessChange[] = [];
  behaviour: SimulatorBehaviour;
  readonly now: () => number;
  readonly #listeners: Array<() => void> = [];

  constructor(behaviour: SimulatorBehaviour, now: () => number = Date.now) {
    this.behaviour = behaviour;
    this.now = now;
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  changed(): void {
    for (const listener of this.#listeners) listener();
  }

  mvipOf(cluster: ClusterRecord): string {
    return `${MVIP_HOST}:${cluster.port}`;
  }

  clusterByMvip(mvip: string): ClusterRecord | undefined {
    for (const cluster of this.clusters.values()) if (this.mvipOf(cluster) === mvip) return cluster;
    return undefined;
  }

  static linkKey(a: string, b: string): string {
    return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  }

  isLinkCut(a: string, b: string): boolean {
    return this.cutLinks.has(SimWorld.linkKey(a, b));
  }

  cutLink(a: string, b: string): void {
    this.cutLinks.add(SimWorld.linkKey(a, b));
    this.changed();
  }

  restoreLink(a: string, b: string): void {
    const key = SimWorld.linkKey(a, b);
    if (!this.cutLinks.delete(key)) return;
    this.linkRestoredAt.set(key, this.now());
    this.changed();
  }

  restoredAt(a: string, b: string): number {
    return this.linkRestoredAt.get(SimWorld.linkKey(a, b)) ?? 0;
  }

  /** A cluster's pair record with the given UUID (clusters hold a handful, so a scan is fine). */
  clusterPairByUuid(cluster: ClusterRecord, uuid: string): ClusterPairRecord | undefined {
    for (const pair of cluster.clusterPairs.values()) if (pair.clusterPairUUID === uuid) return pair;
    return undefined;
  }

  /** The partner volume that still holds the same volume pair, if any. */
  partnerOf(volume: VolumeRecord): Partner | undefined {
    const remote = volume.pair?.remote;
    if (!remote) return undefined;
    const cluster = this.clusters.get(remote.clusterName);
    const partner = cluster?.volumes.get(remote.volumeID);
    if (!cluster || !partner || partner.pair?.volumePairUUID !== volume.pair?.volumePairUUID) return undefined;
    return { cluster, volume: partner };
  }
}
