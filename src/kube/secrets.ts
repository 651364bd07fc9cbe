// Secrets as the operator uses them: credentials and CA bundles it reads (ElementCluster refs) and
// the pairing-key Secrets it owns. Values are decoded to UTF-8 strings — every value the operator
// handles is text — and never logged: errors name the Secret, not its content.
import { SECRETS, type KubeClient } from './client.ts';
import type { KubeObject, KubeObjectMeta } from '../controller/object.ts';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface Secret {
  metadata: KubeObjectMeta & { name: string; namespace: string; ownerReferences?: OwnerReference[] };
  type?: string;
  immutable?: boolean;
  /** Decoded values. */
  data: Record<string, string>;
}

interface RawSecret extends KubeObject {
  type?: string;
  immutable?: boolean;
  data?: Record<string, string> | null;
}

export interface NewSecret {
  namespace: string;
  /** Either a name or a generateName prefix. */
  name?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  type?: string;
  immutable?: boolean;
  data: Record<string, string>;
}

function decode(raw: RawSecret): Secret {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.data ?? {})) data[key] = Buffer.from(value, 'base64').toString('utf8');
  const secret: Secret = { metadata: raw.metadata as Secret['metadata'], data };
  if (raw.type !== undefined) secret.type = raw.type;
  if (raw.immutable !== undefined) secret.immutable = raw.immutable;
  return secret;
}

/** The Secret, or null when it does not exist (a 403 throws: the caller reports SecretForbidden). */
export async function getSecret(client: KubeClient, namespace: string, name: string): Promise<Secret | null> {
  const raw = await client.get<RawSecret>(SECRETS, name, namespace);
  return raw ? decode(raw) : null;
}

export async function createSecret(client: KubeClient, secret: NewSecret): Promise<Secret> {
  if (!secret.name && !secret.generateName) throw new Error('createSecret needs a name or a generateName');
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  const metadata: Record<string, unknown> = { namespace: secret.namespace };
  if (secret.name) metadata['name'] = secret.name;
  if (secret.generateName) metadata['generateName'] = secret.generateName;
  if (secret.labels) metadata['labels'] = secret.labels;
  if (secret.annotations) metadata['annotations'] = secret.annotations;
  if (secret.ownerReferences) metadata['ownerReferences'] = secret.ownerReferences;
  const body: RawSecret = { metadata: metadata as unknown as KubeObjectMeta, data };
  if (secret.type) body.type = secret.type;
  if (secret.immutable !== undefined) body.immutable = secret.immutable;
  return decode(await client.create<RawSecret>(SECRETS, body, { namespace: secret.namespace }));
}

/** True when deleted, false when it was already gone. `uid` guards against deleting a re-created namesake. */
export function deleteSecret(client: KubeClient, namespace: string, name: string, uid?: string): Promise<boolean> {
  return client.delete(SECRETS, name, { namespace, preconditions: uid ? { uid } : undefined });
}

export async function listSecrets(client: KubeClient, namespace: string, labelSelector: string): Promise<Secret[]> {
  const { items } = await client.listAll<RawSecret>(SECRETS, { namespace, labelSelector });
  return items.map(decode);
}
