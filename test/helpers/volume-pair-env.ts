// Fixtures for the VolumePair integration tests: an in-process simulator (PROD, DR), Ready
// ElementClusters for them, a ClusterPair, and the operator as a process (test/helpers/
// volume-pair-runner.ts, ClusterPair + VolumePair controllers) scoped by a label of this run.
import path from 'node:path';
import { SECRETS } from '../../src/kube/client.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import type { ElementClient } from '../../src/element/client.ts';
import type { Volume } from '../../src/element/schema.ts';
import type { RunningSimulator } from '../../src/simulator/simulator.ts';
import { elementClient } from '../../src/simulator/testing/clients.ts';
import { CLUSTER_PAIRS, readyElementCluster, sleep, startTestSimulator, suffix, testKubeClient } from './cluster-pair-env.ts';
import { createTestNamespace, kubeconfigPath } from './kube.ts';
import { REPO_ROOT, spawnOperator, type OperatorProcess } from './operator-process.ts';
import type { VolumePairRunnerConfig } from './volume-pair-runner.ts';

export const POLL_MS = 2_000;
export const RUN_LABEL = 'elementrepl.io/test-run';
const RUNNER = path.join(REPO_ROOT, 'test', 'helpers', 'volume-pair-runner.ts');

export interface VolumePairEnv {
  kube: KubeClient;
  sim: RunningSimulator;
  element: { PROD: ElementClient; DR: ElementClient };
  /** Operator namespace (key Secrets) and the namespace the ClusterPair allows. */
  operatorNamespace: string;
  namespace: string;
  run: string;
  clusterPair: string;
  ec: { PROD: string; DR: string };
  runnerConfig: VolumePairRunnerConfig;
  close(): Promise<void>;
}

export async function startEnv(): Promise<VolumePairEnv> {
  const kube = testKubeClient();
  const [operatorNamespace, namespace] = [await createTestNamespace('vpop'), await createTestNamespace('vp')];
  const sim = await startTestSimulator(['PROD', 'DR'], { resumeDelayMs: 200 });
  const run = suffix();
  const ec = { PROD: `ec-vp-prod-${run}`, DR: `ec-vp-dr-${run}` };
  await readyElementCluster(kube, sim, ec.PROD, 'PROD');
  await readyElementCluster(kube, sim, ec.DR, 'DR');
  const clusterPair = `cp-vp-${run}`;
  await kube.create(CLUSTER_PAIRS, {
    metadata: { name: clusterPair, labels: { [RUN_LABEL]: run } },
    spec: { clusterARef: { name: ec.PROD }, clusterBRef: { name: ec.DR }, allowedNamespaces: [namespace] },
  });
  const endpoint = (name: string) => {
    const e = sim.clusters.find((c) => c.name === name);
    if (!e) throw new Error(`no simulator cluster ${name}`);
    return { mvip: e.mvip, username: e.username, password: e.password };
  };
  const runnerConfig: VolumePairRunnerConfig = {
    kubeconfig: kubeconfigPath(),
    namespace: operatorNamespace,
    labelSelector: `${RUN_LABEL}=${run}`,
    pollIntervalMs: POLL_MS,
    caPem: sim.caPem,
    clusters: { [ec.PROD]: endpoint('PROD'), [ec.DR]: endpoint('DR') },
  };
  const element = { PROD: elementClient(sim, 'PROD'), DR: elementClient(sim, 'DR') };
  return {
    kube, sim, element, operatorNamespace, namespace, run, clusterPair, ec, runnerConfig,
    close: async () => {
      await kube.mergePatch(CLUSTER_PAIRS, clusterPair, { metadata: { finalizers: null } }).catch(() => undefined);
      await kube.delete(CLUSTER_PAIRS, clusterPair).catch(() => undefined);
      await Promise.all([element.PROD.close(), element.DR.close()]);
      await sim.stop();
    },
  };
}

/** The operator process; `crashAfter` arms the test crash hook at that point. */
export function startOperator(env: VolumePairEnv, crashAfter?: string): OperatorProcess {
  return spawnOperator({
    entry: RUNNER,
    env: {
      ELEMENTREPL_TEST_RUNNER: JSON.stringify(env.runnerConfig),
      ELEMENTREPL_TEST_HOOKS: crashAfter === undefined ? undefined : '1',
      ELEMENTREPL_TEST_CRASH_AFTER: crashAfter,
      TEST_LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'info',
    },
  });
}

/** Polls until `done` holds; fails after a generous deadline (no speed is asserted). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2_000)}`);
}

export async function volume(env: VolumePairEnv, cluster: 'PROD' | 'DR', volumeID: number): Promise<Volume | undefined> {
  return (await env.element[cluster].listVolumes({ volumeIDs: [volumeID] }))[0];
}

export async function newVolumes(env: VolumePairEnv, cluster: 'PROD' | 'DR', count: number, options: { totalSize?: number; prefix?: string } = {}): Promise<{ ids: number[]; accountID: number; prefix: string }> {
  const prefix = options.prefix ?? `v${suffix()}`;
  const { volumeIDs, accountID } = await env.sim.admin.createVolumes(cluster, { count, namePrefix: prefix, ...(options.totalSize ? { totalSize: options.totalSize } : {}) });
  return { ids: volumeIDs, accountID, prefix };
}

/** Volume pairing key Secrets in the operator namespace. */
export async function keySecrets(env: VolumePairEnv): Promise<string[]> {
  const { items } = await env.kube.list(SECRETS, { namespace: env.operatorNamespace, labelSelector: 'elementrepl.io/role=pairing-key,elementrepl.io/owner-kind=VolumePair' });
  return items.map((s) => s.metadata.name);
}

/** Methods that change something, per simulator cluster that had any, since the last counter reset. */
export async function mutatingCalls(env: VolumePairEnv): Promise<Record<string, Record<string, number>>> {
  const counters = await env.sim.admin.counters();
  const out: Record<string, Record<string, number>> = {};
  for (const [cluster, methods] of Object.entries(counters)) {
    const mutating = Object.entries(methods).filter(([m]) => !m.startsWith('List') && !m.startsWith('Get'));
    if (mutating.length > 0) out[cluster] = Object.fromEntries(mutating);
  }
  return out;
}

/** Pending (Unconfigured) volume pairs on either cluster. */
export async function pendingPairs(env: VolumePairEnv): Promise<number[]> {
  const pending: number[] = [];
  for (const c of ['PROD', 'DR'] as const) {
    for (const v of await env.element[c].listActivePairedVolumes()) {
      if (v.volumePairs.some((p) => p.remoteReplication?.state === 'Unconfigured')) pending.push(v.volumeID);
    }
  }
  return pending;
}

export { testKubeClient };
