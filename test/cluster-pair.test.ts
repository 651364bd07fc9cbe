// ClusterPair end to end (issue 7): a real kube-apiserver, the Element simulator over HTTPS, and the
// operator itself as a process (bin/elementrepl-operator.mjs), reaching the clusters through real
// ElementClusters (credentials and CA in Secrets). Waits have generous deadlines; speed is never
// asserted. Drift shows at the next poll, so the operator polls every 2 s here.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ElementClient } from '../src/element/client.ts';
import { SECRETS, type KubeClient } from '../src/kube/client.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import { elementClient } from '../src/simulator/testing/clients.ts';
import { createTestNamespace, kubectl } from './helpers/kube.ts';
import {
  CLUSTER_PAIRS, ELEMENT_CLUSTERS, condition, eventsAbout, mutatingCalls, operatorElementCluster, startOperatorProcess, startTestSimulator,
  suffix, testKubeClient, until, type ClusterPairObject,
} from './helpers/cluster-pair-env.ts';
import type { OperatorProcess } from './helpers/operator-process.ts';

const SIM = ['PROD', 'DR', 'C1', 'C2', 'C3', 'C4'] as const;
type SimName = (typeof SIM)[number];
let kube: KubeClient;
let sim: RunningSimulator;
let namespace: string;
let op: OperatorProcess;
let ec: Record<SimName | 'PROD_AGAIN', string>;
let element: Record<SimName, ElementClient>;
const created: string[] = [];

beforeAll(async () => {
  kube = testKubeClient();
  namespace = await createTestNamespace('cpop');
  sim = await startTestSimulator([...SIM]);
  const run = suffix();
  ec = { ...Object.fromEntries(SIM.map((s) => [s, `ec-${s.toLowerCase()}-${run}`])), PROD_AGAIN: `ec-zz-prod-again-${run}` } as typeof ec;
  for (const s of SIM) await operatorElementCluster(kube, sim, ec[s], s, namespace);
  await operatorElementCluster(kube, sim, ec.PROD_AGAIN, 'PROD', namespace);
  element = Object.fromEntries(SIM.map((s) => [s, elementClient(sim, s)])) as typeof element;
  op = startOperatorProcess({ operatorNamespace: namespace });
  for (const s of SIM) {
    await until(`ElementCluster ${ec[s]} Ready`, () => kube.get<ClusterPairObject>(ELEMENT_CLUSTERS, ec[s]), (c) => condition(c, 'Ready')?.status === 'True', op);
  }
  // A second ElementCluster for PROD is reported, never used (DESIGN §10). Of two created in the same
  // second the name decides which is older: `ec-zz-…` sorts after `ec-prod-…`, so it is the second.
  await until(`ElementCluster ${ec.PROD_AGAIN} DuplicateCluster`, () => kube.get<ClusterPairObject>(ELEMENT_CLUSTERS, ec.PROD_AGAIN), (c) => condition(c, 'Ready')?.reason === 'DuplicateCluster', op);
});

afterAll(async () => {
  await op?.stop();
  for (const name of Object.values(ec ?? {})) {
    await kube.mergePatch(ELEMENT_CLUSTERS, name, { metadata: { finalizers: null } }).catch(() => undefined);
    await kube.delete(ELEMENT_CLUSTERS, name).catch(() => undefined);
  }
  await Promise.all(Object.values(element ?? {}).map((c) => c.close()));
  await sim?.stop();
});

beforeEach(async () => {
  await sim.admin.reset();
});

afterEach(async () => {
  // Whatever a test left: force-delete (no Element calls) and wait until it is gone.
  for (const name of created.splice(0)) {
    await kube.mergePatch(CLUSTER_PAIRS, name, { metadata: { annotations: { 'elementrepl.io/force-delete': 'true' } } }).catch(() => undefined);
    await kube.delete(CLUSTER_PAIRS, name).catch(() => undefined);
    await until(`${name} gone`, () => get(name), (cp) => cp === null, op);
  }
});

async function createPair(a: string, b: string, spec: Record<string, unknown> = {}): Promise<string> {
  const name = `cp-${suffix()}`;
  created.push(name);
  await kube.create(CLUSTER_PAIRS, { metadata: { name }, spec: { clusterARef: { name: a }, clusterBRef: { name: b }, ...spec } });
  return name;
}

