// Which Element cluster an ElementCluster stands for (pure). Identity: the first cluster seen is
// recorded; an MVIP that later answers as another cluster is IdentityMismatch. UUIDs are compared
// when both sides have one; otherwise the four-character uniqueID (some endpoints omit `uuid` in
// GetClusterInfo, and a missing UUID must not let another cluster through). Aliases: when two
// ElementClusters reach one Element cluster (same clusterUniqueID), the older one — by
// creationTimestamp, then name — keeps it; the other is DuplicateCluster and unusable, so no
// ClusterPair or VolumePair acts through the alias (DESIGN §10).
import type { ElementCluster, ElementClusterStatus } from '../../api/element-cluster.ts';

/** What the planner needs of another ElementCluster (the shell reads it from the informer cache). */
export interface OtherElementCluster {
  name: string;
  creationTimestamp?: string | undefined;
  /** Its recorded `status.clusterUniqueID`. */
  clusterUniqueID?: string | undefined;
}

export interface SeenIdentity {
  clusterName: string;
  uniqueID: string;
  uuid?: string | undefined;
}

/** The message of IdentityMismatch, or undefined when the probe answered as the recorded cluster (or none is recorded). */
export function identityMismatch(mvip: string, recorded: ElementClusterStatus, seen: SeenIdentity): string | undefined {
  const byUuid = recorded.clusterUUID !== undefined && seen.uuid !== undefined;
  const differs = byUuid ? recorded.clusterUUID !== seen.uuid : recorded.clusterUniqueID !== undefined && recorded.clusterUniqueID !== seen.uniqueID;
  if (!differs) return undefined;
  const was = byUuid ? recorded.clusterUUID : `uniqueID ${recorded.clusterUniqueID ?? '?'}`;
  const now = byUuid ? seen.uuid : `uniqueID ${seen.uniqueID}`;
  return (
    `${mvip} now answers as cluster ${seen.clusterName} (${now}), not the recorded ${was}; ` +
    'nothing is changed through this ElementCluster until the MVIP answers as the recorded cluster again'
  );
}

/** Older first: creationTimestamp (RFC 3339 UTC, comparable as text; absent counts as newest), then name. */
function isOlder(a: OtherElementCluster, b: OtherElementCluster): boolean {
  const at = a.creationTimestamp ?? '\uffff';
  const bt = b.creationTimestamp ?? '\uffff';
  return at !== bt ? at < bt : a.name < b.name;
}

/** The oldest other ElementCluster recorded for this uniqueID, when it is older than `cluster`. */
export function olderAlias(cluster: ElementCluster, uniqueID: string, others: readonly OtherElementCluster[]): OtherElementCluster | undefined {
  const self: OtherElementCluster = { name: cluster.metadata.name, creationTimestamp: cluster.metadata.creationTimestamp };
  const older = others.filter((o) => o.name !== self.name && o.clusterUniqueID === uniqueID && isOlder(o, self));
  return older.reduce<OtherElementCluster | undefined>((oldest, o) => (oldest === undefined || isOlder(o, oldest) ? o : oldest), undefined);
}
