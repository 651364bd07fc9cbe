// The non-secret facts a ClusterPair stores beside its pairing key (annotations of its key Secret),
// so a restarted operator knows which pending pair a key belongs to, and which pending pairs other
// ClusterPairs hold keys for (never ours to remove, never "unexplained").
import { GROUP } from '../../api/index.ts';
import { SIDES } from '../sides.ts';
import type { KeySecretView, Side } from './plan-types.ts';

export const KEY_PAIR_UUID_ANNOTATION = `${GROUP}/cluster-pair-uuid`;
export const KEY_PAIR_ID_ANNOTATION = `${GROUP}/cluster-pair-id`;
export const KEY_CLUSTER_ANNOTATION = `${GROUP}/element-cluster`;
/** The Element cluster's uniqueID: two ElementClusters for one MVIP are one cluster (DESIGN §10). */
export const KEY_CLUSTER_UNIQUE_ID_ANNOTATION = `${GROUP}/element-cluster-unique-id`;

export interface StoredKey {
  clusterPairUUID: string;
  /** The pending pair StartClusterPairing created, on `cluster`. */
  clusterPairID: number;
  /** ElementCluster (side A) the key was issued by. */
  cluster: string;
  /** Its `clusterUniqueID`, when known. */
  clusterUniqueID?: string;
}

/** An ElementCluster as the key facts name it. */
export interface KeyCluster {
  name: string;
  uniqueID?: string;
}

export function keyFacts(key: StoredKey): Record<string, string> {
  return {
    [KEY_PAIR_UUID_ANNOTATION]: key.clusterPairUUID,
    [KEY_PAIR_ID_ANNOTATION]: String(key.clusterPairID),
    [KEY_CLUSTER_ANNOTATION]: key.cluster,
    ...(key.clusterUniqueID ? { [KEY_CLUSTER_UNIQUE_ID_ANNOTATION]: key.clusterUniqueID } : {}),
  };
}

/** What the planner may know about the key Secret: its annotations, never the key. */
export function keySecretView(facts: Readonly<Record<string, string>>): KeySecretView {
  const id = Number(facts[KEY_PAIR_ID_ANNOTATION]);
  const uuid = facts[KEY_PAIR_UUID_ANNOTATION];
  return {
    ...(uuid ? { clusterPairUUID: uuid } : {}),
    ...(Number.isSafeInteger(id) && id > 0 ? { clusterPairIDOnA: id } : {}),
  };
}

/** Whether a key was issued by this cluster: by its uniqueID, or by the name for keys of older versions. */
function issuedBy(facts: Readonly<Record<string, string>>, cluster: KeyCluster): boolean {
  const uniqueID = facts[KEY_CLUSTER_UNIQUE_ID_ANNOTATION];
  if (uniqueID && cluster.uniqueID) return uniqueID === cluster.uniqueID;
  return facts[KEY_CLUSTER_ANNOTATION] === cluster.name;
}

/**
 * Pending pairs on these Element clusters that other ClusterPairs' key Secrets account for. Keyed
 * on the cluster's uniqueID: with two ElementClusters for one MVIP, keying on the name made each
 * ClusterPair take the other's pending pair for its own and remove it (a livelock).
 */
export function pendingOwnedElsewhere(others: readonly Readonly<Record<string, string>>[], clusters: Record<Side, KeyCluster>): Record<Side, number[]> {
  const result: Record<Side, number[]> = { A: [], B: [] };
  for (const facts of others) {
    const id = Number(facts[KEY_PAIR_ID_ANNOTATION]);
    if (!Number.isSafeInteger(id)) continue;
    for (const side of SIDES) {
      if (issuedBy(facts, clusters[side])) result[side].push(id);
    }
  }
  return result;
}
