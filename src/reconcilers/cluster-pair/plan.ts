// The ClusterPair planner: pure, synchronous, deterministic. From what the shell read (resource,
// ElementClusters, Element listings, key Secret) it picks the single next step, the status to
// write, the Events and when to look again (DESIGN §3). No I/O here; `now` comes in.
import { PAUSED_ANNOTATION, pausedKstatusConditions } from '../../api/index.ts';
import {
  NONE,
  annotationTrue,
  decision,
  describeCluster,
  listed,
  match,
  matchedFields,
  previousFields,
} from './plan-decision.ts';
import type { Decision } from './plan-decision.ts';
import type { PairMatch } from './plan-match.ts';
import { planIdentityUnknown, unidentifiedHalves } from './plan-identity.ts';
import { interruptedPairingNote, recordingPendingPair, releasingKey } from './plan-interrupted.ts';
import { isForceDelete, planDeletion, planForceDelete } from './plan-delete.ts';
import { planManage, planPaired } from './plan-manage.ts';
import { drifted, nextStatus, notReady, stalled, upToDateUnknown } from './plan-status.ts';
import { plan } from '../shell/plan.ts';
import type { Freshness } from '../shell/plan.ts';
import type { ClusterPairPlan, ClusterPairPlanInput, ObservedClusterPair, PlannedEvent, Requeue, Step } from './plan-types.ts';

/** Steps that start or remove a pair on Element: planned again on lists that start now before they run. */
const DECISIVE_STEPS: ReadonlySet<Step['kind']> = new Set(['writeIntent', 'startPairing', 'removePendingPair', 'removeHalf']);

function requeueOf(chosen: Decision): Requeue {
  if (chosen.requeue !== undefined) return chosen.requeue;
  const { step, fields } = chosen;
  if (step.kind === 'dropFinalizer') return 'never';
  if (step.kind !== 'none') return 'immediate';
  return fields.connectionStatus === 'Connecting' || fields.connectionStatus === 'Unconfigured' ? 'soon' : 'poll';
}

/** Transitional states are looked at again within seconds, so their lists must be that young. */
function nextObservation(input: ClusterPairPlanInput, fields: Decision['fields']): Freshness {
  return fields.pairing !== undefined || fields.connectionStatus !== 'Connected' || input.pair.deleting ? 'recent' : 'poll';
}

export function planClusterPair(input: ClusterPairPlanInput): ClusterPairPlan {
  const chosen = decide(input);
  const { step, fields } = chosen;
  const desired = { observedGeneration: input.pair.generation, ...fields, ...worseLatency(fields), conditions: chosen.conditions };
  return plan({
    step,
    status: nextStatus(input.pair.status, desired, new Date(input.now)),
    statusEvents: [...chosen.statusEvents, ...findingEvents(input, chosen)],
    stepEvents: chosen.stepEvents,
    requeue: requeueOf(chosen),
    nextObservation: nextObservation(input, fields),
    // A shared list may be up to a poll old and miss an out-of-band change (a pair made or removed
    // by hand a moment ago): a step that starts or removes a pair is decided on lists that start now.
    replanOnFreshLists: DECISIVE_STEPS.has(step.kind),
  });
}

/** The LATENCY(MS) column: a JSONPath cannot take the higher of two fields, so the status carries it. */
function worseLatency(fields: Decision['fields']): { latencyMs?: number } {
  const latencies = [fields.sideA?.latencyMs, fields.sideB?.latencyMs].filter((l): l is number => l !== undefined);
  return latencies.length > 0 ? { latencyMs: Math.max(...latencies) } : {};
}

/** A Warning when Stalled or Degraded turns True or changes reason: once, not at every poll. */
function findingEvents(input: ClusterPairPlanInput, chosen: Decision): PlannedEvent[] {
  const previous = input.pair.status.conditions ?? [];
  return chosen.conditions
    .filter((c) => (c.type === 'Stalled' || c.type === 'Degraded') && c.status === 'True')
    .filter((c) => !previous.some((p) => p.type === c.type && p.status === 'True' && p.reason === c.reason))
    .map((c) => ({ type: 'Warning' as const, reason: c.reason, message: c.message }));
}

function decide(input: ClusterPairPlanInput): Decision {
  const paused = annotationTrue(input, PAUSED_ANNOTATION);
  if (input.pair.deleting) {
    // Force-delete is the way out when a site is lost; it wins over everything, pause included.
    if (isForceDelete(input)) return planForceDelete(input);
    return paused ? planPaused(input) : planDeletion(input);
  }
  if (paused) return planPaused(input);
  const live = planLive(input);
  if (input.pair.managementPolicy === 'Manage' && !input.pair.hasFinalizer) {
    // The finalizer comes before any Element mutation; the observed status is still written, but
    // the intent stays as it was (a new one is written by its own step, after the finalizer).
    const { pairing: _planned, ...observed } = live.fields;
    const pairing = input.pair.status.pairing;
    const fields = pairing ? { ...observed, pairing } : observed;
    const { requeue: _requeue, ...rest } = live;
    return { ...rest, fields, step: { kind: 'addFinalizer' }, stepEvents: [] };
  }
  return live;
}

