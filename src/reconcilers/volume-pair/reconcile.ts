// The VolumePair reconciler: the thin I/O shell around the pure planner (DESIGN §3). Each
// reconcile reads the resource, observes through the shared cache, lets planVolumePair pick one
// step, runs it, writes the status (merge patch, only when it changed), emits Events and requeues.
import { VolumePair } from '../../api/index.ts';
import type { VolumePairStatus } from '../../api/index.ts';
import type { ReconcileContext, ReconcileResult, Reconciler } from '../../controller/controller.ts';
import type { ReconcileRequest } from '../../controller/object.ts';
import { crashAfter } from '../../controller/test-crash-hook.ts';
import { isKubeApiError, isNotFound } from '../../kube/errors.ts';
import { objectReference } from '../../kube/events.ts';
import { VOLUME_PAIRS } from '../cluster-pair/observe.ts';
import { describeFailure } from '../cluster-pair/shell-types.ts';
import { mergePatch } from '../cluster-pair/status-patch.ts';
import { executeStep } from './execute.ts';
import type { StepOutcome } from './execute.ts';
import { VolumePairKeySecrets } from './key-secret.ts';
import { observe } from './observe.ts';
import type { Observed } from './observe.ts';
import { planVolumePair } from './plan.ts';
import { IMMEDIATE_REQUEUE_MS, SOON_REQUEUE_MS } from './shell-types.ts';
import type { VolumePairReconcilerDeps } from './shell-types.ts';
import type { Plan, PlannedEvent, RequeueHint, Step } from './types.ts';
import { buildClaimIndex } from './views.ts';
import type { ClaimIndex } from './views.ts';

/** Steps whose effect is the status write itself. */
const STATUS_STEPS: ReadonlySet<Step['kind']> = new Set(['writeIntent', 'clearIntent']);

export class VolumePairReconciler implements Reconciler {
  readonly #deps: VolumePairReconcilerDeps;
  readonly #keys: VolumePairKeySecrets;
  /** Per VolumePair: the generation of its own last mutation on each ElementCluster. */
  readonly #own = new Map<string, Map<string, number>>();
  #claims: ClaimIndex | undefined;
  /** Replication state per VolumePair, for elementrepl_volume_pairs{state}. */
  readonly #states = new Map<string, string>();

  constructor(deps: VolumePairReconcilerDeps) {
    this.#deps = deps;
    this.#keys = new VolumePairKeySecrets(deps.kube, deps.operatorNamespace);
    // The claim index is rebuilt on the first reconcile after any VolumePair or ClusterPair change.
    const invalidate = () => {
      this.#claims = undefined;
    };
    deps.volumePairs.subscribe(invalidate);
    deps.clusterPairs.subscribe(invalidate);
  }

