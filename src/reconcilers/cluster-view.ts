// One ElementCluster as the pair kinds see it: readiness from its status, identity from Element.
// Pure: the shells read the ElementCluster from the informer cache and map it here.
import { getCondition, isTrue } from '../api/index.ts';
import type { ElementCluster } from '../api/index.ts';
import { normalizeMvip } from '../api/mvip.ts';

/** What a ClusterPair or VolumePair reads of one ElementCluster. */
export interface ClusterView {
  /** Name of the ElementCluster resource. */
  name: string;
  ready: boolean;
  /** Why it is not Ready (its Ready condition's reason), for the message. */
  notReadyReason?: string;
  /** `GetClusterInfo.uniqueID` (4 characters). */
  uniqueID?: string;
  /** Every MVIP this cluster is known by (spec `host[:port]`, then `GetClusterInfo.mvip` from status.clusterMVIP), each once. */
  mvips: string[];
  /** Full Element version, e.g. `12.5.0.897`. */
  version?: string;
  /** `GetClusterInfo.name`. */
  clusterName?: string;
}

export function clusterView(name: string, cluster: ElementCluster | null): ClusterView {
  if (!cluster) return { name, ready: false, notReadyReason: 'NotFound', mvips: [] };
  const status = cluster.status;
  const ready = isTrue(status?.conditions, 'Ready') && !cluster.metadata.deletionTimestamp;
  const reason = getCondition(status?.conditions, 'Ready')?.reason;
  return {
    name,
    ready,
    ...(!ready ? { notReadyReason: cluster.metadata.deletionTimestamp ? 'Deleting' : reason ?? 'NotObservedYet' } : {}),
    ...(status?.clusterUniqueID ? { uniqueID: status.clusterUniqueID } : {}),
    mvips: knownMvips(cluster.spec.mvip, status?.clusterMVIP),
    ...(status?.elementVersion ? { version: status.elementVersion } : {}),
    ...(status?.clusterName ? { clusterName: status.clusterName } : {}),
  };
}

function knownMvips(spec: string, reported: string | undefined): string[] {
  if (!reported || normalizeMvip(reported) === normalizeMvip(spec)) return [spec];
  return [spec, reported];
}

/**
 * The Element cluster an ElementCluster stands for: its recorded clusterUniqueID, else (not yet
 * probed) its own name. Claims and pairing locks key on it, so two ElementClusters for one
 * cluster share them (DESIGN §10).
 */
export function clusterIdentity(clusters: { get(name: string): ElementCluster | undefined }, name: string): string {
  const uniqueID = clusters.get(name)?.status?.clusterUniqueID;
  return uniqueID ? `cluster:${uniqueID}` : `resource:${name}`;
}
