// The shell every kind's reconcile runs through (DESIGN §3, STYLE: the shell reads, calls the pure
// planner and applies its result): read the object → observe → plan → re-plan on lists that start
// now before a step that starts or removes a pair → run the one step → write the status (merge
// patch, only when it changed) → emit the plan's Events → requeue as the plan says. A kind plugs
// in its observe, planner and step executor (KindShell); everything it decides is in its plan.
import type { ReconcileContext, ReconcileResult, Reconciler } from '../../controller/controller.ts';
import { ensureFinalizer, removeFinalizer } from '../../controller/finalizers.ts';
import { parseKey, requestKey, type KubeObject, type ReconcileRequest } from '../../controller/object.ts';
import { crashAfter } from '../../controller/test-crash-hook.ts';
import type { KubeClient, ResourceType } from '../../kube/client.ts';
import { isKubeApiError, isNotFound } from '../../kube/errors.ts';
import { objectReference, type EventRecord } from '../../kube/events.ts';
import { describeFailure, withReadyNote } from './failure.ts';
import { invalidSpecStatus } from './invalid-spec.ts';
import { keyOwner } from './pairing-key-secrets.ts';
import type { PairingKeySecrets } from './pairing-key-secrets.ts';
import { isSharedStep, STATUS_ONLY_STEP_KINDS } from './plan.ts';
import type { Freshness, Plan, PlannedEvent, PlannedStep, SharedStepKind } from './plan.ts';
import { requeueResult } from './requeue.ts';
import { statusPatch } from './status-patch.ts';
import { EventReason } from '../../api/event-reasons.ts';

/** What an observation needs from the shell: how fresh, and since which own mutations. */
export interface ObserveNeeds {
  freshness: Freshness;
  /** This object's own last mutation generation on an ElementCluster (its reads must start after it). */
  ownGeneration(cluster: string): number;
}

/** What a kind-specific step needs from the shell. */
export interface StepRun<TObject, TInput, TPlan> {
  object: TObject;
  input: TInput;
  /** The plan the step belongs to (its status names the resolved IDs). */
  plan: TPlan;
  /** Records this object's own mutation on an ElementCluster (its next reads must start after it). */
  mutated(cluster: string, generation: number): void;
}

/** A step that did not run but needs no error: retried quietly after a short wait. */
export interface StepOutcome {
  waiting?: string;
}

export interface KindShell<TObject extends KubeObject & { status?: unknown }, TInput, TStep extends PlannedStep, TStatus, TPlan extends Plan<TStep, TStatus> = Plan<TStep, TStatus>> {
  /** The controller name: crash points and the drift metric carry it. */
  kind: string;
  resource: ResourceType;
  /** The kind's zod schema (defaults applied); a mismatch is logged and not retried. */
  parse(raw: unknown): { success: true; data: TObject } | { success: false; error: { issues: { path: PropertyKey[] }[] } };
  /** The finalizer of the shared addFinalizer/dropFinalizer steps. */
  finalizer: string;
  /** The key Secrets of the shared deleteKeySecret step (pair kinds). */
  keySecrets?: PairingKeySecrets;
  /** First observation of an object the shell has no plan for yet, or whose spec changed. */
  freshnessOnSpecChange: Freshness;
  /** Runs the whole reconcile under a lock (ClusterPair: side A's pairing lock). */
  serialize?(object: TObject, run: () => Promise<ReconcileResult>): Promise<ReconcileResult>;
  observe(object: TObject, needs: ObserveNeeds): Promise<TInput>;
  plan(input: TInput): TPlan;
  /** Runs a step that is not one of the shared ones. */
  execute(step: Exclude<TStep, { kind: SharedStepKind }>, run: StepRun<TObject, TInput, TPlan>): Promise<StepOutcome | void>;
  /** Before the step: side effects the plan asks for that are not a step (ElementCluster: connection usability). */
  beforeStep?(object: TObject, plan: TPlan): void;
  /** After the status write (metrics, nudging dependents). */
  afterStatus?(object: TObject, plan: TPlan, status: TStatus): void;
  /** The object is gone (metrics). */
  forget?(key: string): void;
}

export interface ReconcileLoopDeps {
  kube: KubeClient;
  events: { record(event: EventRecord): void };
  pollIntervalMs: number;
  /** Wall clock (tests). */
  now?: () => Date;
  /** elementrepl_drift_corrections_total and elementrepl_resource_condition; optional. */
  metrics?: ShellMetrics | undefined;
}

