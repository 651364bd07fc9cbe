// The ClusterPair reconciler: the thin I/O shell around the pure planner (DESIGN §3). Each
// reconcile reads the resource, observes, lets planClusterPair pick one step, runs it, writes the
// status and requeues. The whole of it runs under side A's pairing lock, so a pending pair another
// ClusterPair is creating on A is never half-seen (between its Start and its key Secret).
import { ClusterPair } from '../../api/index.ts';
import type { ReconcileContext, ReconcileResult, Reconciler } from '../../controller/controller.ts';
import type { ReconcileRequest } from '../../controller/object.ts';
import { crashAfter } from '../../controller/test-crash-hook.ts';
import { isKubeApiError, isNotFound } from '../../kube/errors.ts';
import { objectReference } from '../../kube/events.ts';
import { executeStep } from './execute.ts';
import { ClusterPairKeySecrets } from './key-secret.ts';
import { CLUSTER_PAIRS, observe } from './observe.ts';
import { planClusterPair } from './plan.ts';
import { describeFailure } from './shell-types.ts';
import type { ClusterPairReconcilerDeps } from './shell-types.ts';
import { statusPatch } from './status-patch.ts';
import type { DesiredStatus, PlannedEvent, Step } from './types.ts';

const LIMITS_TTL_MS = 10 * 60_000;
/** Steps that start or remove a pair on Element: planned again on fresh lists before they run. */
const DECISIVE_STEPS: ReadonlySet<Step['kind']> = new Set(['writeIntent', 'startPairing', 'removePendingPair', 'removeHalf']);
/** Steps whose effect is the status write itself. */
const STATUS_STEPS: ReadonlySet<Step['kind']> = new Set(['writeIntent', 'clearIntent']);

export class ClusterPairReconciler implements Reconciler {
  readonly #deps: ClusterPairReconcilerDeps;
  readonly #keys: ClusterPairKeySecrets;
  /** Per ClusterPair: the generation of its own last mutation on each ElementCluster. */
  readonly #own = new Map<string, Map<string, number>>();
  readonly #limits = new Map<string, { value: number | undefined; at: number }>();

  constructor(deps: ClusterPairReconcilerDeps) {
    this.#deps = deps;
    this.#keys = new ClusterPairKeySecrets(deps.kube, deps.operatorNamespace);
  }

