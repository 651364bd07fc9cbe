// `plan -f FILE|DIR`: what the operator would do to Element for the ClusterPairs and VolumePairs
// in the files, with its own observe code and planners, over read-only Element clients and
// Kubernetes reads only. Exit 3 when a resource would stall.
import { ClusterPair, ElementCluster, VolumePair } from '../api/index.ts';
import type { KubeClient, ResourceType } from '../kube/client.ts';
import { isForbidden } from '../kube/errors.ts';
import { clusterIdentity } from '../reconcilers/cluster-view.ts';
import { observe as observeClusterPair } from '../reconcilers/cluster-pair/observe.ts';
import { planClusterPair } from '../reconcilers/cluster-pair/plan.ts';
import { CLUSTER_PAIR_KEY_PREFIX } from '../reconcilers/cluster-pair/reconcile.ts';
import { ObservationCache } from '../reconcilers/observation-cache.ts';
import { PairingKeySecrets } from '../reconcilers/shell/pairing-key-secrets.ts';
import type { KeyOwner } from '../reconcilers/shell/pairing-key-secrets.ts';
import { CLUSTER_PAIRS, ELEMENT_CLUSTERS, VOLUME_PAIRS } from '../reconcilers/shell/resources.ts';
import { observe as observeVolumePair } from '../reconcilers/volume-pair/observe.ts';
import { buildClaimIndex } from '../reconcilers/volume-pair/plan-claims.ts';
import { planVolumePair } from '../reconcilers/volume-pair/plan.ts';
import { VOLUME_PAIR_KEY_PREFIX } from '../reconcilers/volume-pair/reconcile.ts';
import { UsageError, outputFormat, stringsFlag } from './args.ts';
import type { FlagSpec } from './args.ts';
import type { CliContext } from './context.ts';
import { CliError } from './context.ts';
import { describeClusterPairStep } from './describe-steps.ts';
import { ElementAccess } from './element-access.ts';
import type { ClusterAccess } from './element-access.ts';
import { loadManifests } from './manifests.ts';
import type { Manifest } from './manifests.ts';
import { renderData } from './output.ts';
import { renderPlan } from './plan-render.ts';
import type { ResourcePlan } from './plan-render.ts';
import { simulateVolumePair } from './simulate-volume-pair.ts';
import type { Outcome, PlannedCall } from './simulate-volume-pair.ts';
import { StaticReader, planTarget, specChange } from './plan-objects.ts';

export const PLAN_FLAGS: readonly FlagSpec[] = [
  { name: 'filename', short: 'f', kind: 'strings', help: 'A manifest file or a directory of them (repeatable).' },
  { name: 'credentials', kind: 'strings', help: 'EC=NAMESPACE/NAME: read ElementCluster EC with this Secret (a read-only Element account) instead of its own (repeatable).' },
];

/** `--credentials EC=NAMESPACE/NAME` values. */
export function credentialOverrides(values: readonly string[]): Map<string, { namespace: string; name: string }> {
  const out = new Map<string, { namespace: string; name: string }>();
  for (const value of values) {
    const match = /^([^=\s]+)=([^/\s]+)\/([^/\s]+)$/.exec(value);
    if (match === null) throw new UsageError(`--credentials takes ELEMENTCLUSTER=NAMESPACE/SECRET, not "${value}"`);
    out.set(match[1] as string, { namespace: match[2] as string, name: match[3] as string });
  }
  return out;
}

export const EXIT_STALL = 3;
const POLL_MS = 60_000;
const GROUP_VERSION = 'elementrepl.io/';

async function listLive<T>(kube: KubeClient, resource: ResourceType): Promise<T[]> {
  try {
    return (await kube.listAll<T & { metadata: { name: string } }>(resource)).items;
  } catch (error) {
    if (isForbidden(error)) throw new CliError(`you may not list ${resource.plural} cluster-wide; plan needs read access to ElementClusters, ClusterPairs and VolumePairs`);
    throw error;
  }
}

/** Key Secrets in the operator namespace: read when allowed, else assumed absent (said in a note). */
function keyReader(kube: KubeClient, namespace: string, ownerKind: string, namePrefix: string, notes: Set<string>) {
  const keys = new PairingKeySecrets({ kube, namespace, ownerKind, namePrefix, ownerReference: false });
  const forbidden = (error: unknown) => {
    if (!isForbidden(error)) throw error;
    notes.add(`you may not read pairing-key Secrets in ${namespace}; plan assumed there are none`);
  };
  return {
    exists: (owner: KeyOwner) => (owner.uid === '' ? Promise.resolve(false) : keys.exists(owner).catch((e: unknown) => (forbidden(e), false))),
    facts: (owner: KeyOwner) => (owner.uid === '' ? Promise.resolve(undefined) : keys.facts(owner).catch((e: unknown) => (forbidden(e), undefined))),
    othersFacts: (owner: KeyOwner) => keys.othersFacts(owner).catch((e: unknown) => (forbidden(e), [])),
  };
}

