// Volume growth on an established pair (DESIGN §9, element-api.md §3.5a): Element pauses a pair
// with PausedVolumeSizeMismatch when the source outgrows the target, and may stay paused after the
// target catches up. With targetSizePolicy Grow the target follows the source (one ModifyVolume per
// growth, never shrinking), then a pause that outlived the mismatch is lifted on the source —
// unless spec.paused asks for a pause. Manual leaves sizes to people and only reports them.
import { EventReason } from '../../api/event-reasons.ts';
import { ReplicationState } from '../../element/states.ts';
import type { Roles } from './plan-attribution.ts';
import type { Health } from './plan-health.ts';
import type { PlannedEvent, Step, VolumePairView } from './plan-types.ts';

const MIB = 1024 * 1024;

/** Element sizes volumes in whole MiB (rounding up): asking for exactly that makes the result predictable. */
export function wholeMiB(bytes: number): number {
  return Math.ceil(bytes / MIB) * MIB;
}

/** A size difference the operator fixes: what differs from the spec, the step, its Event. */
export interface SizeFix {
  drift: string;
  step: Step;
  event: PlannedEvent;
}

type Spec = Pick<VolumePairView['spec'], 'paused' | 'targetSizePolicy'>;

export function sizesOf({ source, target }: Roles): string {
  return `source volume ${source.volumeID} has ${source.totalSize} bytes, target volume ${target.volumeID} has ${target.totalSize} bytes`;
}

const showsSizeMismatch = (states: readonly (string | undefined)[]): boolean => states.includes(ReplicationState.PausedVolumeSizeMismatch);

/**
 * The next size step for an established pair with the right direction, if any: grow a target
 * smaller than its source (Grow only), else resume a pair still paused for a mismatch that is
 * over (either policy: the target is large enough, however it got there; never while spec.paused,
 * since the resume would lift the requested pause too).
 */
export function sizeFix(spec: Spec, roles: Roles, states: readonly (string | undefined)[]): SizeFix | undefined {
  const { source, target, sourceSide, targetSide } = roles;
  if (target.totalSize < source.totalSize) {
    if (spec.targetSizePolicy !== 'Grow') return undefined;
    const totalSize = wholeMiB(source.totalSize);
    return {
      drift: `target volume ${target.volumeID} has ${target.totalSize} bytes, less than source volume ${source.volumeID} (${source.totalSize} bytes)`,
      step: { kind: 'growVolume', side: targetSide, volumeID: target.volumeID, totalSize },
      event: {
        type: 'Normal',
        reason: EventReason.TargetGrown,
        message: `target volume ${target.volumeID} grown from ${target.totalSize} to ${totalSize} bytes to follow source volume ${source.volumeID} (${source.totalSize} bytes)`,
      },
    };
  }
  if (!showsSizeMismatch(states) || spec.paused) return undefined;
  return {
    drift: `replication is paused with ${ReplicationState.PausedVolumeSizeMismatch} although the target is large enough (${sizesOf(roles)}), spec says running`,
    // element-api.md §3.4: ModifyVolumePair is set on the source volume.
    step: { kind: 'modifyVolumePair', side: sourceSide, volumeID: source.volumeID, change: { pausedManual: false } },
    event: { type: 'Normal', reason: EventReason.ReplicationResumed, message: `replication resumed after the target grew (${sizesOf(roles)})` },
  };
}

/**
 * Health with the sizes behind a size mismatch: a Degraded message that names both sizes and what
 * to do; a mismatch that is over while spec.paused holds is the requested pause. (With Grow and
 * Manage the target is being grown and the planner reports Syncing instead.)
 */
export function sizeAwareHealth(health: Health, spec: Spec, roles: Roles): Health {
  if (health.kind !== 'degraded' || health.reason !== ReplicationState.PausedVolumeSizeMismatch) return health;
  const { source, target } = roles;
  if (target.totalSize >= source.totalSize) {
    if (spec.paused) {
      return { kind: 'paused', message: `replication paused as requested; Element still shows ${ReplicationState.PausedVolumeSizeMismatch} although the target is large enough (${sizesOf(roles)}): paused: false resumes it` };
    }
    return { ...health, message: `${health.message}; the target is large enough (${sizesOf(roles)})` };
  }
  const why = spec.targetSizePolicy === 'Manual' ? 'targetSizePolicy is Manual' : 'observing only';
  const todo = `grow target volume ${target.volumeID} to at least ${source.totalSize} bytes (${why})`;
  return { ...health, message: `${health.message}: ${sizesOf(roles)}; ${todo}` };
}
