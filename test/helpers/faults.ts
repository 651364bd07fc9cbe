// Fixtures for the Element-side fault tests (issue 10): the real operator (bin/elementrepl-operator.mjs,
// every controller, ElementCluster included) as a process against the shared control plane, Ready
// ElementClusters made from credential and CA Secrets, one ClusterPair, a few VolumePairs, and the
// checks every fault ends with: each pair still the one it was (same volumePairUUID on both
// volumes), nothing pending, no key Secret, no removal call the fault did not call for.
import { readFileSync } from 'node:fs';
import { ELEMENT_CLUSTER, VOLUME_PAIR } from '../../src/api/group.ts';
import { ElementClient } from '../../src/element/client.ts';
import { ALLOWED_MVIPS_ANNOTATION } from '../../src/api/annotations.ts';
import { customResource, SECRETS, type KubeClient } from '../../src/kube/client.ts';
import type { KubeObject } from '../../src/controller/object.ts';
import { SimulatorAdmin } from '../../src/simulator/admin-client.ts';
import type { ClusterEndpoint } from '../../src/simulator/admin-schema.ts';
import type { CallCounters } from '../../src/simulator/faults.ts';
import { CLUSTER_PAIRS, suffix, testKubeClient } from './cluster-pair-env.ts';
import { createTestNamespace, kubeconfigPath } from './kube.ts';
import { spawnOperator, type OperatorProcess } from './operator-process.ts';
import { waitFor } from './volume-pair-env.ts';

export const ELEMENT_CLUSTERS = customResource(ELEMENT_CLUSTER);
export const VOLUME_PAIRS = customResource(VOLUME_PAIR);
export const RUN_LABEL = 'elementrepl.io/test-run';
export const POLL = '2s';
export type SimCluster = 'PROD' | 'DR';
export const SIM_CLUSTERS: readonly SimCluster[] = ['PROD', 'DR'];

/** What the tests need of a simulator, in-process or a CLI child. */
export interface SimHandle {
  adminUrl: string;
  caPem: string;
  clusters: ClusterEndpoint[];
  admin: SimulatorAdmin;
}

