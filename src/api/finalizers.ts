// Finalizers the operator adds and removes. Domain-qualified, as Kubernetes requires.
import { GROUP } from './group.ts';

/** ClusterPair and VolumePair: Element cleanup per deletionPolicy runs before the object goes. */
export const CLEANUP_FINALIZER = `${GROUP}/cleanup`;
/** ElementCluster: kept while a ClusterPair references it. */
export const IN_USE_FINALIZER = `${GROUP}/in-use`;

type Finalized = { readonly finalizers?: readonly string[] | undefined } | undefined;

export function hasFinalizer(metadata: Finalized, finalizer: string): boolean {
  return metadata?.finalizers?.includes(finalizer) ?? false;
}
