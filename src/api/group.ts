// API group, version and the names of the three kinds. Pure constants: the CRD generator, the
// Kubernetes client and the reconcilers all read them from here so that no name is spelled twice.

export const GROUP = 'elementrepl.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
/** `kubectl get elementrepl` lists every kind of the operator. */
export const CATEGORY = 'elementrepl';

export type ResourceScope = 'Cluster' | 'Namespaced';

export type ResourceNames = {
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly scope: ResourceScope;
};

export const ELEMENT_CLUSTER = {
  kind: 'ElementCluster',
  listKind: 'ElementClusterList',
  plural: 'elementclusters',
  singular: 'elementcluster',
  shortNames: ['ec'],
  scope: 'Cluster',
} as const satisfies ResourceNames;

export const CLUSTER_PAIR = {
  kind: 'ClusterPair',
  listKind: 'ClusterPairList',
  plural: 'clusterpairs',
  singular: 'clusterpair',
  shortNames: ['ecp'],
  scope: 'Cluster',
} as const satisfies ResourceNames;

export const VOLUME_PAIR = {
  kind: 'VolumePair',
  listKind: 'VolumePairList',
  plural: 'volumepairs',
  singular: 'volumepair',
  shortNames: ['evp'],
  scope: 'Namespaced',
} as const satisfies ResourceNames;

export const RESOURCES = [ELEMENT_CLUSTER, CLUSTER_PAIR, VOLUME_PAIR] as const;

export type Kind = (typeof RESOURCES)[number]['kind'];

/** `<plural>.<group>`, the CRD's metadata.name. */
export function crdName(resource: ResourceNames): string {
  return `${resource.plural}.${GROUP}`;
}
