// A pairing interrupted by managementPolicy Observe or by elementrepl.io/paused (issue item 9): the
// key Secret (cluster admin credentials inside) must go at once, the pending pair stays on Element
// and is reported. A ClusterPairReconciler is driven one reconcile at a time (one step each), so
// the test stops it right after StartClusterPairing stored the key.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ElementClient } from '../src/element/client.ts';
import { SECRETS, type KubeClient } from '../src/kube/client.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import { elementClient } from '../src/simulator/testing/clients.ts';
import { createTestNamespace } from './helpers/kube.ts';
import {
  CLUSTER_PAIRS, ELEMENT_CLUSTERS, condition, driver, mutatingCalls, readyElementCluster, startTestSimulator, suffix, testKubeClient,
  type ClusterPairObject,
} from './helpers/cluster-pair-env.ts';

let kube: KubeClient;
let sim: RunningSimulator;
let namespace: string;
let ec: { A: string; B: string };
let prod: ElementClient;
const created: string[] = [];

beforeAll(async () => {
  kube = testKubeClient();
  namespace = await createTestNamespace('cpint');
  sim = await startTestSimulator(['PROD', 'DR']);
  const run = suffix();
  ec = { A: `ec-a-${run}`, B: `ec-b-${run}` };
  await readyElementCluster(kube, sim, ec.A, 'PROD');
  await readyElementCluster(kube, sim, ec.B, 'DR');
  prod = elementClient(sim, 'PROD');
});

afterAll(async () => {
  for (const name of [...created, ...Object.values(ec ?? {})]) {
    const resource = created.includes(name) ? CLUSTER_PAIRS : ELEMENT_CLUSTERS;
    await kube.mergePatch(resource, name, { metadata: { finalizers: null } }).catch(() => undefined);
    await kube.delete(resource, name).catch(() => undefined);
  }
  await prod?.close();
  await sim?.stop();
});

beforeEach(async () => {
  await sim.admin.reset();
});

/** This ClusterPair's key Secrets (by the owner-name annotation). */
const keySecrets = async (owner: string) =>
  (await kube.list<{ metadata: { name: string; annotations?: Record<string, string> } }>(SECRETS, { namespace, labelSelector: 'elementrepl.io/role=pairing-key' })).items.filter(
    (secret) => secret.metadata.annotations?.['elementrepl.io/owner-name'] === owner,
  );
const get = (name: string) => kube.get<ClusterPairObject>(CLUSTER_PAIRS, name);

/** A ClusterPair reconciled step by step until StartClusterPairing ran and its key Secret is stored. */
async function startedPairing(drive: ReturnType<typeof driver>): Promise<{ name: string; pendingID: number }> {
  const name = `cpi-${suffix()}`;
  created.push(name);
  await kube.create(CLUSTER_PAIRS, { metadata: { name }, spec: { clusterARef: { name: ec.A }, clusterBRef: { name: ec.B } } });
  for (let round = 0; round < 10 && (await keySecrets(name)).length === 0; round += 1) await drive.once(name);
  expect(await keySecrets(name)).toHaveLength(1);
  const pairs = await prod.listClusterPairs();
  expect(pairs).toEqual([expect.objectContaining({ status: 'Unconfigured' })]);
  return { name, pendingID: pairs[0]?.clusterPairID ?? 0 };
}

describe('a pairing interrupted mid-way', () => {
  it.each([
    ['managementPolicy: Observe', { spec: { managementPolicy: 'Observe' } }],
    ['elementrepl.io/paused', { metadata: { annotations: { 'elementrepl.io/paused': 'true' } } }],
  ] as const)('%s: the key Secret is deleted at once, the pending pair is reported and left on Element', async (_what, patch) => {
    const drive = driver(kube, sim, { [ec.A]: 'PROD', [ec.B]: 'DR' }, namespace);
    const { name, pendingID } = await startedPairing(drive);

    await kube.mergePatch(CLUSTER_PAIRS, name, patch);
    await sim.admin.resetCounters();
    await drive.settle(name);

    expect(await keySecrets(name)).toEqual([]);
    expect(condition(await get(name), 'Ready')?.message).toContain(`pending cluster pair ${pendingID} on A`);
    expect((await prod.listClusterPairs()).map((p) => p.clusterPairID)).toEqual([pendingID]);
    expect(await mutatingCalls(sim)).toEqual({});
    expect(drive.errors).toEqual([]);
  });
});
