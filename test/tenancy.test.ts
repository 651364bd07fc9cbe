// Safety and tenancy (issue 16, DESIGN §10) against a real kube-apiserver and the Element simulator
// over HTTPS, with the operator as a process: two tenants (namespaces) on one ClusterPair, each with
// its own Element accounts per side; every cross-tenant attempt is refused with no Element mutation
// (simulator call counters); a manual DR cutover is never overwritten without the approval naming
// the incident. Waits have generous deadlines; no speed is asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_PAIRS, sleep, type ClusterPairObject } from './helpers/cluster-pair-env.ts';
import { createTestNamespace } from './helpers/kube.ts';
import { killAllOperators } from './helpers/operator-process.ts';
import { mutatingCalls, POLL_MS, startEnv, startOperator, volume, waitFor, type VolumePairEnv } from './helpers/volume-pair-env.ts';
import { cond, VOLUME_PAIRS, volumePairResources, type VolumePairResources, type VP } from './helpers/volume-pair-resources.ts';

let env: VolumePairEnv;
let r: VolumePairResources;
/** Tenant namespaces: `a` is the env's namespace; `b` a second tenant; `outsider` not allowed at all. */
const ns = { a: '', b: '', outsider: '' };
/** Element accounts of each tenant, per side (A = PROD, B = DR). */
const accounts = { a: { PROD: 0, DR: 0 }, b: { PROD: 0, DR: 0 } };

async function tenantVolume(tenant: 'a' | 'b', cluster: 'PROD' | 'DR'): Promise<number> {
  const { volumeIDs } = await env.sim.admin.createVolumes(cluster, { count: 1, accountID: accounts[tenant][cluster] });
  return volumeIDs[0]!;
}

const severalPolls = () => sleep(3 * POLL_MS);

beforeAll(async () => {
  env = await startEnv();
  r = volumePairResources(env);
  ns.a = env.namespace;
  ns.b = await createTestNamespace('vpb');
  ns.outsider = await createTestNamespace('vpx');
  for (const tenant of ['a', 'b'] as const) {
    for (const cluster of ['PROD', 'DR'] as const) {
      accounts[tenant][cluster] = (await env.element[cluster].addAccount({ username: `tenant-${tenant}-${env.run}` })).accountID;
    }
  }
  await env.kube.mergePatch(CLUSTER_PAIRS, env.clusterPair, {
    spec: {
      allowedNamespaces: [ns.a, ns.b],
      namespaceAccounts: [
        { namespace: ns.a, accountsA: [accounts.a.PROD], accountsB: [accounts.a.DR] },
        { namespace: ns.b, accountsA: [accounts.b.PROD], accountsB: [accounts.b.DR] },
      ],
      volumePairPolicy: { adoptExisting: false, allowOverwrite: false },
    },
  });
  startOperator(env);
  await waitFor(() => env.kube.get<ClusterPairObject>(CLUSTER_PAIRS, env.clusterPair), (cp) => cond(cp, 'Ready')?.status === 'True', 'ClusterPair Ready');
});

afterAll(async () => {
  if (env) {
    for (const namespace of Object.values(ns)) {
      const { items } = await env.kube.list<VP>(VOLUME_PAIRS, { namespace }).catch(() => ({ items: [] as VP[] }));
      for (const vp of items) await env.kube.delete(VOLUME_PAIRS, vp.metadata.name, { namespace }).catch(() => undefined);
    }
    await waitFor(async () => {
      let left = 0;
      for (const namespace of Object.values(ns)) left += (await env.kube.list(VOLUME_PAIRS, { namespace })).items.length;
      return left;
    }, (n) => n === 0, 'VolumePairs deleted').catch(() => undefined);
  }
  await killAllOperators();
  await env?.close();
});

