// ClusterPair against a real kube-apiserver and the Element simulator over HTTPS (issue 7). The
// reconciler is driven directly, one reconcile at a time; "restarting the operator" is a fresh
// reconciler with an empty cache. Waits are bounded by round counts, never by speed.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ElementClient } from '../src/element/client.ts';
import { SECRETS } from '../src/kube/client.ts';
import type { KubeClient } from '../src/kube/client.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import { elementClient } from '../src/simulator/testing/clients.ts';
import { createTestNamespace, kubectl } from './helpers/kube.ts';
import {
  CLUSTER_PAIRS,
  condition,
  driver,
  readyElementCluster,
  startTestSimulator,
  suffix,
  testKubeClient,
  type ClusterPairObject,
} from './helpers/cluster-pair-env.ts';

const SIM = ['PROD', 'DR', 'C1', 'C2', 'C3', 'C4'];
let kube: KubeClient;
let sim: RunningSimulator;
let namespace: string;
let ec: Record<string, string>; // ElementCluster name per simulator cluster
let element: Record<string, ElementClient>;
const created: string[] = [];

beforeAll(async () => {
  kube = testKubeClient();
  namespace = await createTestNamespace('cp');
  sim = await startTestSimulator(SIM);
  const run = suffix();
  ec = Object.fromEntries(SIM.map((s) => [s, `ec-${s.toLowerCase()}-${run}`]));
  for (const s of SIM) await readyElementCluster(kube, sim, ec[s]!, s);
  await readyElementCluster(kube, sim, `ec-prod-again-${run}`, 'PROD');
  element = Object.fromEntries(SIM.map((s) => [s, elementClient(sim, s)]));
});

afterAll(async () => {
  await Promise.all(Object.values(element ?? {}).map((c) => c.close()));
  await sim?.stop();
});

beforeEach(async () => {
  await sim.admin.reset();
});

afterEach(async () => {
  // Cluster-scoped leftovers would confuse other files: drop finalizers, then delete.
  for (const name of created.splice(0)) {
    await kube.mergePatch(CLUSTER_PAIRS, name, { metadata: { finalizers: null } }).catch(() => undefined);
    await kube.delete(CLUSTER_PAIRS, name).catch(() => undefined);
  }
});

const ecToSim = () => ({ ...Object.fromEntries(SIM.map((s) => [ec[s]!, s])), [ecAgain()]: 'PROD' });
const ecAgain = () => ec['PROD']!.replace('ec-prod-', 'ec-prod-again-');

async function createPair(a: string, b: string, spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}): Promise<string> {
  const name = `cp-${suffix()}`;
  created.push(name);
  await kube.create(CLUSTER_PAIRS, { metadata: { name, annotations }, spec: { clusterARef: { name: a }, clusterBRef: { name: b }, ...spec } });
  return name;
}

const get = (name: string) => kube.get<ClusterPairObject>(CLUSTER_PAIRS, name);
const pairsOn = (s: string) => element[s]!.listClusterPairs();
const keySecrets = async () => (await kube.list(SECRETS, { namespace, labelSelector: 'elementrepl.io/role=pairing-key' })).items;

async function handPair(a: string, b: string): Promise<string> {
  const { clusterPairingKey } = await element[a]!.startClusterPairing();
  await element[b]!.completeClusterPairing(clusterPairingKey);
  return (await pairsOn(a)).at(-1)!.clusterPairUUID!;
}

