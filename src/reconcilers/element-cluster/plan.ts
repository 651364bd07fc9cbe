// The ElementCluster planner: pure and synchronous. Given the resource, which ClusterPairs use it
// and what the shell observed (Secrets, a probe of the MVIP), it decides the status, the in-use
// finalizer, whether dependents may use the connection, the Events and when to look again.
// Identity (plan-identity.ts): the first cluster seen is recorded; an MVIP that later answers as
// another cluster makes the resource Ready=False/IdentityMismatch and unusable, so nothing is
// mutated through it; a second ElementCluster for one Element cluster is DuplicateCluster.
import { isAnnotationTrue, PAUSED_ANNOTATION } from '../../api/annotations.ts';
import { kubeTime } from '../../api/common.ts';
import { getCondition, setCondition, type Condition, type ConditionInput, type ConditionReason } from '../../api/conditions.ts';
import { kstatusReading, pausedKstatusConditions, reconcilingCondition } from '../../api/kstatus.ts';
import { plan } from '../shell/plan.ts';
import type { Plan, PlannedEvent, Requeue } from '../shell/plan.ts';
import type { ElementCluster, ElementClusterStatus } from '../../api/element-cluster.ts';
import { hasFinalizer, IN_USE_FINALIZER } from '../../api/finalizers.ts';
import { EventReason } from '../../api/event-reasons.ts';
import { identityMismatch, olderAlias, type OtherElementCluster } from './plan-identity.ts';

export type { OtherElementCluster } from './plan-identity.ts';

export type AccessProblem = { reason: 'SecretNotFound' | 'SecretForbidden' | 'SecretNotAllowed'; message: string };

export type ProbeFailureReason = 'AuthFailed' | 'Unreachable' | 'TLSError' | 'UnsupportedVersion';

export type ProbeOutcome =
  | {
      kind: 'connected';
      clusterName: string;
      uniqueID: string;
      uuid?: string | undefined;
      /** The cluster's own MVIP as GetClusterInfo reports it. */
      mvip?: string | undefined;
      elementVersion?: string | undefined;
      apiVersion: string;
    }
  | { kind: 'failed'; reason: ProbeFailureReason; message: string };

export type Observation =
  /** Not contacted: paused, or being deleted with nobody using it. */
  | { kind: 'skipped' }
  | { kind: 'accessProblem'; problem: AccessProblem }
  | { kind: 'probed'; outcome: ProbeOutcome };

export interface ElementClusterPlanInput {
  cluster: ElementCluster;
  /** Names of the ClusterPairs that reference this ElementCluster. */
  usedBy: readonly string[];
  /** Every other ElementCluster with its recorded clusterUniqueID (aliases are DuplicateCluster). */
  others: readonly OtherElementCluster[];
  observation: Observation;
  /** Whether the in-memory connection was usable before this reconcile (false after a restart). */
  connectionUsable: boolean;
  now: Date;
}

export type ElementClusterStep = { kind: 'none' } | { kind: 'addFinalizer' } | { kind: 'dropFinalizer' };

/** The one plan shape of every kind, plus what this kind decides about the connection. */
export interface ElementClusterPlan extends Plan<ElementClusterStep, ElementClusterStatus | undefined> {
  /** Dependents may call Element through this cluster's connection. */
  usable: boolean;
  /** Close the connection: the resource is going away. */
  disconnect: boolean;
  /** The connection just became usable: re-queue the ClusterPairs that use it at once. */
  requeueDependents: boolean;
}

export function isPausedCluster(cluster: ElementCluster): boolean {
  return isAnnotationTrue(cluster.metadata, PAUSED_ANNOTATION);
}

/** Whether the shell should read the Secrets and probe the MVIP before planning. */
export function needsElement(cluster: ElementCluster, usedBy: readonly string[]): boolean {
  if (isPausedCluster(cluster)) return false;
  return !cluster.metadata.deletionTimestamp || usedBy.length > 0;
}

