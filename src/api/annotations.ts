// Annotations users put on the resources (the operator never writes them) and the annotations
// the operator puts on its own Secrets.
import { GROUP } from './group.ts';

/** `"true"` on any resource stops reconciling it; status says so. */
export const PAUSED_ANNOTATION = `${GROUP}/paused`;
/** ClusterPair: `"<side>:<clusterPairID>:<token>"` (the value the Stalled message prints) approves removing that unexplained pending pair. */
export const REMOVE_PENDING_PAIR_ANNOTATION = `${GROUP}/remove-pending-pair`;
/** VolumePair: `"<side>:<volumeID>:<token>"` approves demoting that volume so it resyncs from the primary (DESIGN §8, §10). */
export const APPROVE_RESYNC_ANNOTATION = `${GROUP}/approve-resync`;
/** ClusterPair: `"true"` allows re-pairing volume pairs after the cluster pair was re-created. */
export const ALLOW_REPAIR_ANNOTATION = `${GROUP}/allow-repair`;
/** Any kind: `"true"` drops the finalizer without Element calls (Warning Event) — the way out when a site is lost. */
export const FORCE_DELETE_ANNOTATION = `${GROUP}/force-delete`;

/**
 * On credentials Secrets: the MVIPs the Secret may be sent to, comma-separated (`host` = any port,
 * `host:port`); an ElementCluster whose spec.mvip is not listed gets Ready=False/SecretNotAllowed.
 */
export const ALLOWED_MVIPS_ANNOTATION = `${GROUP}/allowed-mvips`;

/** On operator-owned Secrets: the owner's name and namespace (label values hold only 63 characters). */
export const OWNER_NAME_ANNOTATION = `${GROUP}/owner-name`;
export const OWNER_NAMESPACE_ANNOTATION = `${GROUP}/owner-namespace`;

type Annotated = { readonly annotations?: Readonly<Record<string, string>> | undefined } | undefined;

/** Only the exact string "true" counts, as with Kubernetes' own boolean annotations. */
export function isAnnotationTrue(metadata: Annotated, key: string): boolean {
  return metadata?.annotations?.[key] === 'true';
}
