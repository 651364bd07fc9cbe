// The ElementCluster reconciler: the thin I/O shell around planElementCluster. Each reconcile reads
// the resource and the ClusterPairs that use it, reads the Secrets and probes the MVIP (unless
// paused or going away), lets the planner decide, then applies the decision: finalizer, status,
// connection usability, Events, and a nudge to dependents when the cluster becomes usable.
import { CLUSTER_PAIR, ELEMENT_CLUSTER } from '../../api/group.ts';
import { ElementCluster } from '../../api/element-cluster.ts';
import { IN_USE_FINALIZER } from '../../api/finalizers.ts';
import type { ReconcileContext, ReconcileResult, Reconciler } from '../../controller/controller.ts';
import { ensureFinalizer, removeFinalizer } from '../../controller/finalizers.ts';
import type { ReconcileRequest } from '../../controller/object.ts';
import { customResource, type KubeClient } from '../../kube/client.ts';
import { objectReference, type EventRecord } from '../../kube/events.ts';
import { readAccess } from './access.ts';
import type { ClosableClient, ElementConnections } from './connections.ts';
import { needsElement, planElementCluster, type ElementClusterPlan, type Observation } from './plan.ts';
import { probeCluster, type ProbeClient } from './probe.ts';

export const ELEMENT_CLUSTERS = customResource(ELEMENT_CLUSTER);
export const CLUSTER_PAIRS = customResource(CLUSTER_PAIR);

export type ElementClusterClient = ProbeClient & ClosableClient;

/** Only what is read of a ClusterPair: which ElementClusters it references. */
export interface ClusterPairRefs {
  metadata: { name: string };
  spec?: { clusterARef?: { name?: string }; clusterBRef?: { name?: string } };
}

export interface ElementClusterReconcilerDeps {
  kube: KubeClient;
  connections: ElementConnections<ElementClusterClient>;
  /** The ClusterPairs currently known (an informer cache). */
  clusterPairs: { list(): ClusterPairRefs[] };
  events: { record(event: EventRecord): void };
  /** Default namespace of referenced Secrets. */
  operatorNamespace: string;
  pollIntervalMs: number;
  /** Reconcile this ClusterPair now (manager.requeue('ClusterPair', name)). */
  requeueClusterPair(name: string): void;
  now?: () => Date;
}

export function clusterPairsUsing(pairs: readonly ClusterPairRefs[], cluster: string): string[] {
  return pairs
    .filter((p) => p.spec?.clusterARef?.name === cluster || p.spec?.clusterBRef?.name === cluster)
    .map((p) => p.metadata.name)
    .sort();
}

export class ElementClusterReconciler implements Reconciler {
  readonly #deps: ElementClusterReconcilerDeps;

  constructor(deps: ElementClusterReconcilerDeps) {
    this.#deps = deps;
  }

  async reconcile(request: ReconcileRequest, ctx: ReconcileContext): Promise<ReconcileResult> {
    const deps = this.#deps;
    const raw = await deps.kube.get(ELEMENT_CLUSTERS, request.name);
    if (!raw) {
      deps.connections.remove(request.name);
      return;
    }
    const parsed = ElementCluster.safeParse(raw);
    if (!parsed.success) {
      // The CRD schema keeps this from happening; a requeue would not fix it.
      ctx.log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'ElementCluster does not match its schema');
      return;
    }
    const cluster = parsed.data;
    const usedBy = clusterPairsUsing(deps.clusterPairs.list(), request.name);
    const observation = needsElement(cluster, usedBy) ? await this.#observe(cluster) : ({ kind: 'skipped' } as const);
    const plan = planElementCluster({
      cluster,
      usedBy,
      observation,
      connectionUsable: deps.connections.isUsable(request.name),
      now: deps.now?.() ?? new Date(),
      pollIntervalMs: deps.pollIntervalMs,
    });
    await this.#apply(cluster, plan, ctx);
    if (plan.requeueDependents) for (const pair of usedBy) deps.requeueClusterPair(pair);
    if (plan.requeue === 'backoff') return { requeue: true };
    if (plan.requeue === 'none') return;
    return { requeueAfterMs: plan.requeue.afterMs };
  }

  async #observe(cluster: ElementCluster): Promise<Observation> {
    const access = await readAccess(this.#deps.kube, cluster, this.#deps.operatorNamespace);
    if (access.kind === 'problem') return { kind: 'accessProblem', problem: access.problem };
    const client = this.#deps.connections.ensure(cluster.metadata.name, access.options);
    return { kind: 'probed', outcome: await probeCluster(client) };
  }

  async #apply(cluster: ElementCluster, plan: ElementClusterPlan, ctx: ReconcileContext): Promise<void> {
    const { kube, connections, events } = this.#deps;
    const name = cluster.metadata.name;
    // Usability first: a cluster that just lost it must stop serving dependents before anything else.
    if (plan.disconnect) connections.remove(name);
    else connections.setUsable(name, plan.usable);
    // Each write returns the object as the server now has it: the finalizer removal below is
    // conditional on the resourceVersion, so it must start from the status write's result.
    let current: ElementCluster = cluster;
    if (plan.finalizer === 'add') current = await ensureFinalizer(kube, ELEMENT_CLUSTERS, current, IN_USE_FINALIZER);
    if (plan.status) current = await kube.patchStatus<ElementCluster>(ELEMENT_CLUSTERS, name, plan.status);
    // Removing the finalizer may delete the object: last.
    if (plan.finalizer === 'remove') await removeFinalizer(kube, ELEMENT_CLUSTERS, current, IN_USE_FINALIZER);
    for (const event of plan.events) events.record({ regarding: objectReference(cluster), ...event });
    const ready = plan.status?.conditions?.find((c) => c.type === 'Ready');
    // Routine polls only move lastContactTime: log those at debug, changes of state at info.
    if (ready) ctx.log[plan.events.length > 0 ? 'info' : 'debug']({ ready: ready.status, reason: ready.reason }, 'ElementCluster status updated');
  }
}
