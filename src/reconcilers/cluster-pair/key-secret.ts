// The ClusterPair's pairing-key Secret (DESIGN §3): the one place the cluster pairing key lives
// between StartClusterPairing and CompleteClusterPairing. Operator namespace, immutable, labelled
// with the owner's UID (names go in annotations), ownerReference to the ClusterPair. The key is
// read only to complete the pairing and is never logged, put in status, Events or errors.
import {
  API_VERSION,
  CLUSTER_PAIR,
  GROUP,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  OWNER_KIND_LABEL,
  OWNER_NAME_ANNOTATION,
  OWNER_UID_LABEL,
  PAIRING_KEY_DATA_KEY,
  PAIRING_KEY_ROLE,
  PAIRING_KEY_SECRET_TYPE,
  SECRET_ROLE_LABEL,
} from '../../api/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { isAlreadyExists } from '../../kube/errors.ts';
import { createSecret, deleteSecret, getSecret, listSecrets } from '../../kube/secrets.ts';
import type { Secret } from '../../kube/secrets.ts';
import type { KeySecretView, Side } from './types.ts';

/** Non-secret facts about the key, so a restarted operator knows what the key is for. */
export const KEY_PAIR_UUID_ANNOTATION = `${GROUP}/cluster-pair-uuid`;
export const KEY_PAIR_ID_ANNOTATION = `${GROUP}/cluster-pair-id`;
export const KEY_CLUSTER_ANNOTATION = `${GROUP}/element-cluster`;

export interface KeyOwner {
  name: string;
  uid: string;
}

export interface StoredKey {
  clusterPairUUID: string;
  /** The pending pair StartClusterPairing created, on `cluster`. */
  clusterPairID: number;
  /** ElementCluster (side A) the key was issued by. */
  cluster: string;
}

/** One Secret per ClusterPair (UID-derived: names stay short and a re-created namesake gets its own). */
export function keySecretName(owner: KeyOwner): string {
  return `elementrepl-cpkey-${owner.uid}`;
}

function ownedBy(secret: Secret, owner: KeyOwner): boolean {
  return secret.metadata.labels?.[OWNER_UID_LABEL] === owner.uid;
}

function view(secret: Secret): KeySecretView {
  const annotations = secret.metadata.annotations ?? {};
  const id = Number(annotations[KEY_PAIR_ID_ANNOTATION]);
  const uuid = annotations[KEY_PAIR_UUID_ANNOTATION];
  return {
    ...(uuid ? { clusterPairUUID: uuid } : {}),
    ...(Number.isSafeInteger(id) && id > 0 ? { clusterPairIDOnA: id } : {}),
  };
}

export class ClusterPairKeySecrets {
  readonly #kube: KubeClient;
  readonly #namespace: string;

  constructor(kube: KubeClient, namespace: string) {
    this.#kube = kube;
    this.#namespace = namespace;
  }

  /** What the planner may know about the key Secret: its annotations, never the key. */
  async view(owner: KeyOwner): Promise<KeySecretView | undefined> {
    const secret = await getSecret(this.#kube, this.#namespace, keySecretName(owner));
    return secret && ownedBy(secret, owner) ? view(secret) : undefined;
  }

  /** The key itself, for CompleteClusterPairing only. */
  async key(owner: KeyOwner): Promise<string | undefined> {
    const secret = await getSecret(this.#kube, this.#namespace, keySecretName(owner));
    if (!secret || !ownedBy(secret, owner)) return undefined;
    return secret.data[PAIRING_KEY_DATA_KEY];
  }

  async store(owner: KeyOwner, key: string, facts: StoredKey): Promise<void> {
    try {
      await createSecret(this.#kube, {
        namespace: this.#namespace,
        name: keySecretName(owner),
        labels: {
          [OWNER_UID_LABEL]: owner.uid,
          [OWNER_KIND_LABEL]: CLUSTER_PAIR.kind,
          [SECRET_ROLE_LABEL]: PAIRING_KEY_ROLE,
          [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
        },
        annotations: {
          [OWNER_NAME_ANNOTATION]: owner.name,
          [KEY_PAIR_UUID_ANNOTATION]: facts.clusterPairUUID,
          [KEY_PAIR_ID_ANNOTATION]: String(facts.clusterPairID),
          [KEY_CLUSTER_ANNOTATION]: facts.cluster,
        },
        ownerReferences: [{ apiVersion: API_VERSION, kind: CLUSTER_PAIR.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: false }],
        type: PAIRING_KEY_SECRET_TYPE,
        immutable: true,
        data: { [PAIRING_KEY_DATA_KEY]: key },
      });
    } catch (error) {
      // A Secret left from an earlier attempt would hold another key: never overwrite it silently.
      if (isAlreadyExists(error)) throw new Error(`pairing key Secret ${this.#namespace}/${keySecretName(owner)} already exists`, { cause: error });
      throw error;
    }
  }

  /** True when deleted, false when it was already gone. */
  delete(owner: KeyOwner): Promise<boolean> {
    return deleteSecret(this.#kube, this.#namespace, keySecretName(owner));
  }

  /**
   * Pending pairs on these ElementClusters that other ClusterPairs hold keys for: never ours to
   * remove, never "unexplained".
   */
  async ownedElsewhere(owner: KeyOwner, clusters: Record<Side, string>): Promise<Record<Side, number[]>> {
    const selector = `${SECRET_ROLE_LABEL}=${PAIRING_KEY_ROLE},${OWNER_KIND_LABEL}=${CLUSTER_PAIR.kind},${OWNER_UID_LABEL}!=${owner.uid}`;
    const secrets = await listSecrets(this.#kube, this.#namespace, selector);
    const result: Record<Side, number[]> = { A: [], B: [] };
    for (const secret of secrets) {
      const annotations = secret.metadata.annotations ?? {};
      const id = Number(annotations[KEY_PAIR_ID_ANNOTATION]);
      if (!Number.isSafeInteger(id)) continue;
      for (const side of ['A', 'B'] as const) {
        if (annotations[KEY_CLUSTER_ANNOTATION] === clusters[side]) result[side].push(id);
      }
    }
    return result;
  }
}