describe('pairing two clusters', () => {
  it('ends Ready with one UUID Connected on both sides, both IDs and latency in status, no key Secret left', async () => {
    const name = `cp-${suffix()}`;
    created.push(name);
    const manifest = JSON.stringify({
      apiVersion: 'elementrepl.io/v1alpha1',
      kind: 'ClusterPair',
      metadata: { name },
      spec: { clusterARef: { name: ec['PROD'] }, clusterBRef: { name: ec['DR'] } },
    });
    expect((await kubectl(['apply', '-f', '-'], { input: manifest })).code).toBe(0);
    const d = driver(kube, sim, ecToSim(), namespace);
    await d.settle(name);

    const cp = await get(name);
    const [onA, onB] = [await pairsOn('PROD'), await pairsOn('DR')];
    expect(onA).toHaveLength(1);
    expect(onB).toHaveLength(1);
    expect(onA[0]).toMatchObject({ status: 'Connected', clusterPairUUID: cp?.status?.clusterPairUUID });
    expect(onB[0]).toMatchObject({ status: 'Connected', clusterPairUUID: cp?.status?.clusterPairUUID });
    expect(condition(cp, 'Ready')).toMatchObject({ status: 'True', reason: 'Paired' });
    expect(cp?.status).toMatchObject({
      connectionStatus: 'Connected',
      sideA: { clusterPairID: onA[0]!.clusterPairID, status: 'Connected', latencyMs: expect.any(Number) },
      sideB: { clusterPairID: onB[0]!.clusterPairID, status: 'Connected', latencyMs: expect.any(Number) },
    });
    expect(cp?.status?.pairing).toBeUndefined();
    expect(cp?.metadata.finalizers).toContain('elementrepl.io/cleanup');
    expect(await keySecrets()).toEqual([]);
    expect(d.events.map((e) => e.reason)).toContain('Paired');

    // The operator wrote nothing GitOps would see: re-applying the manifest is a no-op.
    const diff = await kubectl(['diff', '-f', '-'], { input: manifest });
    expect(diff).toMatchObject({ code: 0, stdout: '' });

    // Another reconcile (a re-apply, a poll) changes nothing, on Element or in the API.
    const before = (await kube.get(CLUSTER_PAIRS, name))?.metadata.resourceVersion;
    await sim.admin.resetCounters();
    await d.once(name);
    expect((await kube.get(CLUSTER_PAIRS, name))?.metadata.resourceVersion).toBe(before);
    const counters = (await sim.admin.counters()) as Record<string, Record<string, number>>;
    expect(Object.keys(counters['PROD'] ?? {}).filter((m) => !m.startsWith('List') && !m.startsWith('Get'))).toEqual([]);
  });

  it('adopts a hand-made pair without starting one', async () => {
    const uuid = await handPair('PROD', 'DR');
    await sim.admin.resetCounters();
    const name = await createPair(ec['PROD']!, ec['DR']!);
    const d = driver(kube, sim, ecToSim(), namespace);
    await d.settle(name);

    expect((await get(name))?.status?.clusterPairUUID).toBe(uuid);
    expect(d.events.map((e) => e.reason)).toContain('Adopted');
    const counters = (await sim.admin.counters()) as Record<string, Record<string, number>>;
    expect(counters['PROD']?.['StartClusterPairing'] ?? 0).toBe(0);
  });
});

describe('pre-flight', () => {
  it('SameCluster: two ElementClusters reaching one cluster, no pending pair left', async () => {
    const name = await createPair(ec['PROD']!, ecAgain());
    const d = driver(kube, sim, ecToSim(), namespace);
    await d.settle(name);
    expect(condition(await get(name), 'Stalled')).toMatchObject({ status: 'True', reason: 'SameCluster' });
    expect(await pairsOn('PROD')).toEqual([]);
  });

  it('a fifth pair is refused before Start: PairLimitReached', async () => {
    for (const other of ['C1', 'C2', 'C3', 'C4']) await handPair('PROD', other);
    const name = await createPair(ec['PROD']!, ec['DR']!);
    const d = driver(kube, sim, ecToSim(), namespace);
    await d.settle(name);
    expect(condition(await get(name), 'Stalled')).toMatchObject({ status: 'True', reason: 'PairLimitReached' });
    expect(await pairsOn('PROD')).toHaveLength(4);
    expect(await pairsOn('DR')).toEqual([]);
  });
});

describe('unknown outcomes', () => {
  it.each(['StartClusterPairing', 'CompleteClusterPairing'])('%s applied but its response dropped: still exactly one pair', async (method) => {
    await sim.admin.dropResponse({ cluster: method === 'StartClusterPairing' ? 'PROD' : 'DR', method, count: 1 });
    const name = await createPair(ec['PROD']!, ec['DR']!);
    const d = driver(kube, sim, ecToSim(), namespace);
    await d.settle(name);
    expect(d.errors.length).toBeGreaterThan(0);
    expect(condition(await get(name), 'Ready')?.status).toBe('True');
    const onA = await pairsOn('PROD');
    expect(onA).toHaveLength(1);
    expect(onA[0]?.status).toBe('Connected');
    expect(await pairsOn('DR')).toHaveLength(1);
    expect(await keySecrets()).toEqual([]);
    // A dropped Start leaves a pending pair without a key: ours by the intent, removed, started again.
    if (method === 'StartClusterPairing') expect(d.events.map((e) => e.reason)).toContain('PendingPairRemoved');
  });
});

