// Incidents that need a human, and their approvals (DESIGN §8, §10). An incident (an unexplained
// pending pair, two writable volumes, …) gets a token unique to it, recorded in status and printed
// in the Stalled message; an approval names the side, the ID and that token, so an approval left in
// Git never matches a later incident. Pure.
import { z } from 'zod';
import { Timestamp } from './common.ts';

export const IncidentSide = z.enum(['A', 'B']).describe('The side the incident is about.');

export const Incident = z
  .object({
    reason: z.string().min(1).describe('The Stalled reason of the incident, e.g. ResyncRequired or UnexplainedPendingPair.'),
    token: z.string().min(1).max(64).describe('Unique to this incident: an approval must quote it.'),
    side: IncidentSide.optional(),
    id: z.int().min(0).optional().describe('The volume or cluster pair the approval must name.'),
    since: Timestamp.describe('When the operator first saw the incident.'),
    approvedAt: Timestamp.optional().describe('When the approval annotation named this incident; the operator then goes on.'),
  })
  .describe('An incident that waits for a human; approve it with `<side>:<id>:<token>`.');
export type Incident = z.infer<typeof Incident>;

export interface Approval {
  side: 'A' | 'B';
  id: number;
  token: string;
}

/** Parses `"<side>:<id>:<token>[,…]"`, the one form of every approval annotation; anything else is ignored. */
export function parseApprovals(raw: string | undefined): Approval[] {
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((part) => part.trim())
    .flatMap((part) => {
      const match = /^([AB]):([0-9]{1,15}):([A-Za-z0-9-]{1,64})$/.exec(part);
      if (!match) return [];
      const id = Number(match[2]);
      return Number.isSafeInteger(id) ? [{ side: match[1] as 'A' | 'B', id, token: match[3] as string }] : [];
    });
}

/** Whether one of the approvals names exactly this incident. */
export function isApproved(approvals: readonly Approval[], incident: Pick<Incident, 'side' | 'id' | 'token'>): boolean {
  return approvals.some((a) => a.side === incident.side && a.id === incident.id && a.token === incident.token);
}

/**
 * A token for a new incident, derived from what makes it unique (the object's UID, the reason,
 * side, ID and when it was first seen): deterministic, so the planner stays pure (FNV-1a, 32 bits).
 */
export function incidentToken(...parts: readonly (string | number | undefined)[]): string {
  let hash = 0x811c9dc5;
  for (const char of parts.map((p) => String(p ?? '')).join('|')) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The approval annotation value for an incident, as the Stalled message prints it. */
export function approvalFor(incident: Pick<Incident, 'side' | 'id' | 'token'>): string {
  return `${incident.side ?? 'A'}:${incident.id ?? 0}:${incident.token}`;
}