const get = (name: string) => kube.get<ClusterPairObject>(CLUSTER_PAIRS, name);
const pairsOn = (s: SimName) => element[s].listClusterPairs();
const keySecrets = async () => (await kube.list(SECRETS, { namespace, labelSelector: 'elementrepl.io/role=pairing-key' })).items;
/** Events are written in the background: wait until one with this reason is there. */
const untilEvent = (name: string, reason: string) =>
  until(`Event ${reason} about ${name}`, async () => (await eventsAbout(kube, name)).map((e) => e.reason), (seen) => seen.includes(reason), op);

async function handPair(a: SimName, b: SimName): Promise<string> {
  const { clusterPairingKey } = await element[a].startClusterPairing();
  await element[b].completeClusterPairing(clusterPairingKey);
  return (await pairsOn(a)).at(-1)?.clusterPairUUID ?? '';
}

/** Ready, no pairing intent, no key Secret: the end of a pairing. */
async function untilPaired(name: string): Promise<ClusterPairObject> {
  const done = await until(`${name} paired`, async () => ({ cp: await get(name), keys: (await keySecrets()).length }),
    ({ cp, keys }) => condition(cp, 'Ready')?.status === 'True' && cp?.status?.pairing === undefined && keys === 0, op);
  return done.cp as ClusterPairObject;
}

const untilCondition = (name: string, type: string, status: string, reason?: string) =>
  until(`${name} ${type}=${status} ${reason ?? ''}`, () => get(name), (cp) => condition(cp, type)?.status === status && (reason === undefined || condition(cp, type)?.reason === reason), op);

/** Lets the operator poll both clusters a few more times (counted, not timed). */
async function severalPolls(): Promise<void> {
  const lists = async () => ((await sim.admin.counters()) as Record<string, Record<string, number>>)['DR']?.['ListClusterPairs'] ?? 0;
  const start = await lists();
  await until('three more polls', lists, (n) => n >= start + 3, op);
}

describe('pairing two clusters', () => {
  it('ends Ready with one UUID Connected on both sides, both IDs and latency in status; then nothing changes', async () => {
    const name = `cp-${suffix()}`;
    created.push(name);
    const manifest = JSON.stringify({ apiVersion: 'elementrepl.io/v1alpha1', kind: 'ClusterPair', metadata: { name }, spec: { clusterARef: { name: ec.PROD }, clusterBRef: { name: ec.DR } } });
    expect((await kubectl(['apply', '-f', '-'], { input: manifest })).code).toBe(0);
    const cp = await untilPaired(name);

    const [onA, onB] = [await pairsOn('PROD'), await pairsOn('DR')];
    expect(onA).toEqual([expect.objectContaining({ status: 'Connected', clusterPairUUID: cp.status?.clusterPairUUID })]);
    expect(onB).toEqual([expect.objectContaining({ status: 'Connected', clusterPairUUID: cp.status?.clusterPairUUID })]);
    expect(condition(cp, 'Ready')?.reason).toBe('Paired');
    expect(cp.status).toMatchObject({
      connectionStatus: 'Connected',
      sideA: { clusterPairID: onA[0]?.clusterPairID, status: 'Connected', latencyMs: expect.any(Number) },
      sideB: { clusterPairID: onB[0]?.clusterPairID, status: 'Connected', latencyMs: expect.any(Number) },
    });
    await untilEvent(name, 'Paired');

    // Nothing GitOps would see, and nothing more on Element or in the API at the next polls.
    expect(await kubectl(['diff', '-f', '-'], { input: manifest })).toMatchObject({ code: 0, stdout: '' });
    const version = (await get(name))?.metadata;
    await sim.admin.resetCounters();
    await severalPolls();
    expect(await mutatingCalls(sim)).toEqual({});
    expect((await kube.get(CLUSTER_PAIRS, name))?.metadata.resourceVersion).toBe((version as { resourceVersion?: string })?.resourceVersion);
  });

  it('adopts a hand-made pair without starting one', async () => {
    const uuid = await handPair('PROD', 'DR');
    await sim.admin.resetCounters();
    const name = await createPair(ec.PROD, ec.DR);
    expect((await untilPaired(name)).status?.clusterPairUUID).toBe(uuid);
    await untilEvent(name, 'Adopted');
    expect(await mutatingCalls(sim)).toEqual({});
  });
});

