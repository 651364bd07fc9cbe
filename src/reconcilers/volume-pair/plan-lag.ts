// Replication lag and sync progress of an established pair (DESIGN §9), from what the shell read:
// the source's asyncDelay (ListVolumeStats), its sync job (ListSyncJobs) and the last sync known.
// Pure: the metric takes the lag of every poll; status takes it at most every LAG_STATUS_REFRESH_MS
// or when it crosses the warning threshold, so status writes do not grow with N per poll.
import { EventReason, kubeTime } from '../../api/index.ts';
import type { VolumePairStatus, VolumePairSync } from '../../api/index.ts';
import type { PlanInput, PlannedEvent, ReplicationReading } from './plan-types.ts';

/** How often status.lastSyncTime / replicationLagSeconds follow the lag when nothing crosses the threshold. */
export const LAG_STATUS_REFRESH_MS = 5 * 60_000;

export interface LagNow {
  /** When the source was last synced (ISO, millisecond precision). */
  lastSyncTime: string;
  /** Seconds from then to the planner's `now`. */
  seconds: number;
}

const ms = (iso: string): number => Date.parse(iso);

/**
 * The lag now. A readable asyncDelay dates the last sync (read time minus the delay). Without one
 * (null, unreadable, the source not answering, the volume not yet in a poll's stats) the last
 * known sync stands and the lag grows with the clock: an outage never reads as "in sync".
 * Undefined when no sync was ever known.
 */
export function currentLag(reading: ReplicationReading | undefined, statusLastSync: string | undefined, now: string): LagNow | undefined {
  let nowMs = ms(now);
  let lastSync: number | undefined;
  if (reading?.asyncDelaySeconds !== undefined && reading.readAt !== undefined) {
    const readAt = ms(reading.readAt);
    lastSync = readAt - reading.asyncDelaySeconds * 1000;
    // `now` has second precision and may fall just before the read: the lag is never below what was read.
    nowMs = Math.max(nowMs, readAt);
  } else {
    const known = [reading?.lastKnownSync, statusLastSync].filter((t): t is string => t !== undefined).map(ms);
    if (known.length > 0) lastSync = Math.max(...known);
  }
  if (lastSync === undefined || !Number.isFinite(lastSync)) return undefined;
  return { lastSyncTime: new Date(lastSync).toISOString(), seconds: Math.max(0, (nowMs - lastSync) / 1000) };
}

const above = (seconds: number | undefined, threshold: number): boolean => seconds !== undefined && seconds > threshold;

export interface LagStatus {
  fields: Pick<VolumePairStatus, 'lastSyncTime' | 'replicationLagSeconds'>;
  events: PlannedEvent[];
}

/** The status fields for this lag: the previous ones until a refresh is due. */
export function lagStatus(prev: VolumePairStatus, lag: LagNow | undefined, now: string, thresholdSeconds: number): LagStatus {
  if (lag === undefined) return { fields: { lastSyncTime: undefined, replicationLagSeconds: undefined }, events: [] };
  const fresh = { lastSyncTime: kubeTime(new Date(lag.lastSyncTime)), replicationLagSeconds: Math.floor(lag.seconds) };
  const previous = prev.replicationLagSeconds;
  const crossed = above(previous, thresholdSeconds) !== above(lag.seconds, thresholdSeconds);
  // The previous write's time is its lastSyncTime plus its lag.
  const writtenAt = prev.lastSyncTime === undefined || previous === undefined ? undefined : ms(prev.lastSyncTime) + previous * 1000;
  const due = writtenAt === undefined || ms(now) - writtenAt >= LAG_STATUS_REFRESH_MS || crossed;
  if (!due) return { fields: { lastSyncTime: prev.lastSyncTime, replicationLagSeconds: previous }, events: [] };
  const events: PlannedEvent[] = [];
  if (crossed && above(lag.seconds, thresholdSeconds)) {
    events.push({ type: 'Warning', reason: EventReason.ReplicationLagging, message: `replication lag ${fresh.replicationLagSeconds}s is above the warning threshold of ${thresholdSeconds}s (last sync ${fresh.lastSyncTime})`, action: 'ObserveLag' });
  } else if (crossed && previous !== undefined) {
    events.push({ type: 'Normal', reason: EventReason.ReplicationCaughtUp, message: `replication lag ${fresh.replicationLagSeconds}s is back under the warning threshold of ${thresholdSeconds}s`, action: 'ObserveLag' });
  }
  return { fields: fresh, events };
}

/** status.sync while the pair is Syncing: the job's progress, else what was shown last. */
export function syncStatus(prev: VolumePairStatus, reading: ReplicationReading | undefined, syncing: boolean): VolumePairSync | undefined {
  if (!syncing) return undefined;
  const job = reading?.syncJob;
  if (job === undefined) return prev.sync;
  const sync: VolumePairSync = {};
  if (job.percentComplete !== undefined) sync.percentComplete = Math.min(100, Math.max(0, job.percentComplete));
  if (job.remainingSeconds !== undefined) sync.remainingSeconds = Math.max(0, Math.round(job.remainingSeconds));
  return sync;
}

/** Default of --lag-warning-threshold. */
export const DEFAULT_LAG_WARNING_THRESHOLD_SECONDS = 300;

export interface ReplicationHealth {
  status: VolumePairStatus;
  lag: LagNow | undefined;
  events: PlannedEvent[];
}

/**
 * Lag and sync progress folded into the status the decision built. Only a pair Element showed
 * (or, while a side cannot be read, the one status last recorded) has a lag; none while deleting.
 */
export function withReplicationHealth(prev: VolumePairStatus, status: VolumePairStatus, input: PlanInput, deleting: boolean): ReplicationHealth {
  const paired = !deleting && status.volumePairUUID !== undefined;
  const lag = paired ? currentLag(input.replication, prev.lastSyncTime, input.now) : undefined;
  const threshold = input.lagWarningThresholdSeconds ?? DEFAULT_LAG_WARNING_THRESHOLD_SECONDS;
  const { fields, events } = lagStatus(prev, lag, input.now, threshold);
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  const syncing = paired && ready?.status === 'False' && ready.reason === 'Syncing';
  return { status: { ...status, ...fields, sync: syncStatus(prev, input.replication, syncing) }, lag, events };
}
