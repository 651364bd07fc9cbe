// The one plan every planner returns (DESIGN §3): what to write, what to announce, the one step,
// and when and how to look again. Pure data; the shell (reconcile-loop.ts) applies it.
import type { AnyEventReason } from '../../api/index.ts';

/**
 * When to reconcile again: `immediate` right after a step, `soon` in a transitional state,
 * `poll` at the poll interval, `backoff` with the queue's per-key backoff (something outside
 * may heal), `never` until a watch event. Mapped to times in one place: requeue.ts.
 */
export type Requeue = 'immediate' | 'soon' | 'poll' | 'backoff' | 'never';

/**
 * How old the Element lists of the next observation may be: `now` (started after the decision),
 * `recent` (a transitional state looked at again within seconds), `poll` (a poll interval).
 */
export type Freshness = 'now' | 'recent' | 'poll';

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: AnyEventReason;
  message: string;
  /** What the operator was doing (events.k8s.io `action`); default: the step, in UpperCamelCase. */
  action?: string;
}

/** Step kinds every kind shares; the shell runs them itself. */
export const SHARED_STEP_KINDS = ['none', 'addFinalizer', 'dropFinalizer', 'writeIntent', 'clearIntent', 'deleteKeySecret'] as const;
export type SharedStepKind = (typeof SHARED_STEP_KINDS)[number];

export function isSharedStep<T extends PlannedStep>(step: T): step is Extract<T, { kind: SharedStepKind }> {
  return (SHARED_STEP_KINDS as readonly string[]).includes(step.kind);
}

/** Steps whose effect is the status write itself (the intent recorded or cleared). */
export const STATUS_ONLY_STEP_KINDS: ReadonlySet<string> = new Set(['writeIntent', 'clearIntent']);

export interface PlannedStep {
  kind: string;
}

export interface Plan<TStep extends PlannedStep, TStatus> {
  /** The one step of this reconcile (`none`: observe and report only). */
  step: TStep;
  /** The whole status to store; the shell writes the difference as a merge patch. */
  status: TStatus;
  /** Tied to what the status records (adopted, paired, a new finding): emitted after the status write. */
  statusEvents: PlannedEvent[];
  /** Tied to the step (removed, resumed, force-deleted): emitted only after the step succeeded. */
  stepEvents: PlannedEvent[];
  requeue: Requeue;
  /** How fresh the lists of the next observation must be. */
  nextObservation: Freshness;
  /** The step starts or removes a pair: decide again on lists that start now before running it. */
  replanOnFreshLists: boolean;
  /** The step puts Element back to a spec it already matched (elementrepl_drift_corrections_total). */
  correctsDrift: boolean;
}

/** Defaults for the fields most plans leave alone. */
export function plan<TStep extends PlannedStep, TStatus>(
  fields: Pick<Plan<TStep, TStatus>, 'step' | 'status' | 'requeue'> & Partial<Plan<TStep, TStatus>>,
): Plan<TStep, TStatus> {
  return {
    statusEvents: [],
    stepEvents: [],
    nextObservation: 'poll',
    replanOnFreshLists: false,
    correctsDrift: false,
    ...fields,
  };
}

/** Every Event of a plan, in the order the shell emits them (tests, dry runs). */
export function allEvents(p: Pick<Plan<PlannedStep, unknown>, 'statusEvents' | 'stepEvents'>): PlannedEvent[] {
  return [...p.statusEvents, ...p.stepEvents];
}