/** What the shell counts (src/observability/metrics.ts OperatorMetrics has both); a kind passes what it feeds. */
export interface ShellMetrics {
  driftCorrected?(kind: string): void;
  /** The object's conditions after each status write; undefined when the object is gone. */
  setResourceConditions?(kind: string, namespace: string, name: string, conditions: readonly { type: string; status: string }[] | undefined): void;
}

function conditionsOf(status: unknown): readonly { type: string; status: string }[] {
  return (status as { conditions?: readonly { type: string; status: string }[] } | undefined)?.conditions ?? [];
}

/** What the shell remembers of an object between reconciles (lost on restart, which is safe). */
interface Memory {
  /** Own last mutation generation per ElementCluster. */
  own: Map<string, number>;
  /** The last plan's nextObservation, for that generation. */
  next?: { generation: number | undefined; freshness: Freshness };
}

function isDeleting(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

function actionOf(step: PlannedStep): string {
  return step.kind === 'none' ? 'Observe' : step.kind.charAt(0).toUpperCase() + step.kind.slice(1);
}

export class ReconcileLoop<TObject extends KubeObject & { status?: unknown }, TInput, TStep extends PlannedStep, TStatus, TPlan extends Plan<TStep, TStatus> = Plan<TStep, TStatus>>
  implements Reconciler
{
  readonly #kind: KindShell<TObject, TInput, TStep, TStatus, TPlan>;
  readonly #deps: ReconcileLoopDeps;
  readonly #memory = new Map<string, Memory>();

  constructor(kind: KindShell<TObject, TInput, TStep, TStatus, TPlan>, deps: ReconcileLoopDeps) {
    this.#kind = kind;
    this.#deps = deps;
  }

  async reconcile(request: ReconcileRequest, ctx: ReconcileContext): Promise<ReconcileResult> {
    const key = requestKey(request);
    // Read from the API server, not the informer: the intent just written must be seen.
    const raw = await this.#deps.kube.get(this.#kind.resource, request.name, request.namespace);
    if (!raw) {
      this.#forget(key);
      return;
    }
    const parsed = this.#kind.parse(raw);
    if (!parsed.success) {
      // The CRD schema keeps this from happening; if it does, a requeue would not fix it: say so in status.
      const fields = parsed.error.issues.map((i) => i.path.join('.'));
      ctx.log.warn({ issues: fields }, `${this.#kind.kind} does not match its schema`);
      const status = invalidSpecStatus(raw, fields, this.#deps.now?.() ?? new Date());
      await this.#writeStatus(raw as TObject, status as TStatus);
      this.#recordConditions(request, status);
      return;
    }
    const object = parsed.data;
    const run = () => this.#reconcile(object, key, ctx);
    return this.#kind.serialize ? this.#kind.serialize(object, run) : run();
  }

  #forget(key: string): void {
    this.#memory.delete(key);
    this.#kind.forget?.(key);
    this.#recordConditions(parseKey(key), undefined);
  }

  /** elementrepl_resource_condition follows the status the shell wrote (or kept); undefined removes it. */
  #recordConditions(request: ReconcileRequest, status: unknown): void {
    this.#deps.metrics?.setResourceConditions?.(this.#kind.kind, request.namespace ?? '', request.name, status === undefined ? undefined : conditionsOf(status));
  }

  #needs(object: TObject, memory: Memory, fresh: boolean): ObserveNeeds {
    const planned = memory.next;
    const freshness: Freshness = fresh
      ? 'now'
      : planned !== undefined && planned.generation === object.metadata.generation
        ? planned.freshness
        : this.#kind.freshnessOnSpecChange;
    return { freshness, ownGeneration: (cluster) => memory.own.get(cluster) ?? 0 };
  }

  async #reconcile(object: TObject, key: string, ctx: ReconcileContext): Promise<ReconcileResult> {
    const kind = this.#kind;
    const memory = this.#memory.get(key) ?? { own: new Map<string, number>() };
    this.#memory.set(key, memory);

    let input = await kind.observe(object, this.#needs(object, memory, false));
    let plan = kind.plan(input);
    if (plan.replanOnFreshLists) {
      // Never start or remove a pair on the strength of a cached list (it may be up to a poll
      // old and miss a change made by hand a moment ago): decide again on lists that start now.
      input = await kind.observe(object, this.#needs(object, memory, true));
      plan = kind.plan(input);
    }
    const { step } = plan;
    if (step.kind !== 'none') ctx.log.info({ step: step.kind }, 'executing step');
    kind.beforeStep?.(object, plan);

    let failure: unknown;
    let outcome: StepOutcome = {};
    try {
      outcome = (await this.#execute(plan, object, input, memory)) ?? {};
    } catch (error) {
      failure = error;
    }
    const ran = failure === undefined && outcome.waiting === undefined;
    if (ran && step.kind === 'dropFinalizer' && isDeleting(object)) {
      // The object is going away: nothing is left to write a status to.
      this.#emit(object, step, [...plan.statusEvents, ...plan.stepEvents]);
      this.#forget(key);
      return;
    }
    const statusOnly = STATUS_ONLY_STEP_KINDS.has(step.kind);
    if (ran && step.kind !== 'none' && !statusOnly) crashAfter(step.kind, kind.kind);

    const status =
      failure !== undefined
        ? withReadyNote(plan.status, `last step ${step.kind} failed: ${describeFailure(failure)}`)
        : outcome.waiting !== undefined
          ? withReadyNote(plan.status, outcome.waiting)
          : plan.status;
    const written = await this.#writeStatus(object, status);
    if (written) {
      // Routine polls only move timestamps: those at debug; a change worth an Event at info.
      const ready = (status as { conditions?: readonly { type: string; status: string; reason: string }[] } | undefined)?.conditions?.find((c) => c.type === 'Ready');
      ctx.log[plan.statusEvents.length > 0 ? 'info' : 'debug']({ ready: ready?.status, reason: ready?.reason }, `${kind.kind} status updated`);
    }
    kind.afterStatus?.(object, plan, status);
    this.#recordConditions(object.metadata, status);
    if (ran && statusOnly) crashAfter(step.kind, kind.kind);
    this.#emit(object, step, plan.statusEvents);

    if (failure !== undefined) {
      const message = `${step.kind} failed: ${describeFailure(failure)}`;
      ctx.log.warn({ step: step.kind, error: describeFailure(failure) }, 'step failed');
      this.#emit(object, step, [{ type: 'Warning', reason: EventReason.StepFailed, message }]);
      // The per-key backoff paces the retry, and the next reconcile observes afresh before anything
      // else (an unknown outcome included: the mutation moved the generations it must read past).
      // Kubernetes errors go as they are (a 409 is not counted as an error); anything else is
      // replaced by its safe description.
      if (isKubeApiError(failure)) throw failure;
      throw new Error(message);
    }
    if (outcome.waiting !== undefined) {
      ctx.log.info({ step: step.kind, reason: outcome.waiting }, 'step must wait');
      memory.next = { generation: object.metadata.generation, freshness: 'recent' };
      return requeueResult('soon', this.#deps.pollIntervalMs);
    }
    this.#emit(object, step, plan.stepEvents);
    if (plan.correctsDrift) this.#deps.metrics?.driftCorrected?.(kind.kind);
    memory.next = { generation: object.metadata.generation, freshness: plan.nextObservation };
    return requeueResult(plan.requeue, this.#deps.pollIntervalMs);
  }

  /** The shared steps run here; the kind runs its own. */
  async #execute(plan: TPlan, object: TObject, input: TInput, memory: Memory): Promise<StepOutcome | void> {
    const kind = this.#kind;
    const { step } = plan;
    if (!isSharedStep(step)) {
      return kind.execute(step as Exclude<TStep, { kind: SharedStepKind }>, { object, input, plan, mutated: (cluster, generation) => memory.own.set(cluster, generation) });
    }
    switch (step.kind) {
      case 'none':
      case 'writeIntent':
      case 'clearIntent':
        return; // the status write is the step
      case 'addFinalizer':
        await ensureFinalizer(this.#deps.kube, kind.resource, object, kind.finalizer);
        return;
      case 'dropFinalizer':
        await removeFinalizer(this.#deps.kube, kind.resource, object, kind.finalizer);
        return;
      case 'deleteKeySecret':
        if (!kind.keySecrets) throw new Error(`${kind.kind} has no key Secrets`);
        await kind.keySecrets.delete(keyOwner(object));
        return;
    }
  }

  /** True when a patch was sent. */
  async #writeStatus(object: TObject, status: TStatus): Promise<boolean> {
    const patch = statusPatch(object.status, status);
    if (patch === undefined) return false;
    try {
      await this.#deps.kube.patchStatus(this.#kind.resource, object.metadata.name, patch, { namespace: object.metadata.namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return true;
  }

  #emit(object: TObject, step: PlannedStep, events: readonly PlannedEvent[]): void {
    const regarding = objectReference(object);
    for (const event of events) {
      this.#deps.events.record({ regarding, type: event.type, reason: event.reason, action: event.action ?? actionOf(step), note: event.message });
    }
  }
}
