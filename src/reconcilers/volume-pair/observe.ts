// Reads everything the VolumePair planner needs: its ClusterPair and ElementClusters (informer
// caches), both volumes through the shared observation cache, the claims of other VolumePairs on
// them, and whether the key Secret exists. Nothing here mutates.
import { FORCE_DELETE_ANNOTATION, PAUSED_ANNOTATION, isAnnotationTrue, kubeTime } from '../../api/index.ts';
import type { VolumePair, VolumeSelector } from '../../api/index.ts';
import { parseAsyncDelay } from '../../element/index.ts';
import type { Volume } from '../../element/index.ts';
import { VolumeAccessMode } from '../../element/states.ts';
import { clusterView } from '../cluster-view.ts';
import type { Freshness } from '../observation-cache.ts';
import { describeFailure } from '../shell/failure.ts';
import { keyOwner } from '../shell/pairing-key-secrets.ts';
import type { KeyOwner, PairingKeySecrets } from '../shell/pairing-key-secrets.ts';
import type { ObserveNeeds } from '../shell/reconcile-loop.ts';
import { maxListAgeMs } from '../shell/requeue.ts';
import type { VolumePairReconcilerDeps } from './deps.ts';
import type { ClaimIndex } from './plan-claims.ts';
import { claimsOn } from './plan-claims.ts';
import { volumeLookup } from './plan-resolve.ts';
import type { ObservedVolume, PlanInput, ReplicationReading, Side, SideObservation } from './plan-types.ts';
import { clusterPairView, elementClustersOf, volumePairView } from './plan-views.ts';
import { SIDES } from '../sides.ts';


export interface ObserveOptions {
  deps: VolumePairReconcilerDeps;
  /** Only whether the key Secret exists is read (the CLI's plan passes its own). */
  keys: Pick<PairingKeySecrets, 'exists'>;
  claims: () => ClaimIndex;
  /** The Element cluster behind an ElementCluster name (claims key on it). */
  identityOf: (cluster: string) => string;
  /** How fresh the lists must be (`now`: read the volumes from Element, whatever is cached). */
  needs: ObserveNeeds;
  /** The last sync this process computed for the VolumePair (see plan-lag.ts). */
  lastKnownSync?: string | undefined;
}

export interface Observed {
  input: PlanInput;
  /** ElementCluster behind each side; undefined while the ClusterPair is missing. */
  clusters: { A: string; B: string } | undefined;
  owner: KeyOwner;
}

function toObserved(volume: Volume): ObservedVolume {
  return volume;
}

async function readSide(
  options: ObserveOptions,
  cluster: string,
  selector: VolumeSelector,
  ownedID: number | undefined,
): Promise<SideObservation> {
  const { deps } = options;
  const view = clusterView(cluster, deps.elementClusters.get(cluster) ?? null);
  if (!view.ready) return { reachable: false, message: `ElementCluster ${cluster} is not Ready (${view.notReadyReason ?? 'unknown'})` };
  const lookup = volumeLookup(selector, ownedID);
  if (lookup === undefined) return { reachable: true, candidates: [] };
  const fresh = options.needs.freshness === 'now';
  const maxAgeMs = maxListAgeMs(options.needs.freshness, deps.pollIntervalMs);
  const freshness: Freshness = { minGeneration: options.needs.ownGeneration(cluster), maxAgeMs };
  try {
    let volumes: Volume[];
    if ('volumeID' in lookup) {
      if (fresh) {
        volumes = await deps.cache.refreshVolumes(cluster, [lookup.volumeID]);
      } else {
        // One shared ListActivePairedVolumes per cluster and poll serves every paired volume; only
        // volumes it does not list (unpaired ones), or a list older than our own last mutation,
        // cost a ListVolumes. The snapshot is used directly: by the time a lookup runs, another
        // reader may already have started the next list, which has no answer yet.
        const snapshot = await deps.cache.listActivePairedVolumes(cluster, { maxAgeMs });
        const listed = snapshot.generation >= (freshness.minGeneration ?? 0) ? snapshot.items.find((v) => v.volumeID === lookup.volumeID) : undefined;
        volumes = listed ? [listed] : await deps.cache.volumes(cluster, [lookup.volumeID], freshness);
      }
    } else {
      volumes = await deps.cache.volumesByName(cluster, lookup.volumeName, freshness);
    }
    return { reachable: true, candidates: volumes.map(toObserved) };
  } catch (error) {
    return { reachable: false, message: `ElementCluster ${cluster}: ${describeFailure(error)}` };
  }
}

const unreachable = (message: string): SideObservation => ({ reachable: false, message });

