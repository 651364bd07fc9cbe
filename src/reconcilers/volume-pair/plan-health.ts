// How healthy an established pair is, from the raw replication states of both halves
// (element-api.md §2.5). Requested pauses are healthy; pauses nobody asked for are Degraded.
import type { DegradedReason } from '../../api/index.ts';
import { ReplicationState } from '../../element/states.ts';

export type Health =
  | { kind: 'active'; state: string }
  | { kind: 'paused'; message?: string }
  | { kind: 'syncing'; state: string }
  | { kind: 'unrequestedPause'; side: 'source' | 'target' }
  | { kind: 'degraded'; reason: DegradedReason; message: string };

export const MANUAL_PAUSE = ReplicationState.PausedManual;
const MANUAL_PAUSE_REMOTE = ReplicationState.PausedManualRemote;

/** States that need attention even while a manual pause is in place. */
const ALWAYS_DEGRADED = new Set<string>([ReplicationState.StoppedMisconfigured, ReplicationState.PausedVolumeSizeMismatch, ReplicationState.PausedDisconnected]);

/** Named states keep their own reason; any other fault is `Paused` and the message names it. */
function degradedReason(state: string): DegradedReason {
  return state === ReplicationState.StoppedMisconfigured || state === ReplicationState.PausedVolumeSizeMismatch || state === ReplicationState.PausedDisconnected ? state : 'Paused';
}

function isTransitional(state: string): boolean {
  // PausedMisconfigured is what Element shows right after pairing until both roles settle
  // (up to minutes); with the direction already checked it is part of the initial sync.
  return state.startsWith('Resuming') || state === ReplicationState.PausedMisconfigured || state === ReplicationState.Unknown;
}

export function assessHealth(
  sourceState: string | undefined,
  targetState: string | undefined,
  pauseRequested: boolean,
): Health {
  const s = sourceState ?? 'Unknown';
  const t = targetState ?? 'Unknown';
  for (const [state, side] of [[s, 'source'], [t, 'target']] as const) {
    if (ALWAYS_DEGRADED.has(state)) {
      return { kind: 'degraded', reason: degradedReason(state), message: `replication state on the ${side} is ${state}` };
    }
  }
  const manualOnSource = s === MANUAL_PAUSE;
  const manualOnTarget = t === MANUAL_PAUSE;
  if (manualOnSource || manualOnTarget) {
    if (pauseRequested) return { kind: 'paused' };
    return { kind: 'unrequestedPause', side: manualOnSource ? 'source' : 'target' };
  }
  if (s === ReplicationState.Active || s === ReplicationState.Idle) return { kind: 'active', state: s };
  if (isTransitional(s) || s === MANUAL_PAUSE_REMOTE) return { kind: 'syncing', state: s };
  if (s.startsWith('Paused') || s.startsWith('Stopped')) {
    return { kind: 'degraded', reason: degradedReason(s), message: `replication state on the source is ${s}` };
  }
  return { kind: 'syncing', state: s };
}
