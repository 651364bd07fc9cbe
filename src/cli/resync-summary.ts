// What `approve-resync` is about to approve (pure): from a VolumePair's status.incident and its
// ClusterPair, the volume whose writes will be overwritten, its side and ElementCluster, since when,
// and the annotation value that approves exactly this incident.
import { APPROVE_RESYNC_ANNOTATION, approvalFor, parseApprovals, isApproved } from '../api/index.ts';
import type { DrVolumePair } from './dr-targets.ts';

export const RESYNC_REQUIRED = 'ResyncRequired';

export interface ResyncIncident {
  side: 'A' | 'B';
  volumeID: number;
  token: string;
  since?: string;
  /** The annotation value that approves it. */
  approval: string;
  /** The annotation already names it (the operator goes on at its next poll). */
  alreadyApproved: boolean;
}

interface RawIncident {
  reason?: unknown;
  side?: unknown;
  id?: unknown;
  token?: unknown;
  since?: unknown;
}

/** The ResyncRequired incident of the pair, or a sentence saying why there is none to approve. */
export function resyncIncident(vp: DrVolumePair): ResyncIncident | string {
  const raw = vp.status?.['incident'] as RawIncident | undefined;
  const key = `${vp.metadata.namespace ?? ''}/${vp.metadata.name}`;
  if (raw === undefined || raw.reason !== RESYNC_REQUIRED) {
    const other = raw?.reason === undefined ? 'none' : String(raw.reason);
    return `volumepair ${key} has no resync to approve (status.incident: ${other}); approve-resync applies to a pair Stalled with ResyncRequired`;
  }
  if ((raw.side !== 'A' && raw.side !== 'B') || typeof raw.id !== 'number' || typeof raw.token !== 'string') {
    return `volumepair ${key}: status.incident is incomplete (side, id, token); check the operator version`;
  }
  const incident = { side: raw.side, id: raw.id, token: raw.token } as const;
  const approvals = parseApprovals(vp.metadata.annotations?.[APPROVE_RESYNC_ANNOTATION]);
  return {
    side: incident.side,
    volumeID: incident.id,
    token: incident.token,
    ...(typeof raw.since === 'string' ? { since: raw.since } : {}),
    approval: approvalFor(incident),
    alreadyApproved: isApproved(approvals, incident),
  };
}

/** The ElementCluster of a side, from the ClusterPair's clusterARef/clusterBRef. */
export function clusterOfSide(clusterPair: { spec?: Record<string, unknown> } | null, side: 'A' | 'B'): string | undefined {
  const ref = clusterPair?.spec?.[side === 'A' ? 'clusterARef' : 'clusterBRef'] as { name?: unknown } | undefined;
  return typeof ref?.name === 'string' ? ref.name : undefined;
}

function volumeOf(vp: DrVolumePair, side: 'A' | 'B'): string {
  const selector = vp.spec?.[side === 'A' ? 'sideA' : 'sideB'] as { volumeID?: unknown; volumeName?: unknown } | undefined;
  if (typeof selector?.volumeID === 'number') return `volume ${selector.volumeID}`;
  return typeof selector?.volumeName === 'string' ? `volume ${selector.volumeName}` : 'its volume';
}

/** The lines shown before asking. */
export function resyncSummary(vp: DrVolumePair, incident: ResyncIncident, clusters: { A?: string | undefined; B?: string | undefined }): string {
  const key = `${vp.metadata.namespace ?? ''}/${vp.metadata.name}`;
  const primary = incident.side === 'A' ? 'B' : 'A';
  const where = (side: 'A' | 'B') => (clusters[side] ? `ElementCluster ${clusters[side]}` : `side ${side}'s ElementCluster`);
  const stalled = (vp.status?.['conditions'] as { type?: string; message?: string }[] | undefined)?.find((c) => c.type === 'Stalled')?.message;
  return [
    `VolumePair ${key}: ${RESYNC_REQUIRED} (incident ${incident.token}${incident.since ? `, since ${incident.since}` : ''})`,
    `  Will be overwritten: volume ${incident.volumeID} on side ${incident.side} (${where(incident.side)}).`,
    `  It is made a replicationTarget again; every write to it since the split is lost, replaced from`,
    `  the primary, side ${primary} (${volumeOf(vp, primary)} on ${where(primary)}).`,
    ...(stalled ? [`  Operator: ${stalled}`] : []),
    `  Annotation: ${APPROVE_RESYNC_ANNOTATION}="${incident.approval}"`,
  ].join('\n') + '\n';
}
