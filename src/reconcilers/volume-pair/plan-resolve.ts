// Step 2 of the VolumePair algorithm: which volume a side names, and whether it resolves to
// exactly one live volume. Once resolved, the ID recorded in status is the owned ID; it wins
// over the spec's name, so a renamed volume stays the same side.
import type { VolumeSelector } from '../../api/index.ts';
import type { ObservedVolume, SideObservation } from './plan-types.ts';

export type VolumeLookup = { volumeID: number } | { volumeName: string; accountID: number };

export type Resolution =
  | { kind: 'unreachable'; message: string }
  | { kind: 'missing'; message: string }
  | { kind: 'ambiguous'; message: string }
  | { kind: 'resolved'; volume: ObservedVolume };

/**
 * What the shell must look up for a side: the owned ID once known, else the spec's selector
 * (undefined only for a selector the CRD validation should have refused).
 */
export function volumeLookup(selector: VolumeSelector, ownedID: number | undefined): VolumeLookup | undefined {
  if (ownedID !== undefined) return { volumeID: ownedID };
  if (selector.volumeID !== undefined) return { volumeID: selector.volumeID };
  if (selector.volumeName !== undefined && selector.accountID !== undefined) {
    return { volumeName: selector.volumeName, accountID: selector.accountID };
  }
  return undefined;
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
  selector: VolumeSelector,
  ownedID: number | undefined,
  observation: SideObservation,
): Resolution {
  if (!observation.reachable) return { kind: 'unreachable', message: `side ${side}: ${observation.message}` };
  const lookup = volumeLookup(selector, ownedID);
  if (lookup === undefined) return { kind: 'missing', message: `side ${side}: name a volume by volumeID or by volumeName and accountID` };
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