function planPaused(input: ClusterPairPlanInput): Decision {
  const message = `reconciling is paused by annotation ${PAUSED_ANNOTATION}: "true"; nothing is observed or changed`;
  // Only Ready changes (and kstatus: neither Reconciling nor Stalled): the other conditions keep what
  // was last observed. Deleting our key Secret is the one exception to "nothing changed": it only
  // removes a credential.
  const ready = notReady('ReconcilePaused', message);
  const fields = { ...previousFields(input), ...recordingPendingPair(input) };
  const chosen = { ...decision(NONE, fields, { ready }), conditions: [ready, ...pausedKstatusConditions(message)], requeue: 'never' as const };
  return releasingKey(chosen, input, interruptedPairingNote(input, undefined));
}

function planLive(input: ClusterPairPlanInput): Decision {
  for (const side of ['A', 'B'] as const) {
    const cluster = side === 'A' ? input.clusterA : input.clusterB;
    const why = !cluster.ready
      ? `ElementCluster ${cluster.name} is not Ready${cluster.notReadyReason ? ` (${cluster.notReadyReason})` : ''}`
      : cluster.uniqueID === undefined
        ? `ElementCluster ${cluster.name} has not reported its cluster identity yet`
        : undefined;
    if (why) {
      return decision(NONE, previousFields(input, 'Unknown'), {
        ready: notReady('ClusterNotReady', why),
        upToDate: upToDateUnknown('ClusterNotReady', why),
      });
    }
  }
  if (input.clusterA.uniqueID === input.clusterB.uniqueID) {
    const message = `${input.clusterA.name} and ${input.clusterB.name} are the same Element cluster (uniqueID ${input.clusterA.uniqueID})`;
    return decision(NONE, {}, {
      ready: notReady('SameCluster', message),
      stalled: stalled('SameCluster', message),
      upToDate: upToDateUnknown('SameCluster', 'not compared while stalled'),
    });
  }
  const pairs = listed(input);
  if (!pairs) return planUnobservable(input);
  const m = match(input, true);
  if (!(m?.a && m.b)) {
    const unidentified = unidentifiedHalves(input, pairs);
    if (unidentified.length > 0) return planIdentityUnknown(input, unidentified);
  }
  if (input.pair.managementPolicy === 'Observe') return planObserve(input, pairs.A, m);
  return planManage(input, pairs.A, m);
}

function planUnobservable(input: ClusterPairPlanInput): Decision {
  const failures = (['A', 'B'] as const).flatMap((side) => {
    const listing = side === 'A' ? input.pairsOnA : input.pairsOnB;
    return listing.available ? [] : [`cannot list cluster pairs on ${describeCluster(side, input)}: ${listing.reason}`];
  });
  const message = failures.join('; ');
  return decision(NONE, previousFields(input, 'Unknown'), {
    ready: notReady('ClusterNotReady', message),
    upToDate: upToDateUnknown('ClusterNotReady', message),
  });
}

/** Observe: adopt and report, drift goes to UpToDate; never an Element call (our key Secret is deleted). */
function planObserve(input: ClusterPairPlanInput, pairsA: ObservedClusterPair[], m: PairMatch | undefined): Decision {
  return releasingKey(observed(input, pairsA, m), input, interruptedPairingNote(input, pairsA));
}

function observed(input: ClusterPairPlanInput, pairsA: ObservedClusterPair[], m: PairMatch | undefined): Decision {
  if (m?.a && m.b) return planPaired(input, pairsA, m, 'Observe');
  const keepIntent = input.pair.status.pairing ? { pairing: input.pair.status.pairing } : {};
  if (m) {
    const [has, lacks] = m.a ? (['A', 'B'] as const) : (['B', 'A'] as const);
    const message = `cluster pair ${m.uuid} is listed on ${describeCluster(has, input)} only; ${describeCluster(lacks, input)} removed its half (Observe: not repaired)`;
    return decision(NONE, matchedFields(m, input.pair.status.pairing), { ready: notReady('Disconnected', message), upToDate: drifted(message) });
  }
  const message = `${input.clusterA.name} and ${input.clusterB.name} are not paired on Element (Observe: not creating a pair)`;
  return decision(NONE, keepIntent, { ready: notReady('Drifted', message), upToDate: drifted(message) });
}
