// A VolumePair's pairing-key Secret (DESIGN §3): the one place the volume pairing key lives
// between StartVolumePairing and CompleteVolumePairing. Operator namespace, immutable, labelled
// with the owner's UID and kind (names go in annotations). No ownerReference: a namespaced owner
// cannot own an object in another namespace; the Secret is deleted explicitly. The key is read
// only to complete the pairing and never logged, put in status, Events or errors.
import {
  GROUP,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  OWNER_KIND_LABEL,
  OWNER_NAME_ANNOTATION,
  OWNER_NAMESPACE_ANNOTATION,
  OWNER_UID_LABEL,
  PAIRING_KEY_DATA_KEY,
  PAIRING_KEY_ROLE,
  PAIRING_KEY_SECRET_TYPE,
  SECRET_ROLE_LABEL,
  VOLUME_PAIR,
} from '../../api/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { isAlreadyExists } from '../../kube/errors.ts';
import { createSecret, deleteSecret, getSecret } from '../../kube/secrets.ts';
import type { Secret } from '../../kube/secrets.ts';

/** Non-secret facts about the key, so a human (or a restarted operator) knows what it is for. */
export const KEY_VOLUME_PAIR_UUID_ANNOTATION = `${GROUP}/volume-pair-uuid`;
export const KEY_CLUSTER_ANNOTATION = `${GROUP}/element-cluster`;
export const KEY_VOLUME_ID_ANNOTATION = `${GROUP}/volume-id`;

export interface KeyOwner {
  namespace: string;
  name: string;
  uid: string;
}

export interface StoredKeyFacts {
  volumePairUUID: string;
  /** ElementCluster and volume StartVolumePairing ran on. */
  cluster: string;
  volumeID: number;
}

/** One Secret per VolumePair (UID-derived: short, and a re-created namesake gets its own). */
export function keySecretName(owner: Pick<KeyOwner, 'uid'>): string {
  return `elementrepl-vpkey-${owner.uid}`;
}

function ownedBy(secret: Secret, owner: KeyOwner): boolean {
  return secret.metadata.labels?.[OWNER_UID_LABEL] === owner.uid;
}

export class VolumePairKeySecrets {
  readonly #kube: KubeClient;
  readonly #namespace: string;

  constructor(kube: KubeClient, namespace: string) {
    this.#kube = kube;
    this.#namespace = namespace;
  }

  async exists(owner: KeyOwner): Promise<boolean> {
    const secret = await getSecret(this.#kube, this.#namespace, keySecretName(owner));
    return secret !== null && ownedBy(secret, owner);
  }

  /** The key itself, for CompleteVolumePairing only. */
  async key(owner: KeyOwner): Promise<string | undefined> {
    const secret = await getSecret(this.#kube, this.#namespace, keySecretName(owner));
    if (!secret || !ownedBy(secret, owner)) return undefined;
    return secret.data[PAIRING_KEY_DATA_KEY];
  }

  async store(owner: KeyOwner, key: string, facts: StoredKeyFacts): Promise<void> {
    try {
      await createSecret(this.#kube, {
        namespace: this.#namespace,
        name: keySecretName(owner),
        labels: {
          [OWNER_UID_LABEL]: owner.uid,
          [OWNER_KIND_LABEL]: VOLUME_PAIR.kind,
          [SECRET_ROLE_LABEL]: PAIRING_KEY_ROLE,
          [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
        },
        annotations: {
          [OWNER_NAME_ANNOTATION]: owner.name,
          [OWNER_NAMESPACE_ANNOTATION]: owner.namespace,
          [KEY_VOLUME_PAIR_UUID_ANNOTATION]: facts.volumePairUUID,
          [KEY_CLUSTER_ANNOTATION]: facts.cluster,
          [KEY_VOLUME_ID_ANNOTATION]: String(facts.volumeID),
        },
        type: PAIRING_KEY_SECRET_TYPE,
        immutable: true,
        data: { [PAIRING_KEY_DATA_KEY]: key },
      });
    } catch (error) {
      // A Secret left from an earlier attempt holds another key: never overwrite it silently.
      if (isAlreadyExists(error)) throw new Error(`pairing key Secret ${this.#namespace}/${keySecretName(owner)} already exists`, { cause: error });
      throw error;
    }
  }

  /** True when deleted, false when it was already gone. */
  delete(owner: KeyOwner): Promise<boolean> {
    return deleteSecret(this.#kube, this.#namespace, keySecretName(owner));
  }
}
