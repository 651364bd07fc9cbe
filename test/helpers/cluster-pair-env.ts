// Fixtures for ClusterPair integration tests: an in-process Element simulator, ElementCluster
// objects pointing at its clusters (their status set as the ElementCluster reconciler would), and
// a ClusterPairReconciler driven directly, one reconcile at a time, over the shared control plane.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { ELEMENT_CLUSTER, CLUSTER_PAIR } from '../../src/api/group.ts';
import { ElementClient } from '../../src/element/client.ts';
import { ALLOWED_MVIPS_ANNOTATION } from '../../src/api/annotations.ts';
import { KubeClient, SECRETS, customResource } from '../../src/kube/client.ts';
import type { EventRecord } from '../../src/kube/events.ts';
import { loadKubeConfig } from '../../src/kube/kubeconfig.ts';
import { ObservationCache } from '../../src/reconcilers/observation-cache.ts';
import { ClusterPairReconciler } from '../../src/reconcilers/cluster-pair/reconcile.ts';
import type { ClusterPairElement } from '../../src/reconcilers/cluster-pair/deps.ts';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/simulator.ts';
import { kubeconfigPath } from './kube.ts';
import { spawnOperator, type OperatorProcess } from './operator-process.ts';

export const ELEMENT_CLUSTERS = customResource(ELEMENT_CLUSTER);
export const CLUSTER_PAIRS = customResource(CLUSTER_PAIR);

export const suffix = (): string => randomBytes(3).toString('hex');
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function testKubeClient(): KubeClient {
  return new KubeClient(loadKubeConfig({ kubeconfig: kubeconfigPath() }).kubeConfig);
}

export async function startTestSimulator(clusters: string[], options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ clusters, connectDelayMs: 300, ...options });
}

/** Creates an ElementCluster for simulator cluster `simName` and marks it Ready with its identity. */
export async function readyElementCluster(kube: KubeClient, sim: RunningSimulator, name: string, simName: string): Promise<void> {
  const endpoint = sim.clusters.find((c) => c.name === simName);
  const identity = (await sim.admin.clusters()).find((c) => c.name === simName);
  if (!endpoint || !identity) throw new Error(`no simulator cluster ${simName}`);
  await kube.create(ELEMENT_CLUSTERS, { metadata: { name }, spec: { mvip: endpoint.mvip, credentialsSecretRef: { name: 'unused' } } });
  await kube.patchStatus(ELEMENT_CLUSTERS, name, {
    clusterName: identity.name,
    clusterUniqueID: identity.uniqueID,
    clusterUUID: identity.uuid,
    elementVersion: identity.elementVersion,
    conditions: [{ type: 'Ready', status: 'True', reason: 'Connected', message: 'test', lastTransitionTime: '2026-01-01T00:00:00Z' }],
  });
}

export interface Driver {
  reconciler: ClusterPairReconciler;
  cache: ObservationCache<ClusterPairElement>;
  events: EventRecord[];
  errors: string[];
  /** Reconciles until the planner asks only for the poll (or `max` rounds); returns the rounds run. */
  settle(name: string, max?: number): Promise<number>;
  /** Reconciles once; an error is recorded and returned, not thrown. */
  once(name: string): Promise<{ requeueAfterMs?: number } | Error>;
}

export const POLL_MS = 60_000;

/**
 * A reconciler of its own (own cache and generations: a fresh one is what a restarted operator
 * has), whose ElementClusters `ecToSim` maps to simulator clusters.
 */
export function driver(kube: KubeClient, sim: RunningSimulator, ecToSim: Record<string, string>, namespace: string): Driver {
  const clients = new Map<string, ElementClient>();
  const clientFor = (ec: string): ElementClient | undefined => {
    const simName = ecToSim[ec];
    const endpoint = sim.clusters.find((c) => c.name === simName);
    if (!endpoint) return undefined;
    let client = clients.get(ec);
    if (!client) {
      client = new ElementClient({ mvip: endpoint.mvip, username: endpoint.username, password: endpoint.password, tls: { caPem: sim.caPem }, timeouts: { connectMs: 2_000, headersMs: 3_000, bodyMs: 3_000 } });
      clients.set(ec, client);
    }
    return client;
  };
  const cache = new ObservationCache<ClusterPairElement>({ clientFor, pollIntervalMs: POLL_MS });
  const events: EventRecord[] = [];
  const errors: string[] = [];
  const reconciler = new ClusterPairReconciler({ kube, cache, events: { record: (e) => events.push(e) }, operatorNamespace: namespace, pollIntervalMs: POLL_MS });
  const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const once = async (name: string) => {
    try {
      const result = await reconciler.reconcile({ name }, { log, reconcileID: suffix(), signal: new AbortController().signal });
      return result ?? {};
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
      return error instanceof Error ? error : new Error(String(error));
    }
  };
  const settle = async (name: string, max = 40) => {
    for (let round = 1; round <= max; round += 1) {
      const result = await once(name);
      if (result instanceof Error) {
        await sleep(300);
        continue;
      }
      if (result.requeueAfterMs === undefined || result.requeueAfterMs >= POLL_MS) return round;
      await sleep(Math.min(result.requeueAfterMs, 500));
    }
    return max;
  };
  return { reconciler, cache, events, errors, settle, once };
}

