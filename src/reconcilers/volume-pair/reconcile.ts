// The VolumePair kind plugged into the shared shell (shell/reconcile-loop.ts): observe through the
// shared cache and the informers, plan with planVolumePair, run its Element steps; the shell does
// the rest. It also keeps elementrepl_volume_pairs{state} from the states it last wrote, and the
// per-pair lag metric.
import { CLEANUP_FINALIZER, VOLUME_PAIR, VolumePair } from '../../api/index.ts';
import type { VolumePairStatus } from '../../api/index.ts';
import { requestKey } from '../../controller/object.ts';
import { clusterIdentity } from '../cluster-view.ts';
import { PairingKeySecrets, keyOwner } from '../shell/pairing-key-secrets.ts';
import { ReconcileLoop } from '../shell/reconcile-loop.ts';
import type { KindShell } from '../shell/reconcile-loop.ts';
import { VOLUME_PAIRS } from '../shell/resources.ts';
import type { VolumePairReconcilerDeps } from './deps.ts';
import { executeStep } from './execute.ts';
import { observe } from './observe.ts';
import type { Observed } from './observe.ts';
import { buildClaimIndex } from './plan-claims.ts';
import type { ClaimIndex } from './plan-claims.ts';
import type { Step, VolumePairPlan } from './plan-types.ts';
import { planVolumePair } from './plan.ts';

/** One Secret per VolumePair, named after its UID. */
export const VOLUME_PAIR_KEY_PREFIX = 'elementrepl-vpkey-';

export function volumePairKeySecrets(deps: Pick<VolumePairReconcilerDeps, 'kube' | 'operatorNamespace'>): PairingKeySecrets {
  // No ownerReference: a namespaced owner cannot own an object in the operator namespace.
  return new PairingKeySecrets({ kube: deps.kube, namespace: deps.operatorNamespace, ownerKind: VOLUME_PAIR.kind, namePrefix: VOLUME_PAIR_KEY_PREFIX, ownerReference: false });
}

/** elementrepl_volume_pairs{state}: the replication state each VolumePair last wrote. */
class StateGauge {
  readonly #states = new Map<string, string>();
  readonly #metrics: VolumePairReconcilerDeps['metrics'];

  constructor(metrics: VolumePairReconcilerDeps['metrics']) {
    this.#metrics = metrics;
  }

  record(key: string, state: string | undefined): void {
    if (!this.#metrics) return;
    if (state === undefined) this.#states.delete(key);
    else if (this.#states.get(key) === state) return;
    else this.#states.set(key, state);
    const counts: Record<string, number> = {};
    for (const s of this.#states.values()) counts[s] = (counts[s] ?? 0) + 1;
    this.#metrics.setVolumePairStates(counts);
  }
}

/**
 * elementrepl_volume_pair_replication_lag_seconds, set every reconcile (so every poll), and the last
 * sync known per VolumePair: status keeps only a copy refreshed every few minutes.
 */
class LagTracker {
  readonly #lastSync = new Map<string, string>();
  readonly #metrics: VolumePairReconcilerDeps['metrics'];

  constructor(metrics: VolumePairReconcilerDeps['metrics']) {
    this.#metrics = metrics;
  }

  lastKnownSync(key: string): string | undefined {
    return this.#lastSync.get(key);
  }

  record(key: string, lag: VolumePairPlan['replicationLag']): void {
    if (lag === undefined) this.#lastSync.delete(key);
    else this.#lastSync.set(key, lag.lastSyncTime);
    const [namespace = '', name = key] = key.split('/');
    this.#metrics?.setVolumePairLag?.(namespace, name, lag?.seconds);
  }
}

function volumePairShell(deps: VolumePairReconcilerDeps): KindShell<VolumePair, Observed, Step, VolumePairStatus, VolumePairPlan> {
  const keys = volumePairKeySecrets(deps);
  const gauge = new StateGauge(deps.metrics);
  const lags = new LagTracker(deps.metrics);
  // The claim index is rebuilt on the first reconcile after any VolumePair or ClusterPair change.
  let claims: ClaimIndex | undefined;
  const invalidate = () => {
    claims = undefined;
  };
  deps.volumePairs.subscribe(invalidate);
  deps.clusterPairs.subscribe(invalidate);
  // ElementCluster status is written every poll; only a change of identity matters to claims.
  let identities = '';
  deps.elementClusters.subscribe(() => {
    const now = JSON.stringify(deps.elementClusters.list().map((ec) => [ec.metadata.name, ec.status?.clusterUniqueID ?? null]));
    if (now !== identities) invalidate();
    identities = now;
  });
  const identityOf = (name: string) => clusterIdentity(deps.elementClusters, name);
  const claimIndex = (): ClaimIndex => {
    if (claims === undefined) {
      const clusterPairs = new Map(deps.clusterPairs.list().map((cp) => [cp.metadata.name, cp]));
      claims = buildClaimIndex(deps.volumePairs.list(), clusterPairs, identityOf);
    }
    return claims;
  };

  return {
    kind: VOLUME_PAIR.kind,
    resource: VOLUME_PAIRS,
    parse: (raw) => VolumePair.safeParse(raw),
    finalizer: CLEANUP_FINALIZER,
    keySecrets: keys,
    freshnessOnSpecChange: 'recent',
    observe: (vp, needs) => observe(vp, { deps, keys, claims: claimIndex, identityOf, needs, lastKnownSync: lags.lastKnownSync(requestKey(vp.metadata)) }),
    plan: (observed) => planVolumePair(observed.input),
    execute: (step, { object, input, plan, mutated }) => {
      const volumeIDs = { A: plan.status.sideA?.volumeID, B: plan.status.sideB?.volumeID };
      return executeStep(step, { deps, keys, vp: object, owner: keyOwner(object), clusters: input.clusters, volumeIDs, mutated });
    },
    afterStatus: (vp, plan, status) => {
      const key = requestKey(vp.metadata);
      gauge.record(key, status.replicationState ?? 'None');
      lags.record(key, plan.replicationLag);
    },
    forget: (key) => {
      gauge.record(key, undefined);
      lags.record(key, undefined);
    },
  };
}

export class VolumePairReconciler extends ReconcileLoop<VolumePair, Observed, Step, VolumePairStatus, VolumePairPlan> {
  constructor(deps: VolumePairReconcilerDeps) {
    super(volumePairShell(deps), deps);
  }
}
