// The non-secret facts a ClusterPair stores beside its pairing key (annotations of its key Secret),
// so a restarted operator knows which pending pair a key belongs to, and which pending pairs other
// ClusterPairs hold keys for (never ours to remove, never "unexplained").
import { GROUP } from '../../api/index.ts';
import { SIDES } from '../sides.ts';
import type { KeySecretView, Side } from './plan-types.ts';

export const KEY_PAIR_UUID_ANNOTATION = `${GROUP}/cluster-pair-uuid`;
export const KEY_PAIR_ID_ANNOTATION = `${GROUP}/cluster-pair-id`;
export const KEY_CLUSTER_ANNOTATION = `${GROUP}/element-cluster`;

export interface StoredKey {
  clusterPairUUID: string;
  /** The pending pair StartClusterPairing created, on `cluster`. */
  clusterPairID: number;
  /** ElementCluster (side A) the key was issued by. */
  cluster: string;
}

export function keyFacts(key: StoredKey): Record<string, string> {
  return {
    [KEY_PAIR_UUID_ANNOTATION]: key.clusterPairUUID,
    [KEY_PAIR_ID_ANNOTATION]: String(key.clusterPairID),
    [KEY_CLUSTER_ANNOTATION]: key.cluster,
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

/** Pending pairs on these ElementClusters that other ClusterPairs' key Secrets account for. */
export function pendingOwnedElsewhere(others: readonly Readonly<Record<string, string>>[], clusters: Record<Side, string>): Record<Side, number[]> {
  const result: Record<Side, number[]> = { A: [], B: [] };
  for (const facts of others) {
    const id = Number(facts[KEY_PAIR_ID_ANNOTATION]);
    if (!Number.isSafeInteger(id)) continue;
    for (const side of SIDES) {
      if (facts[KEY_CLUSTER_ANNOTATION] === clusters[side]) result[side].push(id);
    }
  }
  return result;
}
