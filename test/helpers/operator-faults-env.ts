// Fixtures for the operator and Kubernetes fault tests (issue 10): a private control plane (so that
// restarting its API server disturbs no other file, and the real operator, whose informers are not
// scoped, sees only this file's objects), the Element simulator in process, credentials and CA
// Secrets, two ElementClusters and a ClusterPair, and the real operator (bin/elementrepl-operator.mjs)
// as a process. The checks return lists of problems, so a failure names every deviation at once.
import net from 'node:net';
import type { KubeObject } from '../../src/controller/object.ts';
import { ALLOWED_MVIPS_ANNOTATION } from '../../src/api/annotations.ts';
import { SECRETS, customResource, KubeClient } from '../../src/kube/client.ts';
import { loadKubeConfig } from '../../src/kube/kubeconfig.ts';
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from '../../src/api/group.ts';
import type { ElementClient } from '../../src/element/client.ts';
import type { Volume } from '../../src/element/schema.ts';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/simulator.ts';
import { elementClient } from '../../src/simulator/testing/clients.ts';
import { startControlPlane, type ControlPlane } from '../harness/control-plane.ts';
import { spawnOperator, type OperatorProcess } from './operator-process.ts';

export const ELEMENT_CLUSTERS = customResource(ELEMENT_CLUSTER);
export const CLUSTER_PAIRS = customResource(CLUSTER_PAIR);
export const VOLUME_PAIRS = customResource(VOLUME_PAIR);
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const CLUSTER_PAIR_NAME = 'prod-dr';
const OWN_SECRETS = ['prod-admin', 'dr-admin', 'sim-ca'];
type Side = 'PROD' | 'DR';

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
export interface VP {
  metadata: { name: string; namespace?: string; resourceVersion?: string; finalizers?: string[]; deletionTimestamp?: string };
  spec: Record<string, unknown>;
  status?: { volumePairUUID?: string; sideA?: { volumeID?: number }; sideB?: { volumeID?: number }; pairing?: unknown; conditions?: Condition[] };
}
interface CP {
  metadata: { name: string };
  status?: { sideA?: { clusterPairID?: number }; sideB?: { clusterPairID?: number }; conditions?: Condition[] };
}

export function cond(object: { status?: { conditions?: Condition[] } } | null | undefined, type: string): Condition | undefined {
  return object?.status?.conditions?.find((c) => c.type === type);
}

export interface FaultsEnv {
  plane: ControlPlane;
  kube: KubeClient;
  sim: RunningSimulator;
  element: Record<Side, ElementClient>;
  operatorNamespace: string;
  clusterPair: string;
  close(): Promise<void>;
}

export interface Declared {
  namespace: string;
  name: string;
  src: number;
  dst: number;
}

export async function startFaultsEnv(simulator: SimulatorOptions): Promise<FaultsEnv> {
  const plane = await startControlPlane({ log: () => undefined });
  const kube = new KubeClient(loadKubeConfig({ kubeconfig: plane.kubeconfigPath }).kubeConfig);
  const operatorNamespace = 'elementrepl-system';
  await createNamespace(plane, operatorNamespace);
  const sim = await startSimulator({ clusters: ['PROD', 'DR'], ...simulator });
  const element = { PROD: elementClient(sim, 'PROD'), DR: elementClient(sim, 'DR') };
  const endpoint = (name: Side) => sim.clusters.find((c) => c.name === name)!;
  await kube.create(SECRETS, { metadata: { name: 'sim-ca', namespace: operatorNamespace }, stringData: { 'ca.crt': sim.caPem } } as KubeObject);
  for (const side of ['PROD', 'DR'] as const) {
    const { username, password, mvip } = endpoint(side);
    const secret = `${side.toLowerCase()}-admin`;
    await kube.create(SECRETS, { metadata: { name: secret, namespace: operatorNamespace, annotations: { [ALLOWED_MVIPS_ANNOTATION]: mvip } }, stringData: { username, password } } as KubeObject);
    await kube.create(ELEMENT_CLUSTERS, {
      metadata: { name: side.toLowerCase() },
      spec: { mvip, credentialsSecretRef: { name: secret }, tls: { caSecretRef: { name: 'sim-ca', key: 'ca.crt' } } },
    });
  }
  await kube.create(CLUSTER_PAIRS, { metadata: { name: CLUSTER_PAIR_NAME }, spec: { clusterARef: { name: 'prod' }, clusterBRef: { name: 'dr' } } });
  return {
    plane, kube, sim, element, operatorNamespace, clusterPair: CLUSTER_PAIR_NAME,
    close: async () => {
      await Promise.all([element.PROD.close(), element.DR.close()]);
      await sim.stop();
      await plane.stop();
    },
  };
}

export async function createNamespace(plane: ControlPlane, name: string): Promise<string> {
  const response = await plane.client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (response.status !== 201) throw new Error(`create namespace ${name}: HTTP ${response.status} ${response.text}`);
  return name;
}

