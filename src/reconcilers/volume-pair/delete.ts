// Step 9: deletion. With Delete, remove our pair on both owned volumes (a missing volume or pair
// is success) before the finalizer goes; never touch a pair this VolumePair cannot attribute.
// Orphan leaves Element alone except a pending pair we started (useless without its key);
// Observe never touches Element. `force-delete` drops the finalizer without Element calls.
import { stateOf } from './analyze.ts';
import { resolveSide } from './resolve.ts';
import type { ObservedVolume, ObservedVolumePair, Side, Step } from './types.ts';
import { FORCE_DELETE_ANNOTATION } from '../../api/index.ts';
import type { Ctx, Verdict } from './verdict.ts';
import { unknownUpToDate } from './verdict.ts';

const SIDES: readonly Side[] = ['A', 'B'];

function deleting(ctx: Ctx, step: Step, message: string, requeue: Verdict['requeue'] = 'immediate'): Verdict {
  return {
    step,
    ready: { status: 'False', reason: 'Deleting', message },
    upToDate: unknownUpToDate('Deleting', 'deleting'),
    events: [],
    requeue,
    intent: ctx.intent,
    observation: {},
  };
}

function finish(ctx: Ctx, message: string): Verdict {
  if (ctx.input.keySecretExists) return deleting(ctx, { kind: 'deleteKeySecret', why: 'deleting' }, message);
  return deleting(ctx, { kind: 'dropFinalizer' }, message);
}

/** A pair on an owned volume that this VolumePair made, adopted, or started. */
function ours(ctx: Ctx, pair: ObservedVolumePair, volume: ObservedVolume, side: Side, otherID: number | undefined, pendingOnly: boolean): boolean {
  if (stateOf(pair) === 'Unconfigured') return ctx.intent?.sourceVolumeID === volume.volumeID;
  if (pendingOnly) return false;
  if (ctx.vp.status.volumePairUUID !== undefined && pair.volumePairUUID === ctx.vp.status.volumePairUUID) return true;
  const ids = ctx.input.clusterPair?.clusterPairIDs;
  return otherID !== undefined && pair.remoteVolumeID === otherID && ids !== undefined && pair.clusterPairID === ids[side];
}

export function planDeletion(ctx: Ctx): Verdict {
  const { vp } = ctx;
  if (!vp.hasFinalizer) return deleting(ctx, { kind: 'none' }, 'waiting for the API server to delete the object', 'poll');
  if (vp.annotations[FORCE_DELETE_ANNOTATION] === 'true') {
    const verdict = finish(ctx, 'force-delete: leaving Element untouched');
    if (verdict.step.kind === 'dropFinalizer') {
      verdict.step = {
        kind: 'dropFinalizer',
        event: { type: 'Warning', reason: 'ForceDeleted', message: 'finalizer removed without Element calls (force-delete); volume pairs may be left on Element' },
      };
    }
    return verdict;
  }
  if (!ctx.manage) return finish(ctx, 'observing only: Element is left untouched');
  const pendingOnly = ctx.spec.deletionPolicy === 'Orphan';
  const owned = { A: vp.status.sideA?.volumeID, B: vp.status.sideB?.volumeID };
  for (const side of SIDES) {
    const ownedID = owned[side];
    if (ownedID === undefined) continue;
    const resolution = resolveSide(side, { volumeID: ownedID }, ownedID, ctx.input.sides[side]);
    if (resolution.kind === 'unreachable') {
      return deleting(ctx, { kind: 'none' }, `cannot remove the volume pair yet: ${resolution.message}`, 'soon');
    }
    if (resolution.kind !== 'resolved') continue; // the volume is gone: nothing left to remove
    const volume = resolution.volume;
    const otherID = owned[side === 'A' ? 'B' : 'A'];
    const pair = (volume.volumePairs ?? []).find((p) => ours(ctx, p, volume, side, otherID, pendingOnly));
    if (pair === undefined) continue;
    const message = `removing volume pair ${pair.volumePairUUID} from volume ${volume.volumeID} (side ${side})`;
    return deleting(ctx, {
      kind: 'removeVolumePair', side, volumeID: volume.volumeID, volumePairUUID: pair.volumePairUUID, why: 'deletion',
      event: { type: 'Normal', reason: 'VolumePairRemoved', message },
    }, message);
  }
  return finish(ctx, pendingOnly ? 'deletionPolicy Orphan: the volume pair stays on Element' : 'volume pair removed from both clusters');
}
