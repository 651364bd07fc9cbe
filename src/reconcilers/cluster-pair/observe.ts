// Reads everything the ClusterPair planner needs: both ElementClusters, both clusters' pair and
// volume lists through the shared observation cache, the key Secret's annotations and, while
// deleting, the VolumePairs that reference the pair.
import { CLEANUP_FINALIZER, FORCE_DELETE_ANNOTATION, PAUSED_ANNOTATION, hasFinalizer, isAnnotationTrue, kubeTime } from '../../api/index.ts';
import type { ClusterPair, ElementCluster } from '../../api/index.ts';
import type { PairedCluster, Volume } from '../../element/index.ts';
import { clusterView } from '../cluster-view.ts';
import type { Freshness } from '../observation-cache.ts';
import { describeFailure } from '../shell/failure.ts';
import { keyOwner } from '../shell/pairing-key-secrets.ts';
import type { PairingKeySecrets } from '../shell/pairing-key-secrets.ts';
import type { ObserveNeeds } from '../shell/reconcile-loop.ts';
import { ELEMENT_CLUSTERS, VOLUME_PAIRS } from '../shell/resources.ts';
import { maxListAgeMs } from '../shell/requeue.ts';
import { SIDES } from '../sides.ts';
import type { ClusterPairReconcilerDeps } from './deps.ts';
import { keySecretView, pendingOwnedElsewhere } from './key-facts.ts';
import type { KeyCluster } from './key-facts.ts';
import type { ClusterPairPlanInput, ClusterView, Listing, ObservedClusterPair, ObservedPairedVolume, Side } from './plan-types.ts';

const DEFAULT_PAIR_LIMIT = 4;

function observedPair(p: PairedCluster): ObservedClusterPair {
  return {
    clusterPairID: p.clusterPairID,
    clusterPairUUID: p.clusterPairUUID ?? null,
    ...(p.clusterUUID !== undefined ? { clusterUUID: p.clusterUUID } : {}),
    ...(p.clusterName !== undefined ? { clusterName: p.clusterName } : {}),
    ...(p.mvip !== undefined ? { mvip: p.mvip } : {}),
    status: p.status,
    ...(p.latency !== undefined ? { latency: p.latency } : {}),
    ...(p.version !== undefined ? { version: p.version } : {}),
  };
}

function observedVolume(v: Volume): ObservedPairedVolume {
  return { volumeID: v.volumeID, name: v.name, volumePairs: v.volumePairs.map((vp) => ({ clusterPairID: vp.clusterPairID })), ...(v.volumePairsUnknown ? { pairsUnknown: true } : {}) };
}

async function listing<T, U>(view: ClusterView, read: () => Promise<{ items: T[] }>, map: (item: T) => U): Promise<Listing<U>> {
  if (!view.ready) return { available: false, reason: `ElementCluster ${view.name} is not Ready` };
  try {
    return { available: true, items: (await read()).items.map(map) };
  } catch (error) {
    return { available: false, reason: describeFailure(error) };
  }
}

export interface ObserveOptions {
  deps: ClusterPairReconcilerDeps;
  /** Only the key Secrets' facts are read (the CLI's plan passes its own). */
  keys: Pick<PairingKeySecrets, 'facts' | 'othersFacts'>;
  /** The mutation generation this ClusterPair needs per ElementCluster. */
  minGeneration: (cluster: string) => number;
  pairLimit: (cluster: string) => Promise<number | undefined>;
  /** How fresh the lists must be. */
  needs: ObserveNeeds;
}