/** A simulator started by the CLI: its first stdout line. */
export function simHandleFromCli(line: Record<string, unknown>): SimHandle {
  const adminUrl = line['adminUrl'] as string;
  return { adminUrl, caPem: readFileSync(line['caFile'] as string, 'utf8'), clusters: line['clusters'] as ClusterEndpoint[], admin: new SimulatorAdmin(adminUrl) };
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
type WithConditions = { status?: { conditions?: Condition[] } } | null | undefined;
export const cond = (object: WithConditions, type: string): Condition | undefined => object?.status?.conditions?.find((c) => c.type === type);

export interface VP extends KubeObject {
  spec: Record<string, unknown>;
  status?: { observedGeneration?: number; volumePairUUID?: string; mode?: string; replicationState?: string; pairing?: unknown; conditions?: Condition[] };
}
export interface CP extends KubeObject {
  status?: { clusterPairUUID?: string; connectionStatus?: string; sideA?: { clusterPairID?: number }; sideB?: { clusterPairID?: number }; conditions?: Condition[] };
}

export interface FaultEnv {
  kube: KubeClient;
  /** Replaced when the simulator is restarted. */
  sim: SimHandle;
  /** The test's own Element clients (verification only); replaced with the simulator or the password. */
  element: Record<SimCluster, ElementClient>;
  operatorNamespace: string;
  namespace: string;
  run: string;
  ec: Record<SimCluster, string>;
  credentials: Record<SimCluster, string>;
  clusterPair: string;
}

export function elementClients(sim: SimHandle, password?: string): Record<SimCluster, ElementClient> {
  const client = (name: SimCluster) => {
    const e = sim.clusters.find((c) => c.name === name);
    if (!e) throw new Error(`no simulator cluster ${name}`);
    return new ElementClient({ mvip: e.mvip, username: e.username, password: password ?? e.password, tls: { caPem: sim.caPem }, timeouts: { connectMs: 5_000, headersMs: 20_000, bodyMs: 20_000 } });
  };
  return { PROD: client('PROD'), DR: client('DR') };
}

/** Namespaces, Secrets, ElementClusters (CA-verified) and a Manage ClusterPair for PROD and DR. */
export async function setupFaultEnv(sim: SimHandle, prefix: string): Promise<FaultEnv> {
  const kube = testKubeClient();
  const [operatorNamespace, namespace] = [await createTestNamespace(`${prefix}op`), await createTestNamespace(prefix)];
  const run = suffix();
  const labels = { [RUN_LABEL]: run };
  const ec = { PROD: `${prefix}-prod-${run}`, DR: `${prefix}-dr-${run}` };
  // Names no other test uses: ElementClusters left behind by other files resolve Secret names in
  // this operator's namespace and must not find credentials for this simulator there.
  const credentials = { PROD: `${prefix}-prod-admin-${run}`, DR: `${prefix}-dr-admin-${run}` };
  const ca = `${prefix}-ca-${run}`;
  await kube.create(SECRETS, { metadata: { name: ca, namespace: operatorNamespace }, stringData: { 'ca.crt': sim.caPem } } as KubeObject);
  for (const name of SIM_CLUSTERS) {
    const endpoint = sim.clusters.find((c) => c.name === name) as ClusterEndpoint;
    await kube.create(SECRETS, { metadata: { name: credentials[name], namespace: operatorNamespace, annotations: { [ALLOWED_MVIPS_ANNOTATION]: endpoint.mvip } }, stringData: { username: endpoint.username, password: endpoint.password } } as KubeObject);
    await kube.create(ELEMENT_CLUSTERS, {
      metadata: { name: ec[name], labels },
      spec: { mvip: endpoint.mvip, credentialsSecretRef: { name: credentials[name] }, tls: { caSecretRef: { name: ca } } },
    } as KubeObject);
  }
  const clusterPair = `${prefix}-pair-${run}`;
  await kube.create(CLUSTER_PAIRS, {
    metadata: { name: clusterPair, labels },
    spec: { clusterARef: { name: ec.PROD }, clusterBRef: { name: ec.DR }, allowedNamespaces: [namespace] },
  } as KubeObject);
  return { kube, sim, element: elementClients(sim), operatorNamespace, namespace, run, ec, credentials, clusterPair };
}

/** The real operator over the whole control plane, polling every 2 s, Element timeouts of `timeoutMs`. */
export function startRealOperator(env: FaultEnv, timeoutMs: number): OperatorProcess {
  return spawnOperator({
    args: [
      '--kubeconfig', kubeconfigPath(),
      '--operator-namespace', env.operatorNamespace,
      '--poll-interval', POLL,
      '--metrics-bind-address', '0',
      '--health-probe-bind-address', '0',
      '--log-level', process.env['TEST_LOG_LEVEL'] ?? 'info',
    ],
    env: { ELEMENTREPL_TEST_HOOKS: '1', ELEMENTREPL_TEST_ELEMENT_TIMEOUT_MS: String(timeoutMs) },
  });
}

/** Deletes the run's VolumePairs, ClusterPair and ElementClusters, stripping finalizers the operator did not remove. */
export async function teardownFaultEnv(env: FaultEnv | undefined): Promise<void> {
  if (!env) return;
  const { items } = await env.kube.list<VP>(VOLUME_PAIRS, { labelSelector: `${RUN_LABEL}=${env.run}` }).catch(() => ({ items: [] as VP[] }));
  const strip = { metadata: { finalizers: null } };
  for (const vp of items) {
    const namespace = vp.metadata.namespace;
    await env.kube.mergePatch(VOLUME_PAIRS, vp.metadata.name, strip, { namespace }).catch(() => undefined);
    await env.kube.delete(VOLUME_PAIRS, vp.metadata.name, { namespace }).catch(() => undefined);
  }
  await env.kube.mergePatch(CLUSTER_PAIRS, env.clusterPair, strip).catch(() => undefined);
  await env.kube.delete(CLUSTER_PAIRS, env.clusterPair).catch(() => undefined);
  for (const name of Object.values(env.ec)) {
    await env.kube.mergePatch(ELEMENT_CLUSTERS, name, strip).catch(() => undefined);
    await env.kube.delete(ELEMENT_CLUSTERS, name).catch(() => undefined);
  }
  await Promise.all(Object.values(env.element).map((c) => c.close()));
}

export interface Declared {
  name: string;
  src: number;
  dst: number;
}

/** `count` fresh volume pairs (PROD → DR) declared as VolumePairs `<prefix>-<i>`. */
export async function declarePairs(env: FaultEnv, prefix: string, count: number, spec: Record<string, unknown> = {}): Promise<Declared[]> {
  const namePrefix = `v${suffix()}`;
  const src = await env.sim.admin.createVolumes('PROD', { count, namePrefix });
  const dst = await env.sim.admin.createVolumes('DR', { count, namePrefix });
  const declared = src.volumeIDs.map((id, i) => ({ name: `${prefix}-${i}`, src: id, dst: dst.volumeIDs[i] as number }));
  for (const d of declared) {
    await env.kube.create(VOLUME_PAIRS, {
      metadata: { name: d.name, namespace: env.namespace, labels: { [RUN_LABEL]: env.run } },
      spec: { clusterPairRef: { name: env.clusterPair }, sideA: { volumeID: d.src }, sideB: { volumeID: d.dst }, ...spec },
    } as KubeObject);
  }
  return declared;
}

export const getVP = (env: FaultEnv, name: string): Promise<VP | null> => env.kube.get<VP>(VOLUME_PAIRS, name, env.namespace);
export const getCP = (env: FaultEnv): Promise<CP | null> => env.kube.get<CP>(CLUSTER_PAIRS, env.clusterPair);
export const getEC = (env: FaultEnv, cluster: SimCluster): Promise<CP | null> => env.kube.get<CP>(ELEMENT_CLUSTERS, env.ec[cluster]);

/** Every VolumePair of the run, by name. */
export async function allVPs(env: FaultEnv): Promise<Map<string, VP>> {
  const { items } = await env.kube.list<VP>(VOLUME_PAIRS, { namespace: env.namespace, labelSelector: `${RUN_LABEL}=${env.run}` });
  return new Map(items.map((vp) => [vp.metadata.name, vp]));
}

/** Ready for its current spec, with no pairing in flight. */
const settled = (vp: VP | undefined): boolean =>
  vp !== undefined && cond(vp, 'Ready')?.status === 'True' && vp.status?.pairing === undefined && vp.status?.observedGeneration === vp.metadata.generation;

/** Waits until these VolumePairs are Ready with no pairing in flight; returns the time it took. */
export async function allReady(env: FaultEnv, names: readonly string[], what: string, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  await waitFor(
    async () => {
      const vps = await allVPs(env);
      return names.filter((n) => !settled(vps.get(n))).map((n) => `${n}: ${JSON.stringify(cond(vps.get(n), 'Ready'))}`);
    },
    (pending) => pending.length === 0,
    what,
    timeoutMs,
  );
  return Date.now() - started;
}

/** The volume pairs Element lists on one volume. */
export async function pairsOn(env: FaultEnv, cluster: SimCluster, volumeID: number): Promise<{ uuid: string | undefined; remote: number; state: string | undefined; mode: string | undefined }[]> {
  const [volume] = await env.element[cluster].listVolumes({ volumeIDs: [volumeID] });
  return (volume?.volumePairs ?? []).map((p) => ({ uuid: p.volumePairUUID, remote: p.remoteVolumeID, state: p.remoteReplication?.state ?? undefined, mode: p.remoteReplication?.mode ?? undefined }));
}

/** The UUID when exactly one pair links src and dst on both clusters (one UUID), else undefined. */
export async function linkedUUID(env: FaultEnv, d: Declared): Promise<string | undefined> {
  const [a, b] = [await pairsOn(env, 'PROD', d.src), await pairsOn(env, 'DR', d.dst)];
  if (a.length !== 1 || b.length !== 1) return undefined;
  const [pa, pb] = [a[0]!, b[0]!];
  return pa.remote === d.dst && pb.remote === d.src && pa.uuid !== undefined && pa.uuid === pb.uuid ? pa.uuid : undefined;
}

/** name → volumePairUUID, each confirmed on both clusters and in the VolumePair's status. */
export async function snapshotUUIDs(env: FaultEnv, declared: readonly Declared[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const vps = await allVPs(env);
  for (const d of declared) {
    const uuid = await linkedUUID(env, d);
    if (uuid === undefined || vps.get(d.name)?.status?.volumePairUUID !== uuid) {
      throw new Error(`${d.name}: no single pair ${d.src}↔${d.dst} matching its status (${JSON.stringify(vps.get(d.name)?.status)})`);
    }
    out[d.name] = uuid;
  }
  return out;
}

/** Pending (Unconfigured) volume pairs on either cluster, as `CLUSTER:volumeID`. */
export async function pendingPairs(env: FaultEnv): Promise<string[]> {
  const pending: string[] = [];
  for (const c of SIM_CLUSTERS) {
    for (const v of await env.element[c].listActivePairedVolumes()) {
      if (v.volumePairs.some((p) => p.remoteReplication?.state === 'Unconfigured')) pending.push(`${c}:${v.volumeID}`);
    }
  }
  return pending;
}

/** Volume pairing key Secrets in the operator namespace. */
export async function keySecrets(env: FaultEnv): Promise<string[]> {
  const { items } = await env.kube.list(SECRETS, { namespace: env.operatorNamespace, labelSelector: 'elementrepl.io/role=pairing-key' });
  return items.map((s) => s.metadata.name);
}

/** RemoveVolumePair / RemoveClusterPair calls per cluster in these counters (only non-zero ones). */
export function removals(counters: CallCounters): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [cluster, methods] of Object.entries(counters)) {
    for (const method of ['RemoveVolumePair', 'RemoveClusterPair']) {
      const n = methods[method] ?? 0;
      if (n > 0) out[cluster] = { ...out[cluster], [method]: n };
    }
  }
  return out;
}