/** The paired source volume among the observed sides: the one readWrite volume with a pair. */
function pairedSource(sides: { A: SideObservation; B: SideObservation }): { side: Side; volume: ObservedVolume } | undefined {
  for (const side of SIDES) {
    const observed = sides[side];
    if (!observed.reachable || observed.candidates.length !== 1) continue;
    const [volume] = observed.candidates;
    if (volume && volume.access === VolumeAccessMode.ReadWrite && (volume.volumePairs?.length ?? 0) > 0) return { side, volume };
  }
  return undefined;
}

/**
 * Lag and sync progress from the per-cluster, per-poll lists of the cache (never a call of this
 * pair's own). A read that fails leaves the field out: the planner lets the lag grow then.
 */
async function readReplication(options: ObserveOptions, clusters: { A: string; B: string }, sides: { A: SideObservation; B: SideObservation }): Promise<ReplicationReading> {
  const reading: ReplicationReading = options.lastKnownSync === undefined ? {} : { lastKnownSync: options.lastKnownSync };
  const source = pairedSource(sides);
  if (source === undefined) return reading;
  const { cache } = options.deps;
  const cluster = clusters[source.side];
  const { volumeID } = source.volume;
  const syncing = source.volume.volumePairs?.some((p) => p.remoteReplication?.state?.startsWith('Resuming')) ?? false;
  const [stats, jobs] = await Promise.all([
    // Before a destructive step (a demotion) the lag is read afresh: a switchover must not start on
    // a lag of 0 read before the hosts' last writes. Otherwise one list per cluster and poll.
    cache.volumeStats(cluster, options.needs.freshness === 'now' ? { maxAgeMs: 0 } : {}).catch(() => undefined),
    syncing ? cache.syncJobs(cluster).catch(() => undefined) : undefined,
  ]);
  const seconds = parseAsyncDelay(stats?.items.find((s) => s.volumeID === volumeID)?.asyncDelay);
  if (stats !== undefined && seconds !== undefined) {
    reading.asyncDelaySeconds = seconds;
    reading.readAt = new Date(stats.startedAt).toISOString();
  }
  const job = jobs?.items.find((j) => j.type === 'remote' && (j.srcVolumeID === volumeID || (j.srcVolumeID === undefined && j.volumeID === volumeID)));
  if (job !== undefined) {
    reading.syncJob = {};
    if (job.percentComplete !== undefined) reading.syncJob.percentComplete = job.percentComplete;
    if (job.remainingTime !== undefined) reading.syncJob.remainingSeconds = job.remainingTime;
  }
  return reading;
}

export async function observe(vp: VolumePair, options: ObserveOptions): Promise<Observed> {
  const { deps } = options;
  const view = volumePairView(vp);
  const owner = keyOwner(vp);
  const cp = deps.clusterPairs.get(vp.spec.clusterPairRef.name);
  const clusters = elementClustersOf(cp);
  // Paused and force-deleted resources are decided without asking Element anything.
  const skipElement = isAnnotationTrue(vp.metadata, PAUSED_ANNOTATION) || (view.deleting && isAnnotationTrue(vp.metadata, FORCE_DELETE_ANNOTATION));
  const owned = { A: vp.status?.sideA?.volumeID, B: vp.status?.sideB?.volumeID };
  const selectors = { A: vp.spec.sideA, B: vp.spec.sideB };

  const side = (s: Side): Promise<SideObservation> => {
    if (skipElement) return Promise.resolve(unreachable('not observed'));
    if (clusters === undefined) return Promise.resolve(unreachable(`ClusterPair ${vp.spec.clusterPairRef.name} not found`));
    return readSide(options, clusters[s], selectors[s], owned[s]);
  };
  const [a, b, keySecretExists] = await Promise.all([side('A'), side('B'), options.keys.exists(owner)]);
  const sides = { A: a, B: b };
  const replication = clusters === undefined || skipElement || view.deleting ? { lastKnownSync: options.lastKnownSync } : await readReplication(options, clusters, sides);

  const identities = clusters === undefined ? undefined : { A: options.identityOf(clusters.A), B: options.identityOf(clusters.B) };
  const candidates = identities === undefined
    ? []
    : SIDES.flatMap((s) => {
        const observed = sides[s];
        return observed.reachable ? observed.candidates.map((v) => ({ elementCluster: identities[s], volumeID: v.volumeID })) : [];
      });
  return {
    input: {
      now: kubeTime((deps.now ?? (() => new Date()))()),
      volumePair: view,
      clusterPair: clusterPairView(cp),
      sides,
      elementClusters: identities ?? { A: '', B: '' },
      claims: claimsOn(options.claims(), candidates),
      keySecretExists,
      replication,
      lagWarningThresholdSeconds: deps.lagWarningThresholdSeconds,
    },
    clusters,
    owner,
  };
}
