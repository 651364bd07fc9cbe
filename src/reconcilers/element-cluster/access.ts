// Reads what connecting to an ElementCluster needs from its Secrets: the credentials (keys
// `username`, `password`) and, with tls.caSecretRef, the CA bundle. A missing Secret or key and a
// Secret the operator may not read become planner inputs (SecretNotFound, SecretForbidden);
// anything else (API server down) is thrown and retried with backoff. Messages name the Secret,
// never its content.
// Credentials go only where their Secret allows (DESIGN §10): a Secret that does not list
// spec.mvip in `elementrepl.io/allowed-mvips` is SecretNotAllowed, and no connection options are
// returned, so no client is created and nothing is sent to that MVIP.
import { ALLOWED_MVIPS_ANNOTATION } from '../../api/annotations.ts';
import type { ElementCluster } from '../../api/element-cluster.ts';
import { mvipAllowedBy } from '../../api/mvip.ts';
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
  const refused = notAllowedProblem(credentials.annotations, cluster.spec.mvip, credentialsRef);
  if (refused) return { kind: 'problem', problem: refused };
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

/** SecretNotAllowed unless the Secret's `elementrepl.io/allowed-mvips` lists `mvip` (pure). */
export function notAllowedProblem(annotations: Readonly<Record<string, string>> | undefined, mvip: string, where: SecretLocation): AccessProblem | undefined {
  if (mvipAllowedBy(annotations?.[ALLOWED_MVIPS_ANNOTATION], mvip)) return undefined;
  return {
    reason: 'SecretNotAllowed',
    message:
      `Secret ${where.namespace}/${where.name} does not allow MVIP ${mvip}: nothing was sent; ` +
      `if this MVIP is the cluster these credentials are for, add it to the Secret's annotation ${ALLOWED_MVIPS_ANNOTATION}`,
  };
}

type KeysResult = { kind: 'ok'; values: Record<string, string>; annotations?: Readonly<Record<string, string>> | undefined } | { kind: 'problem'; problem: AccessProblem };

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
  return { kind: 'ok', values: secret.data, annotations: secret.metadata.annotations };
}