const EVENTS = { group: 'events.k8s.io', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };

/** Reasons of the Events recorded about this VolumePair. */
export async function eventReasons(env: FaultEnv, name: string): Promise<string[]> {
  const { items } = await env.kube.list<KubeObject & { reason?: string; regarding?: { name?: string } }>(EVENTS, { namespace: env.namespace });
  return items.filter((e) => e.regarding?.name === name).map((e) => e.reason ?? '');
}

/** Cluster pairs each cluster lists: [clusterPairUUID, status]. */
export async function clusterPairsOn(env: FaultEnv, cluster: SimCluster): Promise<[string | undefined, string][]> {
  return (await env.element[cluster].listClusterPairs()).map((p) => [p.clusterPairUUID ?? undefined, p.status]);
}

/** Polls `read` every `everyMs` until `stop` resolves; returns the distinct values seen, in order. */
export function sampleWhile<T>(read: () => Promise<T>, stop: Promise<unknown>, everyMs = 250): Promise<T[]> {
  let done = false;
  const end = () => {
    done = true;
  };
  stop.then(end, end);
  return (async () => {
    const seen: T[] = [];
    const keys = new Set<string>();
    while (!done) {
      const value = await read().catch(() => undefined);
      if (value !== undefined && !keys.has(JSON.stringify(value))) {
        keys.add(JSON.stringify(value));
        seen.push(value);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    return seen;
  })();
}

export { waitFor };
