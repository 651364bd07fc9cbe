// Server-side apply of the templated manifests, and reading back what the operator reports, through
// the project's own Kubernetes client (src/kube is the only code that touches client-node).
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from '../../src/api/group.ts';
import { customResource, KubeClient, SECRETS, type ResourceType } from '../../src/kube/client.ts';
import { loadKubeConfig } from '../../src/kube/kubeconfig.ts';
import type { Manifest } from './samples.ts';

export const DEMO_FIELD_MANAGER = 'elementrepl-demo';
const NAMESPACES: ResourceType = { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false };

const resourceByKind: Record<string, ResourceType> = {
  Namespace: NAMESPACES,
  Secret: SECRETS,
  [ELEMENT_CLUSTER.kind]: customResource(ELEMENT_CLUSTER),
  [CLUSTER_PAIR.kind]: customResource(CLUSTER_PAIR),
  [VOLUME_PAIR.kind]: customResource(VOLUME_PAIR),
};

export function kubeClientFor(kubeconfigPath: string): KubeClient {
  return new KubeClient(loadKubeConfig({ kubeconfig: kubeconfigPath }).kubeConfig, { fieldManager: DEMO_FIELD_MANAGER, requestTimeoutMs: 20_000 });
}

function resourceOf(manifest: Manifest): ResourceType {
  const resource = resourceByKind[manifest.kind];
  if (!resource) throw new Error(`cannot apply ${manifest.kind} ${manifest.metadata.name}: unknown kind`);
  return resource;
}

export async function ensureNamespaces(kube: KubeClient, names: Iterable<string>): Promise<void> {
  for (const name of new Set(names)) {
    await kube.apply(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { force: true });
  }
}

/** Applies in order (Secrets before the ElementClusters that reference them, and so on). */
export async function applyManifests(kube: KubeClient, manifests: readonly Manifest[]): Promise<void> {
  const namespaces = manifests.flatMap((m) => (resourceOf(m).namespaced && m.metadata.namespace ? [m.metadata.namespace] : []));
  await ensureNamespaces(kube, namespaces);
  for (const manifest of manifests) {
    try {
      await kube.apply(resourceOf(manifest), manifest, { force: true });
    } catch (error) {
      const where = [manifest.metadata.namespace, manifest.metadata.name].filter(Boolean).join('/');
      throw new Error(`applying ${manifest.kind} ${where} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** Status as the demo reads it: plain JSON of the three kinds. */
export interface StatusObject {
  kind: string;
  metadata: { name: string; namespace?: string; generation?: number };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface Snapshot {
  elementClusters: StatusObject[];
  clusterPairs: StatusObject[];
  volumePairs: StatusObject[];
}

export async function readSnapshot(kube: KubeClient): Promise<Snapshot> {
  const [elementClusters, clusterPairs, volumePairs] = await Promise.all(
    [ELEMENT_CLUSTER, CLUSTER_PAIR, VOLUME_PAIR].map(async (names) => {
      const page = await kube.listAll(customResource(names));
      return page.items as unknown as StatusObject[];
    }),
  );
  return { elementClusters: elementClusters!, clusterPairs: clusterPairs!, volumePairs: volumePairs! };
}
