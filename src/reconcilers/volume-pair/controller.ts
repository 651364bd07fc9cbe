// Registration of the VolumePair controller with the Manager: VolumePair events (spec, metadata,
// deletion) reconcile that VolumePair; a ClusterPair change that matters to its VolumePairs
// (paired, connected, IDs, namespaces, policy, deletion) re-queues them; an ElementCluster turning
// Ready re-queues the VolumePairs on the ClusterPairs that use it (DESIGN §3: at once, not at the poll).
import { isTrue } from '../../api/index.ts';
import type { ClusterPair, ElementCluster, VolumePair } from '../../api/index.ts';
import type { SecondaryWatch } from '../../controller/controller.ts';
import type { ControllerRegistration } from '../../controller/manager.ts';
import type { ReconcileRequest } from '../../controller/object.ts';
import type { EventSource } from '../../controller/source.ts';
import type { VolumePairReconciler } from './reconcile.ts';
import { clusterPairView } from './plan-views.ts';

export const VOLUME_PAIR_CONTROLLER = 'VolumePair';

export interface VolumePairControllerOptions {
  /** Built with the same informers (it reads them for claims, ClusterPairs and ElementClusters). */
  reconciler: VolumePairReconciler;
  volumePairs: EventSource<VolumePair>;
  clusterPairs: EventSource<ClusterPair>;
  elementClusters: EventSource<ElementCluster>;
  /** Concurrent reconciles of different VolumePairs; default 4. */
  workers?: number;
}

function requestsFor(volumePairs: EventSource<VolumePair>, clusterPairNames: ReadonlySet<string>): ReconcileRequest[] {
  return volumePairs
    .list()
    .filter((vp) => clusterPairNames.has(vp.spec.clusterPairRef.name))
    .map((vp) => ({ namespace: vp.metadata.namespace, name: vp.metadata.name }));
}

/** What VolumePairs see of a ClusterPair: status writes that change none of it re-queue nothing. */
function clusterPairFingerprint(cp: ClusterPair): string {
  return JSON.stringify([clusterPairView(cp), cp.metadata.deletionTimestamp ?? null]);
}

export function volumePairController(options: VolumePairControllerOptions): ControllerRegistration<VolumePair> {
  const { volumePairs, clusterPairs, elementClusters } = options;
  const seenPairs = new Map<string, string>();
  const readyClusters = new Map<string, boolean>();
  const onClusterPair: SecondaryWatch<ClusterPair> = {
    source: clusterPairs,
    map: (cp) => {
      const fingerprint = clusterPairFingerprint(cp);
      if (seenPairs.get(cp.metadata.name) === fingerprint) return [];
      seenPairs.set(cp.metadata.name, fingerprint);
      return requestsFor(volumePairs, new Set([cp.metadata.name]));
    },
  };
  const onElementCluster: SecondaryWatch<ElementCluster> = {
    source: elementClusters,
    map: (ec) => {
      const ready = isTrue(ec.status?.conditions, 'Ready') && ec.metadata.deletionTimestamp === undefined;
      const was = readyClusters.get(ec.metadata.name);
      readyClusters.set(ec.metadata.name, ready);
      if (!ready || was === true) return [];
      const using = clusterPairs
        .list()
        .filter((cp) => cp.spec.clusterARef.name === ec.metadata.name || cp.spec.clusterBRef.name === ec.metadata.name)
        .map((cp) => cp.metadata.name);
      return requestsFor(volumePairs, new Set(using));
    },
  };
  return {
    name: VOLUME_PAIR_CONTROLLER,
    for: volumePairs,
    watches: [onClusterPair, onElementCluster],
    reconciler: options.reconciler,
    workers: options.workers ?? 4,
  };
}
