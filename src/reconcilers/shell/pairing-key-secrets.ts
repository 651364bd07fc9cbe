// Pairing-key Secrets of both pair kinds (DESIGN §3): the one place a pairing key lives between
// Start…Pairing and Complete…Pairing. Operator namespace, immutable, labelled with the owner's UID
// and kind (names go in annotations: label values hold 63 characters), deleted explicitly. The key
// is read only to complete the pairing and never logged, put in status, Events or errors.
import {
  API_VERSION,
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
} from '../../api/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { isAlreadyExists } from '../../kube/errors.ts';
import { createSecret, deleteSecret, getSecret, listSecrets } from '../../kube/secrets.ts';
import type { Secret } from '../../kube/secrets.ts';

export interface KeyOwner {
  /** Absent for a cluster-scoped owner. */
  namespace?: string;
  name: string;
  uid: string;
}

/** The owner of an object's key Secret. */
export function keyOwner(object: { metadata: { name: string; namespace?: string | undefined; uid?: string | undefined } }): KeyOwner {
  const { name, namespace, uid } = object.metadata;
  return { name, uid: uid ?? '', ...(namespace ? { namespace } : {}) };
}

export interface PairingKeySecretsOptions {
  kube: KubeClient;
  /** The operator namespace. */
  namespace: string;
  /** Owner kind (`ClusterPair`, `VolumePair`): a label, so one kind's keys never count as another's. */
  ownerKind: string;
  /** Secret name prefix; the owner's UID follows (short, and a re-created namesake gets its own). */
  namePrefix: string;
  /**
   * Put an ownerReference on the Secret (garbage collection as a backstop). Only for cluster-scoped
   * owners: a namespaced owner cannot own an object in another namespace.
   */
  ownerReference: boolean;
}

/** How often storing a fresh key is tried: it exists only in this process until stored. */
const STORE_ATTEMPTS = 3;

export class PairingKeySecrets {
  readonly #options: PairingKeySecretsOptions;

  constructor(options: PairingKeySecretsOptions) {
    this.#options = options;
  }

  secretName(owner: Pick<KeyOwner, 'uid'>): string {
    return `${this.#options.namePrefix}${owner.uid}`;
  }

  async #own(owner: KeyOwner): Promise<Secret | undefined> {
    const secret = await getSecret(this.#options.kube, this.#options.namespace, this.secretName(owner));
    return secret !== null && secret.metadata.labels?.[OWNER_UID_LABEL] === owner.uid ? secret : undefined;
  }

  async exists(owner: KeyOwner): Promise<boolean> {
    return (await this.#own(owner)) !== undefined;
  }

  /** The non-secret facts stored beside the key (its annotations), never the key. */
  async facts(owner: KeyOwner): Promise<Readonly<Record<string, string>> | undefined> {
    const secret = await this.#own(owner);
    return secret === undefined ? undefined : (secret.metadata.annotations ?? {});
  }

  /** The key itself, for Complete…Pairing only. */
  async key(owner: KeyOwner): Promise<string | undefined> {
    return (await this.#own(owner))?.data[PAIRING_KEY_DATA_KEY];
  }

  /**
   * Stores a key that was just issued, with non-secret facts as annotations. Tried hard: if it
   * cannot be stored, the pending pair is ours by the intent and is removed before the next attempt.
   */
  async store(owner: KeyOwner, key: string, facts: Readonly<Record<string, string>>): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < STORE_ATTEMPTS; attempt += 1) {
      try {
        await this.#create(owner, key, facts);
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      }
    }
    throw lastError;
  }

  async #create(owner: KeyOwner, key: string, facts: Readonly<Record<string, string>>): Promise<void> {
    const { kube, namespace, ownerKind } = this.#options;
    const name = this.secretName(owner);
    try {
      await createSecret(kube, {
        namespace,
        name,
        labels: {
          [OWNER_UID_LABEL]: owner.uid,
          [OWNER_KIND_LABEL]: ownerKind,
          [SECRET_ROLE_LABEL]: PAIRING_KEY_ROLE,
          [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
        },
        annotations: {
          [OWNER_NAME_ANNOTATION]: owner.name,
          ...(owner.namespace === undefined ? {} : { [OWNER_NAMESPACE_ANNOTATION]: owner.namespace }),
          ...facts,
        },
        ...(this.#options.ownerReference
          ? { ownerReferences: [{ apiVersion: API_VERSION, kind: ownerKind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: false }] }
          : {}),
        type: PAIRING_KEY_SECRET_TYPE,
        immutable: true,
        data: { [PAIRING_KEY_DATA_KEY]: key },
      });
    } catch (error) {
      // A Secret left from an earlier attempt holds another key: never overwrite it silently.
      if (isAlreadyExists(error)) throw new Error(`pairing key Secret ${namespace}/${name} already exists`, { cause: error });
      throw error;
    }
  }

  /** True when deleted, false when it was already gone. */
  delete(owner: KeyOwner): Promise<boolean> {
    return deleteSecret(this.#options.kube, this.#options.namespace, this.secretName(owner));
  }

  /** The facts of the key Secrets other owners of this kind hold (what is theirs, never ours to touch). */
  async othersFacts(owner: KeyOwner): Promise<Readonly<Record<string, string>>[]> {
    const selector = `${SECRET_ROLE_LABEL}=${PAIRING_KEY_ROLE},${OWNER_KIND_LABEL}=${this.#options.ownerKind},${OWNER_UID_LABEL}!=${owner.uid}`;
    const secrets = await listSecrets(this.#options.kube, this.#options.namespace, selector);
    return secrets.map((secret) => secret.metadata.annotations ?? {});
  }
}