export interface ClusterPairObject {
  metadata: { name: string; uid?: string; finalizers?: string[]; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec: Record<string, unknown>;
  status?: {
    clusterPairUUID?: string;
    sideA?: { clusterPairID?: number; status?: string; latencyMs?: number };
    sideB?: { clusterPairID?: number; status?: string; latencyMs?: number };
    connectionStatus?: string;
    pairing?: unknown;
    conditions?: { type: string; status: string; reason: string; message: string }[];
  };
}

export function condition(cp: ClusterPairObject | null, type: string): { status: string; reason: string; message: string } | undefined {
  return cp?.status?.conditions?.find((c) => c.type === type);
}

/**
 * An ElementCluster the real operator reconciles: admin credentials and the simulator's CA in
 * Secrets of the operator namespace, referenced from the spec.
 */
export async function operatorElementCluster(kube: KubeClient, sim: RunningSimulator, name: string, simName: string, operatorNamespace: string): Promise<void> {
  const endpoint = sim.clusters.find((c) => c.name === simName);
  if (!endpoint) throw new Error(`no simulator cluster ${simName}`);
  const secret = (secretName: string, stringData: Record<string, string>, annotations: Record<string, string> = {}) =>
    kube.create(SECRETS, { metadata: { name: secretName, namespace: operatorNamespace, annotations }, stringData } as { metadata: { name: string; namespace: string } });
  await secret(`${name}-admin`, { username: endpoint.username, password: endpoint.password }, { [ALLOWED_MVIPS_ANNOTATION]: endpoint.mvip });
  await secret(`${name}-ca`, { 'ca.crt': sim.caPem });
  await kube.create(ELEMENT_CLUSTERS, {
    metadata: { name },
    spec: { mvip: endpoint.mvip, credentialsSecretRef: { name: `${name}-admin` }, tls: { caSecretRef: { name: `${name}-ca`, key: 'ca.crt' } } },
  });
}

export interface OperatorOptions {
  operatorNamespace: string;
  /** Go duration; short in tests so that drift shows within seconds. */
  pollInterval?: string;
  /** Arms the test crash hook at this point. */
  crashAfter?: string;
}

/** The operator itself (bin/elementrepl-operator.mjs) as a process, without metrics or probe servers. */
export function startOperatorProcess(options: OperatorOptions): OperatorProcess {
  return spawnOperator({
    args: [
      '--kubeconfig', kubeconfigPath(),
      '--operator-namespace', options.operatorNamespace,
      '--metrics-bind-address', '0',
      '--health-probe-bind-address', '0',
      '--poll-interval', options.pollInterval ?? '2s',
      '--log-level', process.env['TEST_LOG_LEVEL'] ?? 'info',
    ],
    env: {
      ELEMENTREPL_TEST_HOOKS: options.crashAfter === undefined ? undefined : '1',
      ELEMENTREPL_TEST_CRASH_AFTER: options.crashAfter,
    },
  });
}

/** Polls until `done` holds; fails after a generous deadline with the last value and the operator's output. */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, proc?: OperatorProcess, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)?.slice(0, 2_000)}\n${proc?.output().slice(-4_000) ?? ''}`);
    }
    await sleep(250);
  }
}

const EVENTS = { group: 'events.k8s.io', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };

/** Events about a cluster-scoped object (they live in "default"). */
export async function eventsAbout(kube: KubeClient, name: string): Promise<{ type: string; reason: string; note: string }[]> {
  const { items } = await kube.listAll<{ metadata: { name: string }; regarding?: { name?: string }; type?: string; reason?: string; note?: string }>(EVENTS, { namespace: 'default' });
  return items.filter((e) => e.regarding?.name === name).map((e) => ({ type: e.type ?? '', reason: e.reason ?? '', note: e.note ?? '' }));
}

/** Mutating Element calls per simulator cluster since the last counter reset. */
export async function mutatingCalls(sim: RunningSimulator): Promise<Record<string, string[]>> {
  const counters = (await sim.admin.counters()) as Record<string, Record<string, number>>;
  const out: Record<string, string[]> = {};
  for (const [cluster, methods] of Object.entries(counters)) {
    const mutating = Object.keys(methods).filter((m) => !m.startsWith('List') && !m.startsWith('Get'));
    if (mutating.length > 0) out[cluster] = mutating.sort();
  }
  return out;
}