export async function observe(pair: ClusterPair, options: ObserveOptions): Promise<ClusterPairPlanInput> {
  const { deps, keys } = options;
  const names: Record<Side, string> = { A: pair.spec.clusterARef.name, B: pair.spec.clusterBRef.name };
  const owner = keyOwner(pair);
  const deleting = Boolean(pair.metadata.deletionTimestamp);
  // Paused and force-deleted resources are decided without asking Element anything.
  const skipElement = isAnnotationTrue(pair.metadata, PAUSED_ANNOTATION) || (deleting && isAnnotationTrue(pair.metadata, FORCE_DELETE_ANNOTATION));

  const [ecA, ecB] = await Promise.all([names.A, names.B].map((n) => deps.kube.get<ElementCluster>(ELEMENT_CLUSTERS, n)));
  const views: Record<Side, ClusterView> = { A: clusterView(names.A, ecA ?? null), B: clusterView(names.B, ecB ?? null) };
  const status = pair.status ?? {};
  const freshness = (cluster: string): Freshness => ({
    minGeneration: options.minGeneration(cluster),
    maxAgeMs: maxListAgeMs(options.needs.freshness, deps.pollIntervalMs),
  });
  const skipped = { available: false as const, reason: 'not observed' };
  const pairs = (side: Side) =>
    skipElement ? Promise.resolve(skipped) : listing(views[side], () => deps.cache.listClusterPairs(names[side], freshness(names[side])), observedPair);
  const volumes = (side: Side) =>
    skipElement ? Promise.resolve(skipped) : listing(views[side], () => deps.cache.listActivePairedVolumes(names[side], freshness(names[side])), observedVolume);

  const [pairsOnA, pairsOnB, volumesOnA, volumesOnB, keySecret, ownedElsewhere, referencing, limits] = await Promise.all([
    pairs('A'),
    pairs('B'),
    volumes('A'),
    volumes('B'),
    // Read even while paused: deleting our key is the one thing a paused ClusterPair still does.
    keys.facts(owner).then((facts) => (facts === undefined ? undefined : keySecretView(facts))),
    skipElement ? Promise.resolve({ A: [], B: [] }) : keys.othersFacts(owner).then((others) => pendingOwnedElsewhere(others, { A: keyCluster(views.A), B: keyCluster(views.B) })),
    deleting && !skipElement ? referencingVolumePairs(options.deps, pair.metadata.name) : Promise.resolve([]),
    skipElement ? Promise.resolve([]) : Promise.all(SIDES.filter((s) => views[s].ready).map((s) => options.pairLimit(names[s]))),
  ]);
  const known = limits.filter((l): l is number => l !== undefined);
  return {
    pair: {
      name: pair.metadata.name,
      uid: pair.metadata.uid ?? '',
      generation: pair.metadata.generation ?? 0,
      deletionPolicy: pair.spec.deletionPolicy,
      managementPolicy: pair.spec.managementPolicy,
      annotations: pair.metadata.annotations ?? {},
      deleting,
      hasFinalizer: hasFinalizer(pair.metadata, CLEANUP_FINALIZER),
      status: {
        ...(status.clusterPairUUID ? { clusterPairUUID: status.clusterPairUUID } : {}),
        ...(status.sideA ? { sideA: status.sideA } : {}),
        ...(status.sideB ? { sideB: status.sideB } : {}),
        ...(status.connectionStatus ? { connectionStatus: status.connectionStatus } : {}),
        ...(status.pairing ? { pairing: status.pairing } : {}),
        ...(status.incident ? { incident: status.incident } : {}),
        ...(status.conditions ? { conditions: status.conditions } : {}),
      },
    },
    clusterA: views.A,
    clusterB: views.B,
    pairsOnA,
    pairsOnB,
    volumesOnA,
    volumesOnB,
    ...(keySecret ? { keySecret } : {}),
    referencingVolumePairs: referencing,
    pendingOwnedElsewhere: ownedElsewhere,
    pairLimit: known.length > 0 ? Math.min(...known) : DEFAULT_PAIR_LIMIT,
    pollIntervalMs: deps.pollIntervalMs,
    now: kubeTime((deps.now ?? (() => new Date()))()),
  };
}

function keyCluster(view: ClusterView): KeyCluster {
  return { name: view.name, ...(view.uniqueID ? { uniqueID: view.uniqueID } : {}) };
}

async function referencingVolumePairs(deps: ClusterPairReconcilerDeps, name: string): Promise<string[]> {
  const { items } = await deps.kube.listAll<{ metadata: { name: string; namespace?: string }; spec?: { clusterPairRef?: { name?: string } } }>(VOLUME_PAIRS);
  return items
    .filter((vp) => vp.spec?.clusterPairRef?.name === name)
    .map((vp) => `${vp.metadata.namespace ?? ''}/${vp.metadata.name}`)
    .sort();
}