function parseOrFail<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, m: Manifest): T {
  const parsed = schema.safeParse(m.object);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CliError(`${m.source}: invalid ${m.kind}: ${issue ? `${issue.path.map(String).join('.') || '(object)'}: ${issue.message}` : 'schema mismatch'}`);
}

export async function runPlan(context: CliContext): Promise<number> {
  const targets = stringsFlag(context.flags, 'filename');
  if (targets.length === 0) throw new UsageError('plan needs -f FILE or -f DIR');
  if (context.positionals.length > 0) throw new UsageError(`plan takes no arguments, got "${context.positionals[0] ?? ''}"`);
  const credentials = credentialOverrides(stringsFlag(context.flags, 'credentials'));
  const manifests = loadManifests(targets);
  const kube = context.kube();
  const operatorNamespace = context.operatorNamespace();
  const notes = new Set<string>();

  const [liveECs, liveCPs, liveVPs] = await Promise.all([
    listLive<ElementCluster>(kube, ELEMENT_CLUSTERS),
    listLive<ClusterPair>(kube, CLUSTER_PAIRS),
    listLive<VolumePair>(kube, VOLUME_PAIRS),
  ]);
  const ecs = new Map(liveECs.map((ec) => [ec.metadata.name, ec]));
  const cps = new Map(liveCPs.map((cp) => [cp.metadata.name, cp]));
  const vps = new Map(liveVPs.map((vp) => [`${vp.metadata.namespace ?? ''}/${vp.metadata.name}`, vp]));

  const now = new Date();
  const planned: { kind: 'ClusterPair' | 'VolumePair'; object: ClusterPair | VolumePair; change: ResourcePlan['change'] }[] = [];
  for (const m of manifests) {
    if (!m.apiVersion.startsWith(GROUP_VERSION)) continue;
    if (m.kind === 'ElementCluster') {
      const file = parseOrFail(ElementCluster, m);
      const live = ecs.get(file.metadata.name);
      notes.add(live === undefined
        ? `ElementCluster ${file.metadata.name} (${m.source}) is not in the cluster: plan never connects to an MVIP from the files; apply it first`
        : `ElementCluster ${file.metadata.name}: plan uses the live object${live.spec.mvip === file.spec.mvip ? '' : ` (MVIP ${live.spec.mvip}), not the file's MVIP ${file.spec.mvip}`}`);
      continue;
    }
    if (m.kind === 'ClusterPair') {
      const file = parseOrFail(ClusterPair, m);
      const live = cps.get(file.metadata.name);
      const object = planTarget(file, live, now);
      cps.set(object.metadata.name, object);
      planned.push({ kind: 'ClusterPair', object, change: specChange(file, live) });
    } else if (m.kind === 'VolumePair') {
      const namespace = m.object.metadata?.namespace ?? context.namespace();
      const file = parseOrFail(VolumePair, { ...m, object: { ...m.object, metadata: { ...m.object.metadata, namespace } } });
      const key = `${namespace}/${file.metadata.name}`;
      const live = vps.get(key);
      const object = planTarget(file, live, now);
      vps.set(key, object);
      planned.push({ kind: 'VolumePair', object, change: specChange(file, live) });
    }
  }
  if (planned.length === 0) throw new CliError(`no ClusterPair or VolumePair in ${targets.join(', ')}`);

  // Connect (read-only) to every ElementCluster a planned resource uses, before any planning: a
  // Secret the user may not read ends the command with one line.
  const access = new ElementAccess({ kube, operatorNamespace, elementClusters: ecs, credentials });
  const clustersOf = (p: (typeof planned)[number]): string[] => {
    const cp = p.kind === 'ClusterPair' ? (p.object as ClusterPair) : cps.get((p.object as VolumePair).spec.clusterPairRef.name);
    return cp === undefined ? [] : [cp.spec.clusterARef.name, cp.spec.clusterBRef.name];
  };
  const needed = [...new Set(planned.flatMap(clustersOf))];
  const resolved = new Map<string, ClusterAccess>();
  try {
    for (const [name, a] of await Promise.all(needed.map(async (n) => [n, await access.get(n)] as const))) resolved.set(name, a);
    for (const [name, a] of resolved) if (a.kind === 'unavailable') notes.add(a.message.startsWith('ElementCluster') ? a.message : `${name}: ${a.message}`);
    const cache = new ObservationCache({ clientFor: (n) => { const a = resolved.get(n); return a?.kind === 'ok' ? a.client : undefined; }, pollIntervalMs: POLL_MS });
    const ecReader = new StaticReader(ecs);
    const cpReader = new StaticReader(cps);
    const vpReader = new StaticReader(vps);
    const identityOf = (name: string) => clusterIdentity(ecReader, name);
    const claims = buildClaimIndex(vpReader.list(), cps, identityOf);
    const needs = { freshness: 'now' as const, ownGeneration: () => 0 };
    const events = { record: () => undefined };

    const results: ResourcePlan[] = [];
    for (const p of planned) {
      if (p.kind === 'ClusterPair') {
        const cp = p.object as ClusterPair;
        const names = { A: cp.spec.clusterARef.name, B: cp.spec.clusterBRef.name };
        const input = await observeClusterPair(cp, {
          deps: { kube, cache, events, operatorNamespace, pollIntervalMs: POLL_MS },
          keys: keyReader(kube, operatorNamespace, 'ClusterPair', CLUSTER_PAIR_KEY_PREFIX, notes),
          minGeneration: () => 0,
          pairLimit: (n) => cache.call(n, (c) => c.getLimits()).then((l) => l.clusterPairsCountMax, () => undefined),
          needs,
        });
        results.push({ kind: 'ClusterPair', name: cp.metadata.name, change: p.change, ...clusterPairSteps(input, names) });
      } else {
        const vp = p.object as VolumePair;
        const cp = cps.get(vp.spec.clusterPairRef.name);
        const names = cp === undefined ? { A: 'A', B: 'B' } : { A: cp.spec.clusterARef.name, B: cp.spec.clusterBRef.name };
        const observed = await observeVolumePair(vp, {
          deps: { kube, cache, events, volumePairs: vpReader, clusterPairs: cpReader, elementClusters: ecReader, operatorNamespace, pollIntervalMs: POLL_MS },
          keys: keyReader(kube, operatorNamespace, 'VolumePair', VOLUME_PAIR_KEY_PREFIX, notes),
          claims: () => claims,
          identityOf,
          needs,
        });
        const simulation = simulateVolumePair(observed.input, planVolumePair, names);
        results.push({
          kind: 'VolumePair', namespace: vp.metadata.namespace ?? '', name: vp.metadata.name, change: p.change,
          calls: simulation.calls, kubernetesWrites: simulation.kubernetesWrites, outcome: simulation.outcome,
        });
      }
    }
    const format = outputFormat(context.flags);
    const report = { resources: results, notes: [...notes] };
    context.stdout.write(format === 'table' ? renderPlan(report) : renderData(format, report));
    return results.some((r) => r.outcome.kind === 'stalled') ? EXIT_STALL : 0;
  } finally {
    await access.closeAll();
  }
}

type ClusterPairInput = Awaited<ReturnType<typeof observeClusterPair>>;

/**
 * The ClusterPair planner's decisions on the live observation, following its status-only steps
 * (finalizer, intent) to the first Element call; a new pair's remaining call is the fixed
 * CompleteClusterPairing on B, given as predicted.
 */
function clusterPairSteps(input: ClusterPairInput, names: { A: string; B: string }): { calls: PlannedCall[]; kubernetesWrites: string[]; outcome: Outcome } {
  const calls: PlannedCall[] = [];
  const kubernetesWrites: string[] = [];
  let current = input;
  for (let round = 0; round < 10; round += 1) {
    const plan = planClusterPair(current);
    const stalled = plan.status.conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
    const ready = plan.status.conditions.find((c) => c.type === 'Ready');
    for (const d of describeClusterPairStep(plan.step, names)) {
      if (d.kind === 'element') calls.push({ text: d.text, cluster: d.cluster, method: d.method, predicted: false });
      if (d.kind === 'kubernetes') kubernetesWrites.push(d.text);
    }
    if (stalled !== undefined) return { calls, kubernetesWrites, outcome: { kind: 'stalled', reason: stalled.reason, message: stalled.message } };
    if (plan.step.kind === 'none') {
      return { calls, kubernetesWrites, outcome: ready?.status === 'True' ? { kind: 'ready', reason: ready.reason, message: ready.message } : { kind: 'waiting', reason: ready?.reason ?? 'Unknown', message: ready?.message ?? '' } };
    }
    if (plan.step.kind === 'startPairing') {
      calls.push({ text: `${names.B}: CompleteClusterPairing`, cluster: names.B, method: 'CompleteClusterPairing', predicted: true });
      return { calls, kubernetesWrites, outcome: { kind: 'ready', reason: 'Paired', message: 'predicted: the clusters are paired once the key is completed on B' } };
    }
    if (plan.step.kind === 'addFinalizer') current = { ...current, pair: { ...current.pair, hasFinalizer: true } };
    else if (plan.step.kind === 'writeIntent' || plan.step.kind === 'clearIntent') current = { ...current, pair: { ...current.pair, status: plan.status } };
    else return { calls, kubernetesWrites, outcome: { kind: 'unsettled', message: `then the operator looks again (after ${plan.step.kind})` } };
  }
  return { calls, kubernetesWrites, outcome: { kind: 'unsettled', message: 'no Element call within 10 status-only steps' } };
}
