// The two sides of a pair (A: clusterARef, B: clusterBRef) and the small helpers every kind uses.
export type Side = 'A' | 'B';

export const SIDES: readonly Side[] = ['A', 'B'];

export function otherSide(side: Side): Side {
  return side === 'A' ? 'B' : 'A';
}

/** The status/spec field of a side: `sideA` or `sideB`. */
export function sideField(side: Side): 'sideA' | 'sideB' {
  return side === 'A' ? 'sideA' : 'sideB';
}