describe('drift', () => {
  it('Manage: a pair removed on one side is removed on the other and paired again', async () => {
    const name = await createPair(ec['PROD']!, ec['DR']!);
    const d = driver(kube, sim, ecToSim(), namespace);
    await d.settle(name);
    const old = (await get(name))?.status?.clusterPairUUID;
    await element['DR']!.removeClusterPair((await pairsOn('DR'))[0]!.clusterPairID);

    // The change shows at the next poll; a fresh reconciler (empty cache) stands for it.
    const next = driver(kube, sim, ecToSim(), namespace);
    await next.settle(name);
    const cp = await get(name);
    expect(cp?.status?.clusterPairUUID).not.toBe(old);
    expect(condition(cp, 'Ready')?.status).toBe('True');
    expect((await pairsOn('PROD')).map((p) => p.clusterPairUUID)).toEqual([cp?.status?.clusterPairUUID]);
    expect(next.events.map((e) => e.reason)).toContain('Repaired');
  });

  it('Observe: the same drift is reported, nothing is changed', async () => {
    const uuid = await handPair('PROD', 'DR');
    const name = await createPair(ec['PROD']!, ec['DR']!, { managementPolicy: 'Observe' });
    const d = driver(kube, sim, ecToSim(), namespace);
    await d.settle(name);
    await element['DR']!.removeClusterPair((await pairsOn('DR'))[0]!.clusterPairID);
    await sim.admin.resetCounters();

    await driver(kube, sim, ecToSim(), namespace).settle(name);
    expect(condition(await get(name), 'UpToDate')).toMatchObject({ status: 'False', reason: 'Drifted' });
    expect((await pairsOn('PROD')).map((p) => p.clusterPairUUID)).toEqual([uuid]);
    const counters = (await sim.admin.counters()) as Record<string, Record<string, number>>;
    for (const s of ['PROD', 'DR']) expect(Object.keys(counters[s] ?? {}).filter((m) => !m.startsWith('List') && !m.startsWith('Get'))).toEqual([]);
  });

  it('a stray pending pair stalls pairing, with its ID, until the annotation approves its removal', async () => {
    const { clusterPairID } = await element['PROD']!.startClusterPairing();
    const name = await createPair(ec['PROD']!, ec['DR']!);
    const d = driver(kube, sim, ecToSim(), namespace);
    await d.settle(name);
    const stalled = condition(await get(name), 'Stalled');
    expect(stalled).toMatchObject({ status: 'True', reason: 'UnexplainedPendingPair' });
    expect(stalled?.message).toContain(`ID ${clusterPairID}`);

    await kube.mergePatch(CLUSTER_PAIRS, name, { metadata: { annotations: { 'elementrepl.io/remove-pending-pair': String(clusterPairID) } } });
    await d.settle(name);
    expect(condition(await get(name), 'Ready')?.status).toBe('True');
    expect((await pairsOn('PROD')).map((p) => p.clusterPairID)).not.toContain(clusterPairID);
    expect(await pairsOn('PROD')).toHaveLength(1);
  });
});

describe('deletion', () => {
  async function pairedResource(spec: Record<string, unknown> = {}) {
    const name = await createPair(ec['PROD']!, ec['DR']!, spec);
    const d = driver(kube, sim, ecToSim(), namespace);
    await d.settle(name);
    expect(condition(await get(name), 'Ready')?.status).toBe('True');
    return { name, d };
  }

  it('Delete removes the pair on both clusters, then the resource goes', async () => {
    const { name, d } = await pairedResource();
    await kube.delete(CLUSTER_PAIRS, name);
    await d.settle(name);
    expect(await get(name)).toBeNull();
    expect(await pairsOn('PROD')).toEqual([]);
    expect(await pairsOn('DR')).toEqual([]);
  });

  it('Orphan leaves the pair on Element', async () => {
    const { name, d } = await pairedResource({ deletionPolicy: 'Orphan' });
    await kube.delete(CLUSTER_PAIRS, name);
    await d.settle(name);
    expect(await get(name)).toBeNull();
    expect(await pairsOn('PROD')).toHaveLength(1);
  });

  it('InUse while Element lists volume pairs on it; deleted once they are gone', async () => {
    const { name, d } = await pairedResource();
    const { volumeIDs: [src] } = await sim.admin.createVolumes('PROD', { count: 1, namePrefix: 'src' });
    const { volumeIDs: [dst] } = await sim.admin.createVolumes('DR', { count: 1, namePrefix: 'dst' });
    const { volumePairingKey } = await element['PROD']!.startVolumePairing(src!);
    await element['DR']!.completeVolumePairing(dst!, volumePairingKey);

    await kube.delete(CLUSTER_PAIRS, name);
    await d.settle(name, 5);
    const cp = await get(name);
    expect(condition(cp, 'Ready')).toMatchObject({ status: 'False', reason: 'InUse' });
    expect(condition(cp, 'Ready')?.message).toContain(String(src));
    expect(await pairsOn('PROD')).toHaveLength(1);

    await element['PROD']!.removeVolumePair(src!);
    await element['DR']!.removeVolumePair(dst!);
    await driver(kube, sim, ecToSim(), namespace).settle(name);
    expect(await get(name)).toBeNull();
    expect(await pairsOn('PROD')).toEqual([]);
  });
});