export function planElementCluster(input: ElementClusterPlanInput): ElementClusterPlan {
  const { cluster, usedBy, others, observation, now, connectionUsable } = input;
  const deleting = Boolean(cluster.metadata.deletionTimestamp);
  const paused = isPausedCluster(cluster);
  const inUse = usedBy.length > 0;
  const hasOurs = hasFinalizer(cluster.metadata, IN_USE_FINALIZER);
  // Adding protects dependents even while paused; removing is cleanup, which a pause holds back.
  const step: ElementClusterStep = { kind: inUse && !hasOurs && !deleting ? 'addFinalizer' : !inUse && hasOurs && !paused ? 'dropFinalizer' : 'none' };

  if (deleting && !inUse && !paused) {
    // The object goes away with the finalizer: nothing to write.
    return { ...plan({ step, status: cluster.status, requeue: 'never' }), usable: false, disconnect: true, requeueDependents: false };
  }

  const previous = cluster.status ?? {};
  const generation = cluster.metadata.generation;
  const outcome = decide(cluster, observation, others, paused, now);
  let status: ElementClusterStatus = { ...previous, ...outcome.fields, observedGeneration: generation };
  let ready = outcome.ready;
  if (deleting && inUse) {
    ready = { type: 'Ready', status: 'False', reason: 'InUse', message: `deletion waits for the ClusterPairs that use it: ${usedBy.join(', ')}` };
  }
  let conditions: Condition[] = setCondition(previous.conditions, ready, generation, now);
  if (outcome.tls) conditions = setCondition(conditions, outcome.tls, generation, now);
  for (const c of kstatusConditions(ready, paused)) conditions = setCondition(conditions, c, generation, now);
  status = { ...status, conditions };

  const events = transitionEvents(previous.conditions, conditions, cluster);
  // While deleting, a usable connection lets ClusterPairs finish their Element cleanup.
  const usable = outcome.usable;
  return {
    ...plan({ step, status, statusEvents: events, requeue: outcome.requeue }),
    usable,
    disconnect: false,
    requeueDependents: usable && !connectionUsable && inUse,
  };
}

/** Reconciling and Stalled from Ready (READY_REASON_KSTATUS): e.g. IdentityMismatch needs a human, Unreachable is retried. */
function kstatusConditions(ready: ConditionInput, paused: boolean): ConditionInput[] {
  if (paused) return pausedKstatusConditions(ready.message);
  const stalled: ConditionInput =
    kstatusReading('ElementCluster', ready) === 'Stalled'
      ? { type: 'Stalled', status: 'True', reason: ready.reason, message: ready.message }
      : { type: 'Stalled', status: 'False', reason: 'NotStalled', message: 'nothing needs a human' };
  return [reconcilingCondition('ElementCluster', ready), stalled];
}

interface Outcome {
  ready: ConditionInput;
  tls?: ConditionInput | undefined;
  fields: Partial<ElementClusterStatus>;
  usable: boolean;
  requeue: Requeue;
}

