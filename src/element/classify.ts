// What a caller may do after a failed Element call (DESIGN.md §3 "Error handling is per method"):
//  - 'retryable':      nothing changed on the cluster, or the call only read; try again after backoff.
//  - 'unknownOutcome': a mutating call may or may not have been applied; re-observe before any
//                      further step, never repeat it blindly.
//  - 'final':          a definite answer that retrying will not change (an Element error such as
//                      xVolumeAlreadyPaired, bad credentials, TLS, unknown API version).
import { ElementApiError, ElementAuthError, ElementConnectionError, ElementProtocolError, ElementTimeoutError, ElementTlsError, ElementTransportError, ElementVersionNotFoundError } from './errors.ts';

export type ElementErrorClass = 'unknownOutcome' | 'retryable' | 'final';

export const READ_METHODS: ReadonlySet<string> = new Set([
  'GetAPI',
  'GetClusterInfo',
  'GetClusterVersionInfo',
  'GetLimits',
  'ListAccounts',
  'ListVolumes',
  'ListVolumesForAccount',
  'ListVolumeStats',
  'ListSyncJobs',
  'ListClusterPairs',
  'ListActivePairedVolumes',
]);

/** Anything not known to be a read counts as mutating: the safe side for an unknown method. */
export function isMutatingMethod(method: string): boolean {
  return !READ_METHODS.has(method);
}

/**
 * Element's transient errors (element-api.md §1.6): the database layer (xDB*) and cluster
 * rebalancing (xNotPrimary, xSliceNotRegistered, xNotReadyForIO). The snapshot/clone-count errors
 * Cinder also retries are left out: none of the methods used here creates snapshots or clones.
 */
export function isTransientElementErrorName(name: string): boolean {
  return name.startsWith('xDB') || name === 'xNotPrimary' || name === 'xSliceNotRegistered' || name === 'xNotReadyForIO';
}

/**
 * `method` is the call the caller made. Client errors carry the method that actually failed, which
 * wins: when the version negotiation (GetAPI, a read) fails before a ModifyVolume, nothing was sent.
 */
export function classifyElementError(method: string, error: unknown): ElementErrorClass {
  const failed = error instanceof ElementApiError || error instanceof ElementTransportError ? error.method : method;
  const mutating = isMutatingMethod(failed);

  if (error instanceof ElementApiError) {
    // A consumed volume key is never reused: the caller removes the pending pair and starts over.
    if (failed === 'CompleteVolumePairing') return 'final';
    if (!isTransientElementErrorName(error.name)) return 'final';
    // A transient database error on a write (e.g. xDBConnectionLoss) does not say whether the write
    // landed, so writes re-observe instead of retrying.
    return mutating ? 'unknownOutcome' : 'retryable';
  }

  if (error instanceof ElementTlsError || error instanceof ElementAuthError || error instanceof ElementVersionNotFoundError) {
    return 'final';
  }

  if (error instanceof ElementTimeoutError) {
    if (error.phase === 'connect') return 'retryable';
    return mutating ? 'unknownOutcome' : 'retryable';
  }

  if (error instanceof ElementConnectionError) {
    if (!error.requestMayHaveBeenSent) return 'retryable';
    return mutating ? 'unknownOutcome' : 'retryable';
  }

  // The request was delivered and the answer is unreadable (proxy error page, bad result shape):
  // a write may have happened.
  if (error instanceof ElementProtocolError) return mutating ? 'unknownOutcome' : 'retryable';

  return 'final';
}