  async reconcile(request: ReconcileRequest, ctx: ReconcileContext): Promise<ReconcileResult> {
    const raw = await this.#deps.kube.get(CLUSTER_PAIRS, request.name);
    if (!raw) {
      this.#own.delete(request.name);
      return;
    }
    const parsed = ClusterPair.safeParse(raw);
    if (!parsed.success) {
      // The CRD schema keeps this from happening; if it does, a requeue would not fix it.
      ctx.log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'ClusterPair does not match its schema');
      return;
    }
    const pair = parsed.data;
    return this.#deps.cache.withPairingLock(pair.spec.clusterARef.name, () => this.#reconcile(pair, ctx));
  }

  async #reconcile(pair: ClusterPair, ctx: ReconcileContext): Promise<ReconcileResult> {
    const deps = this.#deps;
    const clusters = { A: pair.spec.clusterARef.name, B: pair.spec.clusterBRef.name };
    const own = this.#own.get(pair.metadata.name) ?? new Map<string, number>();
    this.#own.set(pair.metadata.name, own);
    const observeOptions = {
      deps,
      keys: this.#keys,
      // Side A is read as of its latest mutation by anyone: we hold its pairing lock.
      minGeneration: (cluster: string) => (cluster === clusters.A ? deps.cache.generation(cluster) : own.get(cluster) ?? 0),
      pairLimit: (cluster: string) => this.#pairLimit(cluster),
    };
    let plan = planClusterPair(await observe(pair, observeOptions));
    // A shared list may be up to a poll old and miss an out-of-band change (a pair made or removed
    // by hand a moment ago): a step that starts or removes a pair is decided on lists that start now.
    if (DECISIVE_STEPS.has(plan.step.kind)) plan = planClusterPair(await observe(pair, { ...observeOptions, fresh: true }));
    const { step } = plan;
    if (step.kind !== 'none') ctx.log.info({ step: step.kind }, 'executing step');

    let failure: unknown;
    try {
      await executeStep(step, { deps, keys: this.#keys, pair, clusters, mutated: (cluster, generation) => own.set(cluster, generation) });
    } catch (error) {
      failure = error;
    }
    if (failure === undefined && step.kind === 'dropFinalizer') {
      this.#emit(pair, step, plan.events);
      this.#own.delete(pair.metadata.name);
      return;
    }
    if (failure === undefined && step.kind !== 'none' && !STATUS_STEPS.has(step.kind)) crashAfter(step.kind, 'ClusterPair');

    const status = failure === undefined ? plan.status : withFailure(plan.status, step, failure);
    await this.#writeStatus(pair, status);
    this.#deps.metrics?.setClusterPairLatency(pair.metadata.name, worseLatencySeconds(status));
    if (failure === undefined && STATUS_STEPS.has(step.kind)) crashAfter(step.kind, 'ClusterPair');

    if (failure !== undefined) {
      const message = `${step.kind} failed: ${describeFailure(failure)}`;
      ctx.log.warn({ step: step.kind, error: describeFailure(failure) }, 'step failed');
      this.#emit(pair, step, [{ type: 'Warning', reason: 'StepFailed', message }]);
      // The per-key backoff paces the retry, and the next reconcile observes afresh before
      // anything else (an unknown outcome included). Kubernetes errors go as they are (a 409 is
      // not counted as an error); anything else is replaced by its safe description.
      if (isKubeApiError(failure)) throw failure;
      throw new Error(message);
    }
    this.#emit(pair, step, plan.events);
    // The controller adds the jitter to requeueAfterMs.
    return plan.requeueAfterMs === undefined ? {} : { requeueAfterMs: plan.requeueAfterMs };
  }

  async #writeStatus(pair: ClusterPair, desired: DesiredStatus): Promise<void> {
    const now = (this.#deps.now ?? (() => new Date()))();
    const patch = statusPatch(pair.status, desired, now);
    if (patch === undefined) return;
    try {
      await this.#deps.kube.patchStatus(CLUSTER_PAIRS, pair.metadata.name, patch);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  #emit(pair: ClusterPair, step: Step, events: PlannedEvent[]): void {
    const regarding = objectReference(pair);
    const action = step.kind === 'none' ? 'Observe' : step.kind.charAt(0).toUpperCase() + step.kind.slice(1);
    for (const event of events) this.#deps.events.record({ regarding, type: event.type, reason: event.reason, action, note: event.message });
  }

  async #pairLimit(cluster: string): Promise<number | undefined> {
    const now = Date.now();
    const cached = this.#limits.get(cluster);
    if (cached && now - cached.at < LIMITS_TTL_MS) return cached.value;
    let value: number | undefined;
    try {
      value = (await this.#deps.cache.call(cluster, (client) => client.getLimits())).clusterPairsCountMax;
    } catch {
      value = undefined; // the documented limit (4) applies
    }
    this.#limits.set(cluster, { value, at: now });
    return value;
  }
}

/** The planned status, with the failed step named in the Ready message (safe text only). */
function withFailure(status: DesiredStatus, step: Step, failure: unknown): DesiredStatus {
  const note = `; last step ${step.kind} failed: ${describeFailure(failure)}`;
  return { ...status, conditions: status.conditions.map((c) => (c.type === 'Ready' ? { ...c, message: c.message + note } : c)) };
}

/** The higher of the two sides' reported latencies, in seconds; undefined while not paired. */
function worseLatencySeconds(status: DesiredStatus): number | undefined {
  const latencies = [status.sideA?.latencyMs, status.sideB?.latencyMs].filter((l): l is number => typeof l === 'number');
  return latencies.length === 0 ? undefined : Math.max(...latencies) / 1000;
}
