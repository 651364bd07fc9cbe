// Labels and type of the Secrets the operator owns (pairing keys). Label values hold at most 63
// characters, so owner names go in annotations (annotations.ts) and only the UID is a label.
import { GROUP } from './group.ts';

/** metadata.uid of the owning ClusterPair or VolumePair. */
export const OWNER_UID_LABEL = `${GROUP}/owner-uid`;
/** Kind of the owner: ClusterPair or VolumePair. */
export const OWNER_KIND_LABEL = `${GROUP}/owner-kind`;
/** What the Secret holds; `pairing-key` is the only value so far. */
export const SECRET_ROLE_LABEL = `${GROUP}/role`;
export const PAIRING_KEY_ROLE = 'pairing-key';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'elementrepl-operator';

/** Secret `type` of pairing-key Secrets, and the data key of the key itself. */
export const PAIRING_KEY_SECRET_TYPE = `${GROUP}/pairing-key`;
export const PAIRING_KEY_DATA_KEY = 'pairingKey';