describe('two tenants on one ClusterPair', () => {
  it('each pairs its own volumes; every cross-tenant attempt is refused before any Element mutation', async () => {
    const own = { src: await tenantVolume('a', 'PROD'), dst: await tenantVolume('a', 'DR') };
    await r.create('a-own', { sideA: { volumeID: own.src }, sideB: { volumeID: own.dst } }, ns.a);
    await r.ready('a-own', ns.a);

    const aSpare = await tenantVolume('a', 'DR'); // an unpaired target of tenant A
    const aWritten = await tenantVolume('a', 'DR');
    await env.sim.admin.write('DR', aWritten);
    const bSrc = await tenantVolume('b', 'PROD');
    await env.sim.admin.resetCounters();

    // B names A's unpaired target (RequireUnused would let a never-accessed volume through).
    await r.create('b-steals-target', { sideA: { volumeID: bSrc }, sideB: { volumeID: aSpare } }, ns.b);
    // B names A's established pair: adopting it would let B destroy it on delete.
    await r.create('b-adopts', { sideA: { volumeID: own.src }, sideB: { volumeID: own.dst } }, ns.b);
    // B asks to overwrite A's written volume.
    await r.create('b-overwrites', { sideA: { volumeID: bSrc }, sideB: { volumeID: aWritten }, targetPolicy: 'Overwrite' }, ns.b);
    // A namespace the ClusterPair does not allow names A's spare target (squatting on its ID).
    await r.create('outsider-squats', { sideA: { volumeID: bSrc }, sideB: { volumeID: aSpare } }, ns.outsider);

    for (const name of ['b-steals-target', 'b-adopts', 'b-overwrites']) await r.stalled(name, 'AccountNotAllowed', ns.b);
    await r.stalled('outsider-squats', 'NamespaceNotAllowed', ns.outsider);
    await severalPolls();
    expect(await mutatingCalls(env)).toEqual({});
    // Nothing was recorded as owned by the refused VolumePairs: they cannot squat on the IDs.
    for (const name of ['b-steals-target', 'b-adopts', 'b-overwrites']) expect((await r.get(name, ns.b))?.status?.sideB).toBeUndefined();
    // A's pair is untouched and A can still use its spare volume.
    expect(await r.linked(own.src, own.dst)).toBeDefined();
    const aSrc2 = await tenantVolume('a', 'PROD');
    await r.create('a-spare', { sideA: { volumeID: aSrc2 }, sideB: { volumeID: aSpare } }, ns.a);
    await r.ready('a-spare', ns.a);
    expect(await r.linked(aSrc2, aSpare)).toBeDefined();

    // B's own volumes pair as usual (a fresh source: the refused VolumePairs of B still claim bSrc, first come first served).
    const [bSrc2, bDst] = [await tenantVolume('b', 'PROD'), await tenantVolume('b', 'DR')];
    await r.create('b-own', { sideA: { volumeID: bSrc2 }, sideB: { volumeID: bDst } }, ns.b);
    await r.ready('b-own', ns.b);
  });

  it("adoptExisting: false — a hand-made pair is not adopted, and deleting the VolumePair leaves it", async () => {
    const src = await tenantVolume('b', 'PROD');
    const dst = await tenantVolume('b', 'DR');
    await env.element.DR.modifyVolume({ volumeID: dst, access: 'replicationTarget' });
    const { volumePairingKey } = await env.element.PROD.startVolumePairing(src, 'Async');
    await env.element.DR.completeVolumePairing(dst, volumePairingKey);
    await waitFor(() => r.linked(src, dst), (uuid) => uuid !== undefined, 'hand-made pair Active');
    await env.sim.admin.resetCounters();

    await r.create('b-hand-made', { sideA: { volumeID: src }, sideB: { volumeID: dst } }, ns.b);
    await r.stalled('b-hand-made', 'AdoptionNotAllowed', ns.b);
    await env.kube.delete(VOLUME_PAIRS, 'b-hand-made', { namespace: ns.b });
    await waitFor(() => r.get('b-hand-made', ns.b), (vp) => vp === null, 'b-hand-made deleted');
    expect(await mutatingCalls(env)).toEqual({});
    expect(await r.linked(src, dst)).toBeDefined();
  });
});

describe('a manual DR cutover is respected (ResyncRequired)', () => {
  it('stalls with the volume and a token; a wrong approval does nothing; the right one resyncs', async () => {
    const src = await tenantVolume('a', 'PROD');
    const dst = await tenantVolume('a', 'DR');
    await r.create('cutover', { sideA: { volumeID: src }, sideB: { volumeID: dst } });
    await r.ready('cutover');
    await waitFor(() => r.linked(src, dst), (uuid) => uuid !== undefined, 'cutover Active');
    // The admin cuts over by hand: removes the pair on DR and makes the target writable; hosts write to it.
    await env.element.DR.removeVolumePair(dst);
    await env.element.DR.modifyVolume({ volumeID: dst, access: 'readWrite' });
    await env.sim.admin.write('DR', dst);
    await env.sim.admin.resetCounters();

    const stalled = await r.stalled('cutover', 'ResyncRequired');
    const token = (stalled?.status as { incident?: { token?: string } } | undefined)?.incident?.token ?? '';
    expect(token).not.toBe('');
    expect(cond(stalled, 'Stalled')?.message).toContain(`B:${dst}:${token}`);
    await severalPolls();
    // Nothing touched the written volume: still writable, no call changed anything on either cluster.
    expect((await volume(env, 'DR', dst))?.access).toBe('readWrite');
    expect(await mutatingCalls(env)).toEqual({});

    for (const wrong of [`B:${dst}:00000000`, `A:${src}:${token}`, 'true']) {
      await env.kube.mergePatch(VOLUME_PAIRS, 'cutover', { metadata: { annotations: { 'elementrepl.io/approve-resync': wrong } } }, { namespace: env.namespace });
      await severalPolls();
      expect(cond(await r.get('cutover'), 'Stalled')?.reason).toBe('ResyncRequired');
      expect((await volume(env, 'DR', dst))?.access).toBe('readWrite');
    }
    expect(await mutatingCalls(env)).toEqual({});

    await env.kube.mergePatch(VOLUME_PAIRS, 'cutover', { metadata: { annotations: { 'elementrepl.io/approve-resync': `B:${dst}:${token}` } } }, { namespace: env.namespace });
    await r.ready('cutover');
    await waitFor(() => r.linked(src, dst), (uuid) => uuid !== undefined, 'cutover re-paired from A');
  });
});
