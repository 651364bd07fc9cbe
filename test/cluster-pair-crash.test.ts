// Crash safety of cluster pairing (DESIGN §3 step 4, §6 "kill the operator after every step"): the
// operator process (bin/elementrepl-operator.mjs) is killed (SIGKILL, by the test crash hook) right
// after each ClusterPair step; a restarted one must end with exactly one pair, no pending pair, no
// key Secret and no intent. Deadlines are generous; speed is not asserted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ElementClient } from '../src/element/client.ts';
import { SECRETS, type KubeClient } from '../src/kube/client.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import { elementClient } from '../src/simulator/testing/clients.ts';
import { createTestNamespace } from './helpers/kube.ts';
import {
  CLUSTER_PAIRS, ELEMENT_CLUSTERS, condition, operatorElementCluster, sleep, startOperatorProcess, startTestSimulator, suffix, testKubeClient, until,
  type ClusterPairObject,
} from './helpers/cluster-pair-env.ts';
import { killAllOperators, type OperatorProcess } from './helpers/operator-process.ts';

let kube: KubeClient;
let sim: RunningSimulator;
let namespace: string;
let ec: { A: string; B: string };
let element: { A: ElementClient; B: ElementClient };

beforeAll(async () => {
  kube = testKubeClient();
  namespace = await createTestNamespace('cpcrash');
  sim = await startTestSimulator(['PROD', 'DR']);
  const run = suffix();
  ec = { A: `ec-a-${run}`, B: `ec-b-${run}` };
  await operatorElementCluster(kube, sim, ec.A, 'PROD', namespace);
  await operatorElementCluster(kube, sim, ec.B, 'DR', namespace);
  element = { A: elementClient(sim, 'PROD'), B: elementClient(sim, 'DR') };
});

afterEach(killAllOperators);
afterAll(async () => {
  for (const name of Object.values(ec ?? {})) {
    await kube.mergePatch(ELEMENT_CLUSTERS, name, { metadata: { finalizers: null } }).catch(() => undefined);
    await kube.delete(ELEMENT_CLUSTERS, name).catch(() => undefined);
  }
  await Promise.all(Object.values(element ?? {}).map((c) => c.close()));
  await sim?.stop();
});

/** The operator; with `crashAfter`, killed by the crash hook right after that ClusterPair step. */
function operator(crashAfter?: string): OperatorProcess {
  return startOperatorProcess({ operatorNamespace: namespace, ...(crashAfter ? { crashAfter: `ClusterPair:${crashAfter}` } : {}) });
}

async function crashed(proc: OperatorProcess, point: string): Promise<void> {
  const exit = await Promise.race([proc.exited, sleep(90_000).then(() => undefined)]);
  if (!exit) throw new Error(`no crash after ${point}:\n${proc.output().slice(-4000)}`);
  expect(exit.signal ?? exit.code, proc.output().slice(-2000)).toSatisfy((v: unknown) => v === 'SIGKILL' || v === 137);
  expect(proc.output()).toContain(`crashing after ClusterPair:${point}`);
}

const keySecrets = async () => (await kube.list(SECRETS, { namespace, labelSelector: 'elementrepl.io/role=pairing-key' })).items;
const get = (name: string) => kube.get<ClusterPairObject>(CLUSTER_PAIRS, name);

async function createPair(): Promise<string> {
  const name = `cpc-${suffix()}`;
  await kube.create(CLUSTER_PAIRS, { metadata: { name }, spec: { clusterARef: { name: ec.A }, clusterBRef: { name: ec.B } } });
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