function decide(cluster: ElementCluster, observation: Observation, others: readonly OtherElementCluster[], paused: boolean, now: Date): Outcome {
  const poll: Requeue = 'poll';
  if (paused || observation.kind === 'skipped') {
    const message = `reconciling is paused by the annotation ${PAUSED_ANNOTATION}; other conditions may be stale`;
    return { ready: { type: 'Ready', status: 'False', reason: 'ReconcilePaused', message }, fields: {}, usable: false, requeue: 'never' };
  }
  if (observation.kind === 'accessProblem') {
    // Secrets in the operator namespace are watched; elsewhere the poll notices a fix.
    const { reason, message } = observation.problem;
    return { ready: { type: 'Ready', status: 'False', reason, message }, fields: {}, usable: false, requeue: poll };
  }
  const probe = observation.outcome;
  if (probe.kind === 'failed') {
    const ready: ConditionInput = { type: 'Ready', status: 'False', reason: probe.reason, message: probe.message };
    const tls: ConditionInput | undefined = probe.reason === 'TLSError' ? { type: 'TLSVerified', status: 'False', reason: 'TLSError', message: probe.message } : undefined;
    // A wrong API version needs a spec change; everything else may heal on its own: back off.
    return { ready, tls, fields: {}, usable: false, requeue: probe.reason === 'UnsupportedVersion' ? poll : 'backoff' };
  }

  const recorded = cluster.status ?? {};
  const mismatch = identityMismatch(cluster.spec.mvip, recorded, probe);
  if (mismatch) return { ready: { type: 'Ready', status: 'False', reason: 'IdentityMismatch', message: mismatch }, fields: {}, usable: false, requeue: poll };

  const fields: Partial<ElementClusterStatus> = {
    clusterName: probe.clusterName,
    clusterUniqueID: probe.uniqueID,
    ...(recorded.clusterUUID ?? probe.uuid ? { clusterUUID: recorded.clusterUUID ?? probe.uuid } : {}),
    ...(probe.mvip ? { clusterMVIP: probe.mvip } : {}),
    ...(probe.elementVersion ? { elementVersion: probe.elementVersion } : {}),
    apiVersion: probe.apiVersion,
    lastContactTime: kubeTime(now),
  };
  const alias = olderAlias(cluster, probe.uniqueID, others);
  if (alias) {
    const message =
      `cluster ${probe.clusterName} (uniqueID ${probe.uniqueID}) is already ElementCluster ${alias.name}; ` +
      `nothing is done through this one: reference ${alias.name} instead and delete this ElementCluster`;
    return { ready: { type: 'Ready', status: 'False', reason: 'DuplicateCluster', message }, fields, usable: false, requeue: poll };
  }
  const version = probe.elementVersion ? `, Element ${probe.elementVersion}` : '';
  const ready: ConditionInput = {
    type: 'Ready',
    status: 'True',
    reason: 'Connected',
    message: `connected to cluster ${probe.clusterName} (uniqueID ${probe.uniqueID}${version}, API ${probe.apiVersion})`,
  };
  return { ready, tls: tlsCondition(cluster), fields, usable: true, requeue: poll };
}

function tlsCondition(cluster: ElementCluster): ConditionInput {
  const tls = cluster.spec.tls;
  if (tls?.pinnedSHA256) {
    return { type: 'TLSVerified', status: 'True', reason: 'CertificatePinned', message: 'the server certificate matched tls.pinnedSHA256' };
  }
  if (tls?.insecureSkipVerify) {
    return { type: 'TLSVerified', status: 'False', reason: 'InsecureSkipVerify', message: 'tls.insecureSkipVerify is set: the server certificate is not checked' };
  }
  const against = tls?.caSecretRef ? `the CA in Secret ${tls.caSecretRef.name}` : 'the system trust store';
  return { type: 'TLSVerified', status: 'True', reason: 'CAVerified', message: `the server certificate was verified against ${against}` };
}

/** Events only when a condition's reason changes: sparing, and never a message with secrets in it. */
function transitionEvents(before: readonly Condition[] | undefined, after: readonly Condition[], cluster: ElementCluster): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const was = getCondition(before, 'Ready');
  const now = getCondition(after, 'Ready');
  if (now && now.reason !== was?.reason) {
    if (now.reason === 'Connected') events.push({ type: 'Normal', reason: EventReason.Connected, action: 'Connect', message: now.message });
    else if (now.reason !== 'ReconcilePaused' && now.reason !== 'InUse') events.push({ type: 'Warning', reason: now.reason as ConditionReason, action: 'Connect', message: now.message });
  }
  const tlsWas = getCondition(before, 'TLSVerified');
  const tlsNow = getCondition(after, 'TLSVerified');
  if (tlsNow?.reason === 'InsecureSkipVerify' && tlsWas?.reason !== 'InsecureSkipVerify') {
    events.push({ type: 'Warning', reason: 'InsecureSkipVerify', action: 'Connect', message: `TLS verification of ${cluster.spec.mvip} is off (tls.insecureSkipVerify)` });
  }
  return events;
}
