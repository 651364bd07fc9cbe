// The ClusterPair kind plugged into the shared shell (shell/reconcile-loop.ts): observe both
// clusters' lists and the key Secret, plan with planClusterPair, run its Element steps. The whole
// reconcile runs under side A's pairing lock, so a pending pair another ClusterPair is creating on A
// is never half-seen (between its Start and its key Secret).
import { CLEANUP_FINALIZER, CLUSTER_PAIR, ClusterPair } from '../../api/index.ts';
import { PairingKeySecrets } from '../shell/pairing-key-secrets.ts';
import { ReconcileLoop } from '../shell/reconcile-loop.ts';
import type { KindShell } from '../shell/reconcile-loop.ts';
import { CLUSTER_PAIRS } from '../shell/resources.ts';
import type { ClusterPairReconcilerDeps } from './deps.ts';
import { executeStep } from './execute.ts';
import { observe } from './observe.ts';
import type { ClusterPairPlan, ClusterPairPlanInput, Step, StoredStatus } from './plan-types.ts';
import { planClusterPair } from './plan.ts';

const LIMITS_TTL_MS = 10 * 60_000;
/** One Secret per ClusterPair, named after its UID. */
export const CLUSTER_PAIR_KEY_PREFIX = 'elementrepl-cpkey-';

/** GetLimits.clusterPairsCountMax per ElementCluster, read at most every ten minutes. */
function pairLimits(deps: ClusterPairReconcilerDeps): (cluster: string) => Promise<number | undefined> {
  const limits = new Map<string, { value: number | undefined; at: number }>();
  return async (cluster) => {
    const now = Date.now();
    const cached = limits.get(cluster);
    if (cached && now - cached.at < LIMITS_TTL_MS) return cached.value;
    let value: number | undefined;
    try {
      value = (await deps.cache.call(cluster, (client) => client.getLimits())).clusterPairsCountMax;
    } catch {
      value = undefined; // the documented limit (4) applies
    }
    limits.set(cluster, { value, at: now });
    return value;
  };
}

/** The higher of the two sides' reported latencies, in seconds; undefined while not paired. */
function worseLatencySeconds(status: StoredStatus): number | undefined {
  const latencies = [status.sideA?.latencyMs, status.sideB?.latencyMs].filter((l): l is number => typeof l === 'number');
  return latencies.length === 0 ? undefined : Math.max(...latencies) / 1000;
}

function clusterPairShell(deps: ClusterPairReconcilerDeps): KindShell<ClusterPair, ClusterPairPlanInput, Step, StoredStatus, ClusterPairPlan> {
  const keys = new PairingKeySecrets({ kube: deps.kube, namespace: deps.operatorNamespace, ownerKind: CLUSTER_PAIR.kind, namePrefix: CLUSTER_PAIR_KEY_PREFIX, ownerReference: true });
  const pairLimit = pairLimits(deps);
  const clustersOf = (pair: ClusterPair) => ({ A: pair.spec.clusterARef.name, B: pair.spec.clusterBRef.name });
  return {
    kind: CLUSTER_PAIR.kind,
    resource: CLUSTER_PAIRS,
    parse: (raw) => ClusterPair.safeParse(raw),
    finalizer: CLEANUP_FINALIZER,
    keySecrets: keys,
    // A spec not yet acted on (a new ClusterPair, or an edited one) is looked at on lists that start now.
    freshnessOnSpecChange: 'now',
    serialize: (pair, run) => deps.cache.withPairingLock(pair.spec.clusterARef.name, run),
    observe: (pair, needs) => {
      const clusterA = pair.spec.clusterARef.name;
      return observe(pair, {
        deps,
        keys,
        // Side A is read as of its latest mutation by anyone: we hold its pairing lock.
        minGeneration: (cluster) => (cluster === clusterA ? deps.cache.generation(cluster) : needs.ownGeneration(cluster)),
        pairLimit,
        needs,
      });
    },
    plan: planClusterPair,
    execute: (step, { object, input, mutated }) =>
      executeStep(step, {
        deps,
        keys,
        pair: object,
        clusters: clustersOf(object),
        ...(input.clusterA.uniqueID ? { uniqueIDOfA: input.clusterA.uniqueID } : {}),
        mutated,
      }),
    afterStatus: (pair, _plan, status) => deps.metrics?.setClusterPairLatency(pair.metadata.name, worseLatencySeconds(status)),
  };
}

export class ClusterPairReconciler extends ReconcileLoop<ClusterPair, ClusterPairPlanInput, Step, StoredStatus, ClusterPairPlan> {
  constructor(deps: ClusterPairReconcilerDeps) {
    super(clusterPairShell(deps), { kube: deps.kube, events: deps.events, pollIntervalMs: deps.pollIntervalMs, metrics: deps.metrics });
  }
}
