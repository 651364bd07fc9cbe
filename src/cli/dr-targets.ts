// Which VolumePairs a `switchover`/`failover` acts on (pure): the request from the command line
// (VolumePair names, or every pair of a ClusterPair), then the split into pairs to patch and pairs
// already on the asked side, and the merge patch itself.
import { parseDuration } from '../config.ts';
import type { FlagValues } from './args.ts';
import { UsageError, booleanFlag, stringFlag } from './args.ts';

export type Side = 'A' | 'B';
export type FailoverKind = 'Planned' | 'Forced';

/** The fields of a VolumePair these commands read; anything else is ignored. */
export interface DrVolumePair {
  metadata: {
    name: string;
    namespace?: string | undefined;
    generation?: number | undefined;
    labels?: Record<string, string> | undefined;
    annotations?: Record<string, string> | undefined;
  };
  spec?: { clusterPairRef?: { name?: string }; primarySide?: string; failover?: string; [key: string]: unknown } | undefined;
  status?: Record<string, unknown> | undefined;
}

export interface DrRequest {
  /** VolumePair names in `namespace`, or empty with `clusterPair`. */
  names: string[];
  clusterPair?: string;
  /** Namespace of the names; with `clusterPair`, undefined means every namespace. */
  namespace?: string;
  to: Side;
  wait: boolean;
  /** With `wait`: how long to wait before giving up. */
  timeoutMs: number;
  force: boolean;
}

export const DEFAULT_WAIT_TIMEOUT = '15m';

/** Reads and checks the flags; every mistake is a UsageError (exit 2). */
export function drRequest(flags: FlagValues, positionals: readonly string[], defaultNamespace: () => string): DrRequest {
  const clusterPair = stringFlag(flags, 'cluster-pair');
  const to = stringFlag(flags, 'to');
  const all = booleanFlag(flags, 'all-namespaces');
  const explicitNamespace = stringFlag(flags, 'namespace');
  if (clusterPair !== undefined && positionals.length > 0) throw new UsageError('give VolumePair names or --cluster-pair, not both');
  if (clusterPair === undefined && positionals.length === 0) throw new UsageError('name the VolumePairs, or pass --cluster-pair NAME for all of its VolumePairs');
  if (to === undefined) throw new UsageError('--to A|B is required: the side that becomes the primary');
  if (positionals.length > 0 && all) throw new UsageError('-A applies to --cluster-pair; VolumePair names are looked up in one namespace (-n)');
  if (all && explicitNamespace !== undefined) throw new UsageError('-n and -A cannot be used together');
  const timeoutText = stringFlag(flags, 'timeout');
  const wait = booleanFlag(flags, 'wait');
  if (timeoutText !== undefined && !wait) throw new UsageError('--timeout applies to --wait');
  const timeoutMs = parseDuration(timeoutText ?? DEFAULT_WAIT_TIMEOUT);
  if (timeoutMs === undefined || timeoutMs <= 0) throw new UsageError(`--timeout takes a duration such as 90s, 10m or 1h, not "${timeoutText ?? ''}"`);
  const unique = [...new Set(positionals)];
  return {
    names: unique,
    ...(clusterPair === undefined ? {} : { clusterPair }),
    // A whole ClusterPair spans namespaces unless -n narrows it.
    ...(clusterPair === undefined ? { namespace: explicitNamespace ?? defaultNamespace() } : explicitNamespace === undefined ? {} : { namespace: explicitNamespace }),
    to: to as Side,
    wait,
    timeoutMs,
    force: booleanFlag(flags, 'force'),
  };
}

export function pairKey(vp: DrVolumePair): string {
  return `${vp.metadata.namespace ?? ''}/${vp.metadata.name}`;
}

/** The VolumePairs of a ClusterPair among those listed, sorted by namespace/name. */
export function pairsOfClusterPair(volumePairs: readonly DrVolumePair[], clusterPair: string): DrVolumePair[] {
  return volumePairs.filter((vp) => vp.spec?.clusterPairRef?.name === clusterPair).sort((a, b) => pairKey(a).localeCompare(pairKey(b)));
}

/** Already there: asked for and established (status.primarySide) on `to`, with no switchover under way. */
export function isOnSide(vp: DrVolumePair, to: Side): boolean {
  return (vp.spec?.primarySide ?? 'A') === to && vp.status?.['primarySide'] === to && vp.status['switchover'] === undefined;
}

export interface TargetSplit {
  patch: DrVolumePair[];
  already: DrVolumePair[];
}

export function splitTargets(volumePairs: readonly DrVolumePair[], to: Side): TargetSplit {
  return {
    patch: volumePairs.filter((vp) => !isOnSide(vp, to)),
    already: volumePairs.filter((vp) => isOnSide(vp, to)),
  };
}

/** The merge patch: the side and how to get there (a patch replaces an earlier failover mode too). */
export function directionPatch(to: Side, failover: FailoverKind): { spec: { primarySide: Side; failover: FailoverKind } } {
  return { spec: { primarySide: to, failover } };
}