export interface OperatorOptions {
  leaderElect?: boolean;
  logLevel?: string;
  /** Port of /metrics on 127.0.0.1; default: disabled. */
  metricsPort?: number;
  pollInterval?: string;
}

/** The real operator (main.ts) against the private plane; probes off, metrics only when asked. */
export function startRealOperator(env: FaultsEnv, options: OperatorOptions = {}): OperatorProcess {
  return spawnOperator({
    args: [
      `--kubeconfig=${env.plane.kubeconfigPath}`,
      `--operator-namespace=${env.operatorNamespace}`,
      `--poll-interval=${options.pollInterval ?? '10s'}`,
      `--log-level=${options.logLevel ?? 'info'}`,
      `--metrics-bind-address=${options.metricsPort === undefined ? '0' : `127.0.0.1:${options.metricsPort}`}`,
      '--health-probe-bind-address=0',
      ...(options.leaderElect ? ['--leader-elect'] : []),
    ],
  });
}

/** Polls until `done` holds; fails after a generous deadline (no speed is asserted). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2_000)}`);
}

export async function waitForOutput(op: OperatorProcess, text: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (op.output().includes(text)) return true;
    if (op.child.exitCode !== null || op.child.signalCode !== null) return false;
    await sleep(50);
  }
  return false;
}

export const clusterPairReady = (env: FaultsEnv) =>
  waitFor(() => env.kube.get<CP>(CLUSTER_PAIRS, env.clusterPair), (cp) => cond(cp, 'Ready')?.status === 'True', 'ClusterPair Ready');

/** `count` fresh volumes on each cluster and one VolumePair per couple, created concurrently (one go). */
export async function declarePairs(env: FaultsEnv, namespace: string, count: number): Promise<Declared[]> {
  const [src, dst] = [await env.sim.admin.createVolumes('PROD', { count, namePrefix: `${namespace}-src` }), await env.sim.admin.createVolumes('DR', { count, namePrefix: `${namespace}-dst` })];
  const declared = src.volumeIDs.map((id, i) => ({ namespace, name: `vp-${i}`, src: id, dst: dst.volumeIDs[i]! }));
  await inBatches(declared, 25, (d) =>
    env.kube.create(VOLUME_PAIRS, {
      metadata: { name: d.name, namespace },
      spec: { clusterPairRef: { name: env.clusterPair }, sideA: { volumeID: d.src }, sideB: { volumeID: d.dst } },
    }),
  );
  return declared;
}

export async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

export async function listPairs(env: FaultsEnv, namespace: string): Promise<VP[]> {
  return (await env.kube.listAll<VP>(VOLUME_PAIRS, { namespace })).items;
}

export async function readyCount(env: FaultsEnv, namespace: string): Promise<number> {
  return (await listPairs(env, namespace)).filter((vp) => cond(vp, 'Ready')?.status === 'True').length;
}

export const allReady = (env: FaultsEnv, namespace: string, count: number) =>
  waitFor(() => readyCount(env, namespace), (n) => n === count, `${count} VolumePairs Ready in ${namespace}`, 300_000);

/** Secrets in the operator namespace other than the credentials and CA this file created. */
export async function straySecrets(env: FaultsEnv): Promise<string[]> {
  const { items } = await env.kube.list(SECRETS, { namespace: env.operatorNamespace });
  return items.map((s) => s.metadata.name).filter((name) => !OWN_SECRETS.includes(name));
}

async function pairedVolumes(env: FaultsEnv): Promise<Record<Side, Map<number, Volume>>> {
  const [prod, dr] = await Promise.all([env.element.PROD.listActivePairedVolumes(), env.element.DR.listActivePairedVolumes()]);
  return { PROD: new Map(prod.map((v) => [v.volumeID, v])), DR: new Map(dr.map((v) => [v.volumeID, v])) };
}

/**
 * Everything as declared, and nothing else: each VolumePair Ready with its volumes and UUID in
 * status and no intent left; on Element exactly the declared pairs, one entry per volume, same
 * UUID on both sides, on this ClusterPair's IDs, Active; no other paired or pending volume; no key
 * Secret. Returns the problems found (empty = exact).
 */
