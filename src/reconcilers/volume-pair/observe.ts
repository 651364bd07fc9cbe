// Reads everything the VolumePair planner needs: its ClusterPair and ElementClusters (informer
// caches), both volumes through the shared observation cache, the claims of other VolumePairs on
// them, and whether the key Secret exists. Nothing here mutates.
import { FORCE_DELETE_ANNOTATION, PAUSED_ANNOTATION, getCondition, isAnnotationTrue, kubeTime } from '../../api/index.ts';
import type { VolumePair, VolumeSelector } from '../../api/index.ts';
import type { Volume } from '../../element/index.ts';
import { clusterView } from '../cluster-pair/observe.ts';
import { describeFailure } from '../cluster-pair/shell-types.ts';
import type { Freshness } from '../observation-cache.ts';
import type { VolumePairKeySecrets, KeyOwner } from './key-secret.ts';
import { volumeLookup } from './resolve.ts';
import { TRANSITIONAL_MAX_AGE_MS } from './shell-types.ts';
import type { VolumePairReconcilerDeps } from './shell-types.ts';
import type { ObservedVolume, PlanInput, Side, SideObservation } from './types.ts';
import { claimsOn, clusterPairView, elementClustersOf, volumePairView } from './views.ts';
import type { ClaimIndex } from './views.ts';

const SIDES: readonly Side[] = ['A', 'B'];

export interface ObserveOptions {
  deps: VolumePairReconcilerDeps;
  keys: VolumePairKeySecrets;
  claims: () => ClaimIndex;
  /** This VolumePair's own last mutation generation per ElementCluster. */
  minGeneration: (cluster: string) => number;
  /** Read the volumes from Element now, whatever is cached (before removing anything). */
  fresh?: boolean;
}

export interface Observed {
  input: PlanInput;
  /** ElementCluster behind each side; undefined while the ClusterPair is missing. */
  clusters: { A: string; B: string } | undefined;
  owner: KeyOwner;
}

export function keyOwner(vp: VolumePair): KeyOwner {
  return { namespace: vp.metadata.namespace ?? '', name: vp.metadata.name, uid: vp.metadata.uid ?? '' };
}

/** Ready reasons of states the planner looks at again within seconds. */
const MOVING = new Set(['Pairing', 'Syncing', 'Deleting']);

/**
 * Transitional resources are looked at again within seconds, so the lists they read must be that
 * young. Stalled or Degraded ones wait for the poll like healthy ones: a cluster outage that
 * degrades every pair must not turn into a list call per pair.
 */
function isTransitional(vp: VolumePair): boolean {
  const status = vp.status ?? {};
  const ready = getCondition(status.conditions, 'Ready');
  return (
    vp.metadata.deletionTimestamp !== undefined ||
    status.pairing !== undefined ||
    status.observedGeneration !== vp.metadata.generation ||
    ready === undefined ||
    (ready.status !== 'True' && MOVING.has(ready.reason))
  );
}

function toObserved(volume: Volume): ObservedVolume {
  return volume;
}

async function readSide(
  options: ObserveOptions,
  cluster: string,
  selector: VolumeSelector,
  ownedID: number | undefined,
  transitional: boolean,
): Promise<SideObservation> {
  const { deps } = options;
  const view = clusterView(cluster, deps.elementClusters.get(cluster) ?? null);
  if (!view.ready) return { reachable: false, message: `ElementCluster ${cluster} is not Ready (${view.notReadyReason ?? 'unknown'})` };
  const lookup = volumeLookup(selector, ownedID);
  if (lookup === undefined) return { reachable: true, candidates: [] };
  const maxAgeMs = options.fresh ? 0 : transitional ? TRANSITIONAL_MAX_AGE_MS : deps.pollIntervalMs;
  const freshness: Freshness = { minGeneration: options.minGeneration(cluster), maxAgeMs };
  try {
    let volumes: Volume[];
    if ('volumeID' in lookup) {
      if (options.fresh) {
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

export async function observe(vp: VolumePair, options: ObserveOptions): Promise<Observed> {
  const { deps } = options;
  const view = volumePairView(vp);
  const owner = keyOwner(vp);
  const cp = deps.clusterPairs.get(vp.spec.clusterPairRef.name);
  const clusters = elementClustersOf(cp);
  // Paused and force-deleted resources are decided without asking Element anything.
  const skipElement = isAnnotationTrue(vp.metadata, PAUSED_ANNOTATION) || (view.deleting && isAnnotationTrue(vp.metadata, FORCE_DELETE_ANNOTATION));
  const transitional = isTransitional(vp);
  const owned = { A: vp.status?.sideA?.volumeID, B: vp.status?.sideB?.volumeID };
  const selectors = { A: vp.spec.sideA, B: vp.spec.sideB };

  const side = (s: Side): Promise<SideObservation> => {
    if (skipElement) return Promise.resolve(unreachable('not observed'));
    if (clusters === undefined) return Promise.resolve(unreachable(`ClusterPair ${vp.spec.clusterPairRef.name} not found`));
    return readSide(options, clusters[s], selectors[s], owned[s], transitional);
  };
  const [a, b, keySecretExists] = await Promise.all([side('A'), side('B'), options.keys.exists(owner)]);
  const sides = { A: a, B: b };

  const candidates = clusters === undefined
    ? []
    : SIDES.flatMap((s) => {
        const observed = sides[s];
        return observed.reachable ? observed.candidates.map((v) => ({ elementCluster: clusters[s], volumeID: v.volumeID })) : [];
      });
  return {
    input: {
      now: kubeTime((deps.now ?? (() => new Date()))()),
      volumePair: view,
      clusterPair: clusterPairView(cp),
      sides,
      elementClusters: clusters ?? { A: '', B: '' },
      claims: claimsOn(options.claims(), candidates),
      keySecretExists,
    },
    clusters,
    owner,
  };
}