describe('Element versions that report clusterUUID as an integer or leave it out', () => {
  it.each(['integer', 'absent'] as const)('clusterUUID %s: the pair is matched by the MVIP, with one StartClusterPairing and no loop', async (form) => {
    await sim.admin.setBehaviour({ clusterPairClusterUUID: form });
    await sim.admin.resetCounters();
    const name = await createPair(ec.PROD, ec.DR);
    const cp = await untilPaired(name);
    await severalPolls();
    const counters = (await sim.admin.counters()) as Record<string, Record<string, number>>;
    expect(counters['PROD']?.['StartClusterPairing']).toBe(1);
    expect(counters['PROD']?.['RemoveClusterPair'] ?? 0).toBe(0);
    expect(counters['DR']?.['CompleteClusterPairing']).toBe(1);
    expect((await pairsOn('PROD')).map((p) => [p.clusterPairUUID, p.status])).toEqual([[cp.status?.clusterPairUUID, 'Connected']]);
    expect((await pairsOn('DR')).map((p) => [p.clusterPairUUID, p.status])).toEqual([[cp.status?.clusterPairUUID, 'Connected']]);
  });
});

describe('pre-flight', () => {
  it('two ElementClusters reaching one cluster: the second is DuplicateCluster, so the pair waits; nothing started, no pending pair', async () => {
    await sim.admin.resetCounters();
    const name = await createPair(ec.PROD, ec.PROD_AGAIN);
    await untilCondition(name, 'Ready', 'False', 'ClusterNotReady');
    expect(await pairsOn('PROD')).toEqual([]);
    expect(await mutatingCalls(sim)).toEqual({});
  });

  it('a fifth pair: PairLimitReached, nothing started', async () => {
    for (const other of ['C1', 'C2', 'C3', 'C4'] as const) await handPair('PROD', other);
    const name = await createPair(ec.PROD, ec.DR);
    await untilCondition(name, 'Stalled', 'True', 'PairLimitReached');
    expect(await pairsOn('PROD')).toHaveLength(4);
    expect(await pairsOn('DR')).toEqual([]);
  });
});

describe('unknown outcomes', () => {
  it.each([['StartClusterPairing', 'PROD'], ['CompleteClusterPairing', 'DR']] as const)('%s applied, response dropped: exactly one pair', async (method, cluster) => {
    await sim.admin.dropResponse({ cluster, method, count: 1 });
    const name = await createPair(ec.PROD, ec.DR);
    const cp = await untilPaired(name);
    expect(await pairsOn('PROD')).toEqual([expect.objectContaining({ status: 'Connected', clusterPairUUID: cp.status?.clusterPairUUID })]);
    expect(await pairsOn('DR')).toHaveLength(1);
    if (method === 'StartClusterPairing') await untilEvent(name, 'PendingPairRemoved');
  });
});

