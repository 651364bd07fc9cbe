// Step 5: checks that must pass before any mutation that makes a new pair. They protect data:
// a target receives the source's blocks, so it must be big enough, have the same sector
// emulation, and (under RequireUnused) never have been written by anyone.
import type { StalledReason } from '../../api/index.ts';
import type { ObservedVolume } from './plan-types.ts';
import { VolumeAccessMode } from '../../element/states.ts';

export interface Blocker {
  reason: StalledReason;
  message: string;
}

function isEmpty(value: string | null | undefined): boolean {
  return value === undefined || value === null || value === '';
}

export function checkSource(source: ObservedVolume): Blocker | undefined {
  if (source.access === VolumeAccessMode.ReplicationTarget || source.access === VolumeAccessMode.SnapMirrorTarget) {
    return {
      reason: 'InvalidSpec',
      message: `source volume ${source.volumeID} has access ${source.access}; the primarySide volume must be the read/write one`,
    };
  }
  return undefined;
}

export function checkTarget(
  source: ObservedVolume,
  target: ObservedVolume,
  targetPolicy: 'RequireUnused' | 'Overwrite',
): Blocker | undefined {
  if (target.totalSize < source.totalSize) {
    return {
      reason: 'TargetTooSmall',
      message: `target volume ${target.volumeID} has ${target.totalSize} bytes, less than source volume ${source.volumeID} (${source.totalSize} bytes)`,
    };
  }
  if (target.enable512e !== source.enable512e) {
    return {
      reason: 'BlockSizeMismatch',
      message: `target volume ${target.volumeID} has enable512e=${target.enable512e}, source volume ${source.volumeID} has enable512e=${source.enable512e}; they must match`,
    };
  }
  if (targetPolicy === 'RequireUnused' && target.access !== VolumeAccessMode.ReplicationTarget && !isEmpty(target.lastAccessTime)) {
    return {
      reason: 'TargetInUse',
      message: `target volume ${target.volumeID} was accessed at ${target.lastAccessTime ?? ''} and is not a replicationTarget; pairing would overwrite it (set targetPolicy: Overwrite to allow)`,
    };
  }
  return undefined;
}
