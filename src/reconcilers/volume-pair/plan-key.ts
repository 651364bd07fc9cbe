// What a failed CompleteVolumePairing leaves of the pairing key (DESIGN §3: a key is never used
// twice). Pure: the executor classifies the failure and does what this says.

export type CompleteFailure =
  /** xMVIPNotPaired: the target cluster does not know the source yet; the key was not consumed. */
  | 'targetNotYetPaired'
  /** Any other Element error: Element refused the key, which consumed it. */
  | 'refused'
  /** A timeout or reset after the request may have been sent. */
  | 'unknownOutcome'
  /** The request was never sent (connect refused, no client). */
  | 'notSent';

export type KeyDisposal =
  /** Keep the key and try again shortly, without an alarm. */
  | 'keepAndWait'
  /** Discard it now: the planner removes the pending pair and starts again with a new key. */
  | 'discard'
  /** Keep it only if the pair is visibly there (the planner then verifies and deletes it). */
  | 'discardUnlessLanded'
  | 'keep';

export function keyAfterFailedComplete(failure: CompleteFailure): KeyDisposal {
  switch (failure) {
    case 'targetNotYetPaired':
      return 'keepAndWait';
    case 'refused':
      return 'discard';
    case 'unknownOutcome':
      return 'discardUnlessLanded';
    case 'notSent':
      return 'keep';
  }
}