export async function deviations(env: FaultsEnv, declared: readonly Declared[]): Promise<string[]> {
  const problems: string[] = [];
  const cp = await env.kube.get<CP>(CLUSTER_PAIRS, env.clusterPair);
  const pairIDs = { PROD: cp?.status?.sideA?.clusterPairID, DR: cp?.status?.sideB?.clusterPairID };
  const namespaces = [...new Set(declared.map((d) => d.namespace))];
  const objects = new Map<string, VP>();
  for (const ns of namespaces) for (const vp of await listPairs(env, ns)) objects.set(`${ns}/${vp.metadata.name}`, vp);
  const paired = await pairedVolumes(env);
  for (const d of declared) {
    const key = `${d.namespace}/${d.name}`;
    const vp = objects.get(key);
    objects.delete(key);
    if (cond(vp, 'Ready')?.status !== 'True') problems.push(`${key}: not Ready (${JSON.stringify(cond(vp, 'Ready'))})`);
    if (vp?.status?.pairing !== undefined) problems.push(`${key}: intent left in status`);
    if (vp?.status?.sideA?.volumeID !== d.src || vp.status.sideB?.volumeID !== d.dst) problems.push(`${key}: status volumes ${JSON.stringify([vp?.status?.sideA, vp?.status?.sideB])}`);
    const [a, b] = [paired.PROD.get(d.src), paired.DR.get(d.dst)];
    paired.PROD.delete(d.src);
    paired.DR.delete(d.dst);
    const [pa, pb] = [a?.volumePairs ?? [], b?.volumePairs ?? []];
    if (pa.length !== 1 || pb.length !== 1) {
      problems.push(`${key}: ${pa.length} pair entries on PROD volume ${d.src}, ${pb.length} on DR volume ${d.dst}`);
      continue;
    }
    const [ea, eb] = [pa[0]!, pb[0]!];
    if (ea.remoteVolumeID !== d.dst || eb.remoteVolumeID !== d.src) problems.push(`${key}: linked ${d.src}→${ea.remoteVolumeID}, ${d.dst}→${eb.remoteVolumeID}`);
    if (ea.volumePairUUID !== eb.volumePairUUID || ea.volumePairUUID !== vp?.status?.volumePairUUID) problems.push(`${key}: UUIDs ${ea.volumePairUUID} / ${eb.volumePairUUID} / status ${vp?.status?.volumePairUUID}`);
    if (ea.clusterPairID !== pairIDs.PROD || eb.clusterPairID !== pairIDs.DR) problems.push(`${key}: clusterPairIDs ${ea.clusterPairID}/${eb.clusterPairID}, ClusterPair has ${pairIDs.PROD}/${pairIDs.DR}`);
    if (ea.remoteReplication?.state !== 'Active' || eb.remoteReplication?.state !== 'Active') problems.push(`${key}: states ${ea.remoteReplication?.state}/${eb.remoteReplication?.state}`);
    if (a?.access !== 'readWrite' || b?.access !== 'replicationTarget') problems.push(`${key}: access ${a?.access}/${b?.access}`);
  }
  for (const key of objects.keys()) problems.push(`${key}: not declared`);
  for (const side of ['PROD', 'DR'] as const) {
    for (const v of paired[side].values()) problems.push(`${side} volume ${v.volumeID}: paired without a declaration (${JSON.stringify(v.volumePairs.map((p) => [p.remoteVolumeID, p.remoteReplication?.state]))})`);
  }
  for (const name of await straySecrets(env)) problems.push(`stray Secret ${env.operatorNamespace}/${name}`);
  return problems;
}

/** Deletes the declared VolumePairs at once and waits until they are gone. */
export async function deleteAll(env: FaultsEnv, declared: readonly Declared[]): Promise<void> {
  await inBatches(declared, 25, (d) => env.kube.delete(VOLUME_PAIRS, d.name, { namespace: d.namespace }));
}

export async function allGone(env: FaultsEnv, declared: readonly Declared[]): Promise<void> {
  const namespaces = [...new Set(declared.map((d) => d.namespace))];
  await waitFor(async () => (await Promise.all(namespaces.map((ns) => listPairs(env, ns)))).flat().length, (n) => n === 0, 'VolumePairs gone', 300_000);
}

/** Volume pairs on Element: established on the target (DR) side, and pending (Unconfigured) on the source side. */
export async function elementProgress(env: FaultsEnv): Promise<{ established: number; pending: number }> {
  const paired = await pairedVolumes(env);
  const count = (side: Side, match: (state: string | undefined) => boolean) =>
    [...paired[side].values()].filter((v) => v.volumePairs.some((p) => match(p.remoteReplication?.state))).length;
  return { established: count('DR', (s) => s !== 'Unconfigured'), pending: count('PROD', (s) => s === 'Unconfigured') };
}

/** Volume pairs (pending or not) left on either cluster, and stray Secrets. */
export async function leftovers(env: FaultsEnv): Promise<string[]> {
  const paired = await pairedVolumes(env);
  const problems: string[] = [];
  for (const side of ['PROD', 'DR'] as const) for (const v of paired[side].values()) problems.push(`${side} volume ${v.volumeID} still paired`);
  for (const name of await straySecrets(env)) problems.push(`stray Secret ${env.operatorNamespace}/${name}`);
  return problems;
}

/** JSON-RPC calls per cluster and method since the last reset, mutating ones only. */
export async function mutatingCalls(env: FaultsEnv): Promise<Record<string, Record<string, number>>> {
  const counters = await env.sim.admin.counters();
  const out: Record<string, Record<string, number>> = {};
  for (const [cluster, methods] of Object.entries(counters)) {
    out[cluster] = Object.fromEntries(Object.entries(methods).filter(([m]) => !m.startsWith('List') && !m.startsWith('Get')));
  }
  return out;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sum of a Prometheus sample family (all label sets matching `labels`) on /metrics. */
export async function metric(port: number, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** mulberry32: a small seeded PRNG, so a failing run can be repeated with its printed seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
