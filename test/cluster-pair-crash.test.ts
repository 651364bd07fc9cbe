// Crash safety of cluster pairing (DESIGN §3 step 4, §6 "kill the operator after every step"): a
// process running the ClusterPair controller is killed (SIGKILL, by the test crash hook) right
// after each step; a restarted one must end with exactly one pair, no pending pair, no key Secret
// and no intent. Deadlines are generous; speed is not asserted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ElementClient } from '../src/element/client.ts';
import { SECRETS, type KubeClient } from '../src/kube/client.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import { elementClient } from '../src/simulator/testing/clients.ts';
import { createTestNamespace, kubeconfigPath } from './helpers/kube.ts';
import { CLUSTER_PAIRS, condition, readyElementCluster, sleep, startTestSimulator, suffix, testKubeClient, type ClusterPairObject } from './helpers/cluster-pair-env.ts';
import type { RunnerConfig } from './helpers/cluster-pair-runner.ts';
import { killAllOperators, REPO_ROOT, spawnOperator, type OperatorProcess } from './helpers/operator-process.ts';

const RUNNER = `${REPO_ROOT}/test/helpers/cluster-pair-runner.ts`;
const RUN_LABEL = 'elementrepl.io/test-run';
let kube: KubeClient;
let sim: RunningSimulator;
let namespace: string;
let run: string;
let ec: { A: string; B: string };
let element: { A: ElementClient; B: ElementClient };

beforeAll(async () => {
  kube = testKubeClient();
  namespace = await createTestNamespace('cpcrash');
  sim = await startTestSimulator(['PROD', 'DR']);
  run = suffix();
  ec = { A: `ec-a-${run}`, B: `ec-b-${run}` };
  await readyElementCluster(kube, sim, ec.A, 'PROD');
  await readyElementCluster(kube, sim, ec.B, 'DR');
  element = { A: elementClient(sim, 'PROD'), B: elementClient(sim, 'DR') };
});

afterEach(killAllOperators);
afterAll(async () => {
  await Promise.all(Object.values(element ?? {}).map((c) => c.close()));
  await sim?.stop();
});

function operator(crashAfter?: string): OperatorProcess {
  const endpoint = (name: string) => {
    const c = sim.clusters.find((x) => x.name === name)!;
    return { mvip: c.mvip, username: c.username, password: c.password };
  };
  const config: RunnerConfig = {
    kubeconfig: kubeconfigPath(),
    namespace,
    labelSelector: `${RUN_LABEL}=${run}`,
    pollIntervalMs: 60_000,
    caPem: sim.caPem,
    clusters: { [ec.A]: endpoint('PROD'), [ec.B]: endpoint('DR') },
  };
  return spawnOperator({
    entry: RUNNER,
    env: {
      ELEMENTREPL_TEST_RUNNER: JSON.stringify(config),
      ELEMENTREPL_TEST_HOOKS: crashAfter ? '1' : undefined,
      ELEMENTREPL_TEST_CRASH_AFTER: crashAfter,
      TEST_LOG_LEVEL: 'info',
    },
  });
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, proc?: OperatorProcess, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}\n${proc?.output().slice(-4000) ?? ''}`);
    await sleep(250);
  }
}

async function crashed(proc: OperatorProcess, point: string): Promise<void> {
  const exit = await Promise.race([proc.exited, sleep(90_000).then(() => undefined)]);
  if (!exit) throw new Error(`no crash after ${point}:\n${proc.output().slice(-4000)}`);
  expect(exit.signal ?? exit.code, proc.output().slice(-2000)).toSatisfy((v: unknown) => v === 'SIGKILL' || v === 137);
  expect(proc.output()).toContain(`crashing after ${point}`);
}

const keySecrets = async () => (await kube.list(SECRETS, { namespace, labelSelector: 'elementrepl.io/role=pairing-key' })).items;
const get = (name: string) => kube.get<ClusterPairObject>(CLUSTER_PAIRS, name);

async function createPair(): Promise<string> {
  const name = `cpc-${suffix()}`;
  await kube.create(CLUSTER_PAIRS, { metadata: { name, labels: { [RUN_LABEL]: run } }, spec: { clusterARef: { name: ec.A }, clusterBRef: { name: ec.B } } });
  return name;
}

async function untilPaired(name: string, proc: OperatorProcess): Promise<void> {
  await until('Ready, intent cleared, key Secret gone', async () => ({ cp: await get(name), keys: (await keySecrets()).length }),
    ({ cp, keys }) => condition(cp, 'Ready')?.status === 'True' && cp?.status?.pairing === undefined && keys === 0, proc);
}

async function expectExactlyOnePair(name: string): Promise<void> {
  const [onA, onB] = await Promise.all([element.A.listClusterPairs(), element.B.listClusterPairs()]);
  expect(onA).toHaveLength(1);
  expect(onB).toHaveLength(1);
  expect(onA[0]?.clusterPairUUID).toBe(onB[0]?.clusterPairUUID);
  expect([...onA, ...onB].every((p) => p.status === 'Connected')).toBe(true);
  expect((await get(name))?.status?.clusterPairUUID).toBe(onA[0]?.clusterPairUUID);
  expect(await keySecrets()).toEqual([]);
}

async function cleanup(name: string): Promise<void> {
  await kube.mergePatch(CLUSTER_PAIRS, name, { metadata: { finalizers: null } }).catch(() => undefined);
  await kube.delete(CLUSTER_PAIRS, name).catch(() => undefined);
}

describe('killed right after each pairing step, a restarted operator finishes cleanly', () => {
  it.each(['addFinalizer', 'writeIntent', 'startClusterPairing', 'startPairing', 'completePairing', 'deleteKeySecret', 'clearIntent'])(
    'after %s',
    async (point) => {
      await sim.admin.reset();
      const name = await createPair();
      try {
        await crashed(operator(point), point);
        const restarted = operator();
        await untilPaired(name, restarted);
        await expectExactlyOnePair(name);
        await restarted.stop();
      } finally {
        await cleanup(name);
      }
    },
  );
});

describe('killed in the middle of a deletion', () => {
  it.each(['removeBoth.A', 'removeBoth'])('after %s: the restarted operator finishes the deletion', async (point) => {
    await sim.admin.reset();
    const name = await createPair();
    try {
      const first = operator();
      await untilPaired(name, first);
      await first.stop();
      await kube.delete(CLUSTER_PAIRS, name);
      await crashed(operator(point), point);
      const restarted = operator();
      await until('ClusterPair gone', () => get(name), (cp) => cp === null, restarted);
      expect(await element.A.listClusterPairs()).toEqual([]);
      expect(await element.B.listClusterPairs()).toEqual([]);
      await restarted.stop();
    } finally {
      await cleanup(name);
    }
  });
});
