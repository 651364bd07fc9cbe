// The ElementCluster kind plugged into the shared shell (shell/reconcile-loop.ts): observe reads
// the ClusterPairs that use it, the other ElementClusters' recorded identities (aliases), its
// Secrets and a probe of the MVIP (unless paused or going away);
// planElementCluster decides; before the step the connection's usability is applied, after the
// status write the ClusterPairs that use a cluster that just became usable are re-queued at once.
import { ELEMENT_CLUSTER } from '../../api/group.ts';
import { ElementCluster } from '../../api/element-cluster.ts';
import type { ElementClusterStatus } from '../../api/element-cluster.ts';
import { IN_USE_FINALIZER } from '../../api/finalizers.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecord } from '../../kube/events.ts';
import { ReconcileLoop } from '../shell/reconcile-loop.ts';
import type { KindShell, ShellMetrics } from '../shell/reconcile-loop.ts';
import { ELEMENT_CLUSTERS } from '../shell/resources.ts';
import { readAccess } from './access.ts';
import type { ClosableClient, ElementConnections } from './connections.ts';
import { needsElement, planElementCluster } from './plan.ts';
import type { ElementClusterPlan, ElementClusterPlanInput, ElementClusterStep, Observation, OtherElementCluster } from './plan.ts';
import { probeCluster, type ProbeClient } from './probe.ts';

export type ElementClusterClient = ProbeClient & ClosableClient;

/** Only what is read of a ClusterPair: which ElementClusters it references. */
export interface ClusterPairRefs {
  metadata: { name: string };
  spec?: { clusterARef?: { name?: string }; clusterBRef?: { name?: string } };
}

/** Only what is read of another ElementCluster: its age and recorded identity. */
export interface ElementClusterRecord {
  metadata: { name: string; creationTimestamp?: string | undefined };
  status?: { clusterUniqueID?: string | undefined } | undefined;
}

export interface ElementClusterReconcilerDeps {
  kube: KubeClient;
  connections: ElementConnections<ElementClusterClient>;
  /** The ClusterPairs currently known (an informer cache). */
  clusterPairs: { list(): ClusterPairRefs[] };
  /** The ElementClusters currently known (an informer cache), for DuplicateCluster. */
  elementClusters: { list(): ElementClusterRecord[] };
  events: { record(event: EventRecord): void };
  /** Default namespace of referenced Secrets. */
  operatorNamespace: string;
  pollIntervalMs: number;
  /** Reconcile this ClusterPair now (manager.requeue('ClusterPair', name)). */
  requeueClusterPair(name: string): void;
  now?: () => Date;
  /** The shell's condition gauge; optional. */
  metrics?: ShellMetrics;
}

export function clusterPairsUsing(pairs: readonly ClusterPairRefs[], cluster: string): string[] {
  return pairs
    .filter((p) => p.spec?.clusterARef?.name === cluster || p.spec?.clusterBRef?.name === cluster)
    .map((p) => p.metadata.name)
    .sort();
}

export function otherElementClusters(records: readonly ElementClusterRecord[], self: string): OtherElementCluster[] {
  return records
    .filter((c) => c.metadata.name !== self)
    .map((c) => ({ name: c.metadata.name, creationTimestamp: c.metadata.creationTimestamp, clusterUniqueID: c.status?.clusterUniqueID }));
}

function elementClusterShell(deps: ElementClusterReconcilerDeps): KindShell<ElementCluster, ElementClusterPlanInput, ElementClusterStep, ElementClusterStatus | undefined, ElementClusterPlan> {
  const probe = async (cluster: ElementCluster): Promise<Observation> => {
    const access = await readAccess(deps.kube, cluster, deps.operatorNamespace);
    if (access.kind === 'problem') return { kind: 'accessProblem', problem: access.problem };
    const client = deps.connections.ensure(cluster.metadata.name, access.options);
    return { kind: 'probed', outcome: await probeCluster(client) };
  };
  return {
    kind: ELEMENT_CLUSTER.kind,
    resource: ELEMENT_CLUSTERS,
    parse: (raw) => ElementCluster.safeParse(raw),
    finalizer: IN_USE_FINALIZER,
    freshnessOnSpecChange: 'poll',
    observe: async (cluster) => {
      const usedBy = clusterPairsUsing(deps.clusterPairs.list(), cluster.metadata.name);
      return {
        cluster,
        usedBy,
        others: otherElementClusters(deps.elementClusters.list(), cluster.metadata.name),
        observation: needsElement(cluster, usedBy) ? await probe(cluster) : { kind: 'skipped' },
        connectionUsable: deps.connections.isUsable(cluster.metadata.name),
        now: deps.now?.() ?? new Date(),
      };
    },
    plan: planElementCluster,
    execute: () => Promise.reject(new Error('an ElementCluster has no steps of its own')),
    // Usability first: a cluster that just lost it must stop serving dependents before anything else.
    beforeStep: (cluster, plan) => {
      if (plan.disconnect) deps.connections.remove(cluster.metadata.name);
      else deps.connections.setUsable(cluster.metadata.name, plan.usable);
    },
    afterStatus: (cluster, plan) => {
      if (!plan.requeueDependents) return;
      for (const pair of clusterPairsUsing(deps.clusterPairs.list(), cluster.metadata.name)) deps.requeueClusterPair(pair);
    },
    forget: (name) => deps.connections.remove(name),
  };
}

export class ElementClusterReconciler extends ReconcileLoop<ElementCluster, ElementClusterPlanInput, ElementClusterStep, ElementClusterStatus | undefined, ElementClusterPlan> {
  constructor(deps: ElementClusterReconcilerDeps) {
    super(elementClusterShell(deps), deps);
  }
}
