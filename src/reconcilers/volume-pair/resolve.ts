// Step 2 of the VolumePair algorithm: which volume a side names, and whether it resolves to
// exactly one live volume. Once resolved, the ID recorded in status is the owned ID; it wins
// over the spec's name, so a renamed volume stays the same side.
import type { ObservedVolume, SideObservation, VolumeRef } from './types.ts';

export type VolumeLookup = { volumeID: number } | { volumeName: string; accountID: number };

export type Resolution =
  | { kind: 'unreachable'; message: string }
  | { kind: 'missing'; message: string }
  | { kind: 'ambiguous'; message: string }
  | { kind: 'resolved'; volume: ObservedVolume };

/** What the shell must look up for a side: the owned ID once known, else the spec's reference. */
export function volumeLookup(ref: VolumeRef, ownedID: number | undefined): VolumeLookup {
  if (ownedID !== undefined) return { volumeID: ownedID };
  return ref;
}

export function describeLookup(lookup: VolumeLookup): string {
  return 'volumeID' in lookup
    ? `volume ${lookup.volumeID}`
    : `volume named "${lookup.volumeName}" in account ${lookup.accountID}`;
}

function isLive(volume: ObservedVolume): boolean {
  if (volume.status === 'deleted') return false;
  return volume.deleteTime === undefined || volume.deleteTime === null || volume.deleteTime === '';
}

function matches(volume: ObservedVolume, lookup: VolumeLookup): boolean {
  if ('volumeID' in lookup) return volume.volumeID === lookup.volumeID;
  return volume.name === lookup.volumeName && volume.accountID === lookup.accountID;
}

export function resolveSide(
  side: string,
  ref: VolumeRef,
  ownedID: number | undefined,
  observation: SideObservation,
): Resolution {
  if (!observation.reachable) return { kind: 'unreachable', message: `side ${side}: ${observation.message}` };
  const lookup = volumeLookup(ref, ownedID);
  // The shell may hand over more than it was asked for (a shared list); filter here.
  const found = observation.candidates.filter((v) => isLive(v) && matches(v, lookup));
  const first = found[0];
  if (first === undefined) {
    return { kind: 'missing', message: `side ${side}: ${describeLookup(lookup)} does not exist` };
  }
  if (found.length > 1) {
    const ids = found.map((v) => v.volumeID).sort((a, b) => a - b).join(', ');
    return {
      kind: 'ambiguous',
      message: `side ${side}: ${describeLookup(lookup)} matches several volumes (${ids}); name the volume by volumeID`,
    };
  }
  return { kind: 'resolved', volume: first };
}
