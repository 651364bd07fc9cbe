// Reads what connecting to an ElementCluster needs from its Secrets: the credentials (keys
// `username`, `password`) and, with tls.caSecretRef, the CA bundle. A missing Secret or key and a
// Secret the operator may not read become planner inputs (SecretNotFound, SecretForbidden);
// anything else (API server down) is thrown and retried with backoff. Messages name the Secret,
// never its content.
import type { ElementCluster } from '../../api/element-cluster.ts';
import { isForbidden } from '../../kube/errors.ts';
import type { KubeClient } from '../../kube/client.ts';
import { getSecret } from '../../kube/secrets.ts';
import type { ConnectionOptions } from './connections.ts';
import type { AccessProblem } from './plan.ts';

export type AccessResult = { kind: 'ok'; options: ConnectionOptions } | { kind: 'problem'; problem: AccessProblem };

export interface SecretLocation {
  namespace: string;
  name: string;
}

/** The Secrets an ElementCluster references, with the operator namespace filled in. */
export function referencedSecrets(cluster: ElementCluster, operatorNamespace: string): SecretLocation[] {
  const refs: SecretLocation[] = [{ namespace: cluster.spec.credentialsSecretRef.namespace ?? operatorNamespace, name: cluster.spec.credentialsSecretRef.name }];
  const ca = cluster.spec.tls?.caSecretRef;
  if (ca) refs.push({ namespace: ca.namespace ?? operatorNamespace, name: ca.name });
  return refs;
}

export async function readAccess(kube: KubeClient, cluster: ElementCluster, operatorNamespace: string): Promise<AccessResult> {
  const [credentialsRef, caRef] = referencedSecrets(cluster, operatorNamespace) as [SecretLocation, SecretLocation | undefined];
  const credentials = await readKeys(kube, credentialsRef, ['username', 'password']);
  if (credentials.kind === 'problem') return credentials;
  let caPem: string | undefined;
  if (caRef) {
    const key = cluster.spec.tls?.caSecretRef?.key ?? 'ca.crt';
    const ca = await readKeys(kube, caRef, [key]);
    if (ca.kind === 'problem') return ca;
    caPem = ca.values[key];
  }
  const { spec } = cluster;
  const tls = spec.tls;
  const options: ConnectionOptions = {
    mvip: spec.mvip,
    username: credentials.values['username'] as string,
    password: credentials.values['password'] as string,
    ...(spec.apiVersion ? { apiVersion: spec.apiVersion } : {}),
    tls: {
      ...(caPem ? { caPem } : {}),
      ...(tls?.pinnedSHA256 ? { pinnedSha256: tls.pinnedSHA256 } : {}),
      ...(tls?.serverName ? { serverName: tls.serverName } : {}),
      ...(tls?.insecureSkipVerify ? { insecureSkipVerify: true } : {}),
    },
  };
  return { kind: 'ok', options };
}

type KeysResult = { kind: 'ok'; values: Record<string, string> } | { kind: 'problem'; problem: AccessProblem };

async function readKeys(kube: KubeClient, where: SecretLocation, keys: string[]): Promise<KeysResult> {
  const label = `Secret ${where.namespace}/${where.name}`;
  let secret;
  try {
    secret = await getSecret(kube, where.namespace, where.name);
  } catch (error) {
    if (!isForbidden(error)) throw error;
    return { kind: 'problem', problem: { reason: 'SecretForbidden', message: `the operator may not read ${label}: grant it a Role there or move the Secret to the operator namespace` } };
  }
  if (!secret) return { kind: 'problem', problem: { reason: 'SecretNotFound', message: `${label} not found` } };
  const missing = keys.filter((k) => !secret.data[k]);
  if (missing.length > 0) return { kind: 'problem', problem: { reason: 'SecretNotFound', message: `${label} has no key ${missing.join(', ')}` } };
  return { kind: 'ok', values: secret.data };
}