  async reconcile(request: ReconcileRequest, ctx: ReconcileContext): Promise<ReconcileResult> {
    const key = `${request.namespace ?? ''}/${request.name}`;
    // Read from the API server, not the informer: the intent just written must be seen.
    const raw = await this.#deps.kube.get(VOLUME_PAIRS, request.name, request.namespace);
    if (!raw) {
      this.#own.delete(key);
      this.#recordState(key, undefined);
      return;
    }
    const parsed = VolumePair.safeParse(raw);
    if (!parsed.success) {
      // The CRD schema keeps this from happening; if it does, a requeue would not fix it.
      ctx.log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'VolumePair does not match its schema');
      return;
    }
    const own = this.#own.get(key) ?? new Map<string, number>();
    this.#own.set(key, own);
    return this.#reconcile(parsed.data, own, key, ctx);
  }

  #claimIndex(): ClaimIndex {
    if (this.#claims === undefined) {
      const clusterPairs = new Map(this.#deps.clusterPairs.list().map((cp) => [cp.metadata.name, cp]));
      this.#claims = buildClaimIndex(this.#deps.volumePairs.list(), clusterPairs);
    }
    return this.#claims;
  }

  #observe(vp: VolumePair, own: Map<string, number>, fresh: boolean): Promise<Observed> {
    return observe(vp, { deps: this.#deps, keys: this.#keys, claims: () => this.#claimIndex(), minGeneration: (c) => own.get(c) ?? 0, fresh });
  }

  async #reconcile(vp: VolumePair, own: Map<string, number>, key: string, ctx: ReconcileContext): Promise<ReconcileResult> {
    let observed = await this.#observe(vp, own, false);
    let plan = planVolumePair(observed.input);
    if (plan.step.kind === 'removeVolumePair') {
      // Never remove on the strength of a cached list: read both volumes now and decide again.
      observed = await this.#observe(vp, own, true);
      plan = planVolumePair(observed.input);
    }
    const { step } = plan;
    if (step.kind !== 'none') ctx.log.info({ step: step.kind }, 'executing step');

    let failure: unknown;
    let outcome: StepOutcome = {};
    try {
      outcome = await executeStep(step, {
        deps: this.#deps,
        keys: this.#keys,
        vp,
        owner: observed.owner,
        clusters: observed.clusters,
        volumeIDs: { A: plan.status.sideA?.volumeID, B: plan.status.sideB?.volumeID },
        mutated: (cluster, generation) => own.set(cluster, generation),
      });
    } catch (error) {
      failure = error;
    }
    if (failure === undefined && step.kind === 'dropFinalizer') {
      this.#emit(vp, step, step.event ? [step.event] : []);
      this.#own.delete(key);
      this.#recordState(key, undefined);
      return;
    }
    if (failure === undefined && outcome.waiting === undefined && step.kind !== 'none' && !STATUS_STEPS.has(step.kind)) crashAfter(step.kind);

    const status = failure !== undefined
      ? withReadyNote(plan.status, `last step ${step.kind} failed: ${describeFailure(failure)}`)
      : outcome.waiting !== undefined
        ? withReadyNote(plan.status, outcome.waiting)
        : plan.status;
    await this.#writeStatus(vp, status);
    this.#recordState(key, status.replicationState ?? 'None');
    if (failure === undefined && STATUS_STEPS.has(step.kind)) crashAfter(step.kind);
    this.#emit(vp, step, plan.events);

    if (failure !== undefined) {
      const message = `${step.kind} failed: ${describeFailure(failure)}`;
      ctx.log.warn({ step: step.kind, error: describeFailure(failure) }, 'step failed');
      this.#emit(vp, step, [{ type: 'Warning', reason: 'StepFailed', message }]);
      // The per-key backoff paces the retry, and the next reconcile observes afresh before anything
      // else (an unknown outcome included: the mutation moved the generations it must read past).
      // Kubernetes errors go as they are (a 409 is not counted as an error); anything else is
      // replaced by its safe description.
      if (isKubeApiError(failure)) throw failure;
      throw new Error(message);
    }
    if (outcome.waiting !== undefined) {
      ctx.log.info({ step: step.kind, reason: outcome.waiting }, 'step must wait');
      return { requeueAfterMs: SOON_REQUEUE_MS };
    }
    if ((step.kind === 'removeVolumePair' || step.kind === 'modifyVolumePair') && step.event) this.#emit(vp, step, [step.event]);
    if (correctsDrift(vp, step)) this.#deps.metrics?.driftCorrected('VolumePair');
    return { requeueAfterMs: this.#requeueMs(plan.requeue) };
  }

  #recordState(key: string, state: string | undefined): void {
    const metrics = this.#deps.metrics;
    if (!metrics) return;
    if (state === undefined) this.#states.delete(key);
    else if (this.#states.get(key) === state) return;
    else this.#states.set(key, state);
    const counts: Record<string, number> = {};
    for (const s of this.#states.values()) counts[s] = (counts[s] ?? 0) + 1;
    metrics.setVolumePairStates(counts);
  }

  #requeueMs(hint: RequeueHint): number {
    if (hint === 'immediate') return IMMEDIATE_REQUEUE_MS;
    if (hint === 'soon') return SOON_REQUEUE_MS;
    return this.#deps.pollIntervalMs;
  }

  async #writeStatus(vp: VolumePair, desired: VolumePairStatus): Promise<void> {
    // JSON round trip drops undefined members, as the API server would; undefined → null in the patch.
    const next = JSON.parse(JSON.stringify(desired)) as VolumePairStatus;
    const patch = mergePatch(vp.status ?? {}, next);
    if (patch === undefined) return;
    try {
      await this.#deps.kube.patchStatus(VOLUME_PAIRS, vp.metadata.name, patch, { namespace: vp.metadata.namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  #emit(vp: VolumePair, step: Step, events: PlannedEvent[]): void {
    const regarding = objectReference(vp);
    const action = step.kind === 'none' ? 'Observe' : step.kind.charAt(0).toUpperCase() + step.kind.slice(1);
    for (const event of events) this.#deps.events.record({ regarding, type: event.type, reason: event.reason, action, note: event.message });
  }
}

/**
 * A step that puts Element back to a spec it already matched: a one-sided leftover removed, or
 * mode/pause changed while the spec was unchanged since Element last matched it.
 */
function correctsDrift(vp: VolumePair, step: Step): boolean {
  if (step.kind === 'removeVolumePair') return step.why === 'leftover' || step.why === 'repair';
  if (step.kind !== 'modifyVolumePair') return false;
  const upToDate = vp.status?.conditions?.find((c) => c.type === 'UpToDate');
  return upToDate?.status === 'True' && upToDate.observedGeneration === vp.metadata.generation;
}

/** The planned status with a note on the Ready condition (safe text only). */
function withReadyNote(status: Plan['status'], note: string): Plan['status'] {
  return { ...status, conditions: status.conditions?.map((c) => (c.type === 'Ready' ? { ...c, message: `${c.message}; ${note}` } : c)) };
}
