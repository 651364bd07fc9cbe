// Incidents of a VolumePair that wait for a human (DESIGN §8, §10): an unexplained pending pair,
// a target that became writable outside the operator. Each gets a token unique to it, kept in
// status while it lasts; the approval annotation must name its side, volume and token.
import { approvalFor, incidentToken, isApproved, parseApprovals } from '../../api/index.ts';
import type { Incident } from '../../api/index.ts';
import type { Facts } from './plan-decision.ts';
import type { Side } from './plan-types.ts';

/** The incident recorded in status for this finding, or a new one with a new token. */
export function incidentFor(facts: Facts, reason: string, side: Side, id: number): Incident {
  const previous = facts.vp.status.incident;
  if (previous !== undefined && previous.reason === reason && previous.side === side && previous.id === id) return previous;
  const { vp, input } = facts;
  const token = incidentToken(vp.namespace, vp.name, vp.creationTimestamp, reason, side, id, input.now);
  return { reason, token, side, id, since: input.now };
}

/** The annotation names exactly this incident. */
export function approvedBy(facts: Facts, annotation: string, incident: Incident): boolean {
  return isApproved(parseApprovals(facts.vp.annotations[annotation]), incident);
}

/** How to approve, for the Stalled message. */
export function approvalHint(annotation: string, incident: Incident): string {
  return `annotate the VolumePair ${annotation}: "${approvalFor(incident)}"`;
}