describe('drift', () => {
  it('Manage: a pair removed on one side is removed on the other and paired again', async () => {
    const name = await createPair(ec.PROD, ec.DR);
    const old = (await untilPaired(name)).status?.clusterPairUUID;
    await element.DR.removeClusterPair((await pairsOn('DR'))[0]?.clusterPairID ?? 0);
    await until('a new pair', () => get(name), (cp) => cp?.status?.clusterPairUUID !== old && condition(cp, 'Ready')?.status === 'True', op);
    const uuid = (await get(name))?.status?.clusterPairUUID;
    expect((await pairsOn('PROD')).map((p) => p.clusterPairUUID)).toEqual([uuid]);
    expect((await pairsOn('DR')).map((p) => p.clusterPairUUID)).toEqual([uuid]);
    await untilEvent(name, 'Repaired');
  });

  it('Observe: the same drift is reported as Drifted, nothing is changed', async () => {
    const uuid = await handPair('PROD', 'DR');
    const name = await createPair(ec.PROD, ec.DR, { managementPolicy: 'Observe' });
    await untilPaired(name);
    await element.DR.removeClusterPair((await pairsOn('DR'))[0]?.clusterPairID ?? 0);
    await sim.admin.resetCounters();
    await untilCondition(name, 'UpToDate', 'False', 'Drifted');
    await severalPolls();
    expect((await pairsOn('PROD')).map((p) => p.clusterPairUUID)).toEqual([uuid]);
    expect(await mutatingCalls(sim)).toEqual({});
  });

  it('a stray pending pair stalls pairing with its ID until the annotation approves exactly that incident', async () => {
    const { clusterPairID } = await element.PROD.startClusterPairing();
    const name = await createPair(ec.PROD, ec.DR);
    const stalled = await untilCondition(name, 'Stalled', 'True', 'UnexplainedPendingPair');
    const incident = (stalled?.status as { incident?: { side?: string; id?: number; token?: string } } | undefined)?.incident;
    expect(incident).toMatchObject({ side: 'A', id: clusterPairID, token: expect.any(String) });
    const value = `A:${clusterPairID}:${incident?.token}`;
    expect(condition(stalled, 'Stalled')?.message).toContain(`elementrepl.io/remove-pending-pair: "${value}"`);
    expect(await pairsOn('DR')).toEqual([]);

    // A bare ID (the old form) and another token approve nothing.
    for (const old of [String(clusterPairID), `A:${clusterPairID}:0badc0de`]) {
      await kube.mergePatch(CLUSTER_PAIRS, name, { metadata: { annotations: { 'elementrepl.io/remove-pending-pair': old } } });
      await severalPolls();
      expect((await pairsOn('PROD')).map((p) => p.clusterPairID)).toEqual([clusterPairID]);
      expect(condition(await get(name), 'Stalled')?.reason).toBe('UnexplainedPendingPair');
    }

    await kube.mergePatch(CLUSTER_PAIRS, name, { metadata: { annotations: { 'elementrepl.io/remove-pending-pair': value } } });
    const done = await untilPaired(name);
    expect((done.status as { incident?: unknown } | undefined)?.incident).toBeUndefined();
    const onA = await pairsOn('PROD');
    expect(onA).toHaveLength(1);
    expect(onA[0]?.clusterPairID).not.toBe(clusterPairID);
    await untilEvent(name, 'PendingPairRemoved');
  });
});

describe('deletion', () => {
  it('Delete removes the pair on both clusters, then the resource goes', async () => {
    const name = await createPair(ec.PROD, ec.DR);
    await untilPaired(name);
    await kube.delete(CLUSTER_PAIRS, name);
    await until('gone', () => get(name), (cp) => cp === null, op);
    expect(await pairsOn('PROD')).toEqual([]);
    expect(await pairsOn('DR')).toEqual([]);
  });

  it('Orphan leaves the pair on Element', async () => {
    const name = await createPair(ec.PROD, ec.DR, { deletionPolicy: 'Orphan' });
    const uuid = (await untilPaired(name)).status?.clusterPairUUID;
    await kube.delete(CLUSTER_PAIRS, name);
    await until('gone', () => get(name), (cp) => cp === null, op);
    expect((await pairsOn('PROD')).map((p) => p.clusterPairUUID)).toEqual([uuid]);
  });

  it('InUse while Element lists volume pairs on it; goes once they are removed', async () => {
    const name = await createPair(ec.PROD, ec.DR);
    await untilPaired(name);
    const { volumeIDs: [src = 0] } = await sim.admin.createVolumes('PROD', { count: 1, namePrefix: 'src' });
    const { volumeIDs: [dst = 0] } = await sim.admin.createVolumes('DR', { count: 1, namePrefix: 'dst' });
    await element.DR.completeVolumePairing(dst, (await element.PROD.startVolumePairing(src)).volumePairingKey);

    await kube.delete(CLUSTER_PAIRS, name);
    const inUse = await untilCondition(name, 'Ready', 'False', 'InUse');
    expect(condition(inUse, 'Ready')?.message).toContain(String(src));
    await severalPolls();
    expect(await pairsOn('PROD')).toHaveLength(1);

    await element.PROD.removeVolumePair(src);
    await element.DR.removeVolumePair(dst);
    await until('gone', () => get(name), (cp) => cp === null, op);
    expect(await pairsOn('PROD')).toEqual([]);
  });
});

it('no pairing key or pairing credential in any operator output', () => {
  const output = op.output();
  expect(output).not.toMatch(/[0-9a-f]{128,}/);
  expect(output).not.toContain('__SF_pair_');
});
