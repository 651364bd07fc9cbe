// VolumePair against a real kube-apiserver and the Element simulator over HTTPS, with the operator
// (ClusterPair + VolumePair controllers) as a process (issue 8): lifecycle, drift, safety,
// efficiency with 50 pairs, crash safety after every step and dropped Start/Complete responses.
// Waits have generous deadlines; no speed is asserted.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CRASH_BEFORE_KEY_STORED } from '../src/reconcilers/volume-pair/execute.ts';
import { CLUSTER_PAIRS, sleep, type ClusterPairObject } from './helpers/cluster-pair-env.ts';
import { createTestNamespace } from './helpers/kube.ts';
import { killAllOperators, type OperatorProcess } from './helpers/operator-process.ts';
import { keySecrets, mutatingCalls, newVolumes, pendingPairs, POLL_MS, RUN_LABEL, startEnv, startOperator, volume, waitFor, type VolumePairEnv } from './helpers/volume-pair-env.ts';
import { cond, VOLUME_PAIRS, volumePairResources, type VolumePairResources, type VP } from './helpers/volume-pair-resources.ts';

/** Hex of `{"mvip":`: how every volume pairing key starts. */
const KEY_PREFIX = '7b226d766970223a';

let env: VolumePairEnv;
let r: VolumePairResources;
let op: OperatorProcess;
const outputs: (() => string)[] = [];

function operator(crashAfter?: string): OperatorProcess {
  const proc = startOperator(env, crashAfter);
  outputs.push(() => proc.output());
  return proc;
}

beforeAll(async () => {
  env = await startEnv();
  r = volumePairResources(env);
  op = operator();
  await waitFor(() => env.kube.get<ClusterPairObject>(CLUSTER_PAIRS, env.clusterPair), (cp) => cond(cp, 'Ready')?.status === 'True', 'ClusterPair Ready');
});

afterAll(async () => {
  await killAllOperators();
  await env?.close();
});

beforeEach(async () => {
  await env.sim.admin.clearFaults();
});

afterEach(async () => {
  // Every test leaves only what it declared; the operator removes it before the next test.
  const { items } = await env.kube.list<VP>(VOLUME_PAIRS, { labelSelector: `${RUN_LABEL}=${env.run}` });
  for (const vp of items) await env.kube.delete(VOLUME_PAIRS, vp.metadata.name, { namespace: vp.metadata.namespace });
  await waitFor(async () => (await env.kube.list(VOLUME_PAIRS, { labelSelector: `${RUN_LABEL}=${env.run}` })).items.length, (n) => n === 0, 'VolumePairs deleted');
});

/** Lets the operator look at everything at least twice more (several polls); nothing is timed. */
const severalPolls = () => sleep(3 * POLL_MS);

describe('lifecycle', () => {
  it('by ID and by name: Ready, linked on both clusters, mode and pause applied, resumed, deleted; kubectl diff empty', async () => {
    const src = await newVolumes(env, 'PROD', 3);
    const dst = await newVolumes(env, 'DR', 3);
    const objects = [
      r.manifest('by-id-1', { sideA: { volumeID: src.ids[0] }, sideB: { volumeID: dst.ids[0] } }),
      r.manifest('by-id-2', { sideA: { volumeID: src.ids[1] }, sideB: { volumeID: dst.ids[1] }, mode: 'Sync' }),
      r.manifest('by-name', {
        sideA: { volumeName: `${src.prefix}-${src.ids[2]}`, accountID: src.accountID },
        sideB: { volumeName: `${dst.prefix}-${dst.ids[2]}`, accountID: dst.accountID },
      }),
    ];
    expect((await r.apply(objects)).code).toBe(0);
    for (const o of objects) await r.ready(o.metadata.name);
    for (const [i, o] of objects.entries()) {
      const uuid = await waitFor(() => r.linked(src.ids[i]!, dst.ids[i]!), (u) => u !== undefined, `pair ${i} Active`);
      // The key Secret is deleted and the intent cleared in the steps after the pair is verified.
      const vp = await r.until(o.metadata.name, 'intent cleared', (v) => v?.status?.pairing === undefined);
      expect(vp?.status).toMatchObject({ volumePairUUID: uuid, sideA: { volumeID: src.ids[i] }, sideB: { volumeID: dst.ids[i] } });
      expect(vp?.metadata.finalizers).toContain('elementrepl.io/cleanup');
    }
    expect((await volume(env, 'PROD', src.ids[1]!))?.volumePairs[0]?.remoteReplication?.mode).toBe('Sync');
    expect(await keySecrets(env)).toEqual([]);
    const diff = await r.apply(objects, 'diff');
    expect(diff, diff.stderr).toMatchObject({ code: 0, stdout: '' });

    // Change the mode of one, pause another.
    objects[0]!.spec['mode'] = 'SnapshotsOnly';
    objects[1]!.spec['paused'] = true;
    expect((await r.apply(objects)).code).toBe(0);
    await waitFor(() => volume(env, 'PROD', src.ids[0]!), (v) => v?.volumePairs[0]?.remoteReplication?.mode === 'SnapshotsOnly', 'mode applied');
    await waitFor(() => volume(env, 'PROD', src.ids[1]!), (v) => v?.volumePairs[0]?.remoteReplication?.state === 'PausedManual', 'pause applied');
    await r.until('by-id-2', 'Ready Paused', (vp) => cond(vp, 'Ready')?.reason === 'Paused' && cond(vp, 'Ready')?.status === 'True');

    // Resume.
    objects[1]!.spec['paused'] = false;
    expect((await r.apply(objects)).code).toBe(0);
    await waitFor(() => r.linked(src.ids[1]!, dst.ids[1]!), (u) => u !== undefined, 'resumed to Active');
    await r.until('by-id-2', 'Ready Active', (vp) => cond(vp, 'Ready')?.reason === 'Active');
    await waitFor(() => r.apply(objects, 'diff'), (d) => d.code === 0 && d.stdout === '', 'kubectl diff empty');

    // Delete.
    expect((await r.apply(objects, 'delete')).code).toBe(0);
    for (const o of objects) await r.until(o.metadata.name, 'gone', (vp) => vp === null);
    for (const i of [0, 1, 2]) {
      expect(await r.unpaired('PROD', src.ids[i]!)).toBe(true);
      expect(await r.unpaired('DR', dst.ids[i]!)).toBe(true);
    }
    expect(await keySecrets(env)).toEqual([]);
  });
});

describe('drift', () => {
  it('out-of-band RemoveVolumePair on either side, a mode change and a pause are repaired', async () => {
    const a = await r.pairedVP('drift-source');
    const b = await r.pairedVP('drift-target');
    await env.element.PROD.removeVolumePair(a.src); // source half gone: the target shows StoppedMisconfigured
    await env.element.DR.removeVolumePair(b.dst); // target half gone: the source shows StoppedMisconfigured
    const newA = await waitFor(() => r.linked(a.src, a.dst), (u) => u !== undefined && u !== a.uuid, 're-paired after source-side removal');
    const newB = await waitFor(() => r.linked(b.src, b.dst), (u) => u !== undefined && u !== b.uuid, 're-paired after target-side removal');
    await r.until('drift-source', 'status shows the new pair', (vp) => vp?.status?.volumePairUUID === newA && cond(vp, 'Ready')?.status === 'True');
    await r.until('drift-target', 'status shows the new pair', (vp) => vp?.status?.volumePairUUID === newB && cond(vp, 'Ready')?.status === 'True');
    expect(await pendingPairs(env)).toEqual([]);

    await env.element.PROD.modifyVolumePair({ volumeID: a.src, mode: 'Sync' });
    await env.element.PROD.modifyVolumePair({ volumeID: b.src, pausedManual: true });
    await waitFor(() => volume(env, 'PROD', a.src), (v) => v?.volumePairs[0]?.remoteReplication?.mode === 'Async', 'mode set back to Async');
    await waitFor(() => r.linked(b.src, b.dst), (u) => u === newB, 'resumed to Active');
    for (const reason of ['LeftoverPairRemoved', 'VolumePairingCompleted', 'ModeChanged', 'ReplicationResumed']) expect(op.output()).toContain(`"reason":"${reason}"`);
    expect(op.output()).toContain('drift corrected');
  });

  it('a target made writable by hand (two writers) stalls with ResyncRequired and is never flipped back without approval', async () => {
    const p = await r.pairedVP('flip');
    await env.element.DR.modifyVolume({ volumeID: p.dst, access: 'readWrite' });
    await env.sim.admin.resetCounters();
    const vp = await r.until('flip', 'Stalled ResyncRequired', (v) => cond(v, 'Stalled')?.status === 'True' && cond(v, 'Stalled')?.reason === 'ResyncRequired');
    expect(cond(vp, 'Ready')).toMatchObject({ status: 'False', reason: 'ResyncRequired' });
    await severalPolls();
    expect((await volume(env, 'DR', p.dst))?.access).toBe('readWrite');
    expect(await mutatingCalls(env)).toEqual({});
  });

  it('Observe adopts a hand-made pair, reports drift and never touches Element, not even on deletion', async () => {
    const [src, dst] = [(await newVolumes(env, 'PROD', 1)).ids[0]!, (await newVolumes(env, 'DR', 1)).ids[0]!];
    await env.element.DR.modifyVolume({ volumeID: dst, access: 'replicationTarget' });
    const { volumePairingKey } = await env.element.PROD.startVolumePairing(src);
    await env.element.DR.completeVolumePairing(dst, volumePairingKey);
    const uuid = await waitFor(() => r.linked(src, dst), (u) => u !== undefined, 'hand-made pair Active');
    await env.sim.admin.resetCounters();

    await r.create('observe', { sideA: { volumeID: src }, sideB: { volumeID: dst }, managementPolicy: 'Observe' });
    await r.until('observe', 'adopted', (vp) => vp?.status?.volumePairUUID === uuid && cond(vp, 'Ready')?.status === 'True');
    await env.element.PROD.modifyVolumePair({ volumeID: src, mode: 'Sync' });
    await r.until('observe', 'UpToDate Drifted', (vp) => cond(vp, 'UpToDate')?.status === 'False' && cond(vp, 'UpToDate')?.reason === 'Drifted');
    await severalPolls();
    expect((await volume(env, 'PROD', src))?.volumePairs[0]?.remoteReplication?.mode).toBe('Sync');

    await env.kube.delete(VOLUME_PAIRS, 'observe', { namespace: env.namespace });
    await r.until('observe', 'gone', (vp) => vp === null);
    expect(await r.linked(src, dst)).toBe(uuid);
    expect(await mutatingCalls(env)).toEqual({ PROD: { ModifyVolumePair: 1 } }); // the test's own drift
  });
});

describe('outages', () => {
  it('a cut link shows Degraded PausedDisconnected and heals; a deletion while a cluster is down finishes once it is back', async () => {
    const p = await r.pairedVP('outage');
    try {
      await env.sim.admin.cutLink('PROD', 'DR');
      await r.until('outage', 'Degraded PausedDisconnected', (v) => cond(v, 'Degraded')?.status === 'True' && cond(v, 'Degraded')?.reason === 'PausedDisconnected');
      await env.sim.admin.restoreLink('PROD', 'DR');
      await r.until('outage', 'Ready again', (v) => cond(v, 'Ready')?.status === 'True' && cond(v, 'Degraded')?.status === 'False');

      await env.sim.admin.setClusterDown('DR');
      await env.kube.delete(VOLUME_PAIRS, 'outage', { namespace: env.namespace });
      // What can be reached is cleaned up; the rest waits for DR, with the finalizer in place.
      await waitFor(() => r.unpaired('PROD', p.src), (done) => done, 'pair removed on PROD');
      await severalPolls();
      expect((await r.get('outage'))?.metadata.finalizers).toContain('elementrepl.io/cleanup');
      await env.sim.admin.setClusterUp('DR');
      await r.until('outage', 'gone', (vp) => vp === null);
      expect(await r.unpaired('DR', p.dst)).toBe(true);
    } finally {
      await env.sim.admin.restoreLink('PROD', 'DR');
      await env.sim.admin.setClusterUp('DR');
    }
  });
});

describe('safety', () => {
  it('a used target, a smaller target, a source paired elsewhere, a namespace not allowed: Stalled with the reason, no Element mutation', async () => {
    const src = (await newVolumes(env, 'PROD', 4)).ids;
    const dst = (await newVolumes(env, 'DR', 3)).ids;
    const small = (await newVolumes(env, 'DR', 1, { totalSize: 512 * 1024 ** 2 })).ids[0]!;
    const elsewhere = (await newVolumes(env, 'DR', 1)).ids[0]!;
    await env.sim.admin.simulateIo('DR', dst[0]!);
    const { volumePairingKey } = await env.element.PROD.startVolumePairing(src[2]!);
    await env.element.DR.completeVolumePairing(elsewhere, volumePairingKey);
    const otherNamespace = await createTestNamespace('vpdeny');
    await env.sim.admin.resetCounters();

    await r.create('used-target', { sideA: { volumeID: src[0] }, sideB: { volumeID: dst[0] } });
    await r.create('small-target', { sideA: { volumeID: src[1] }, sideB: { volumeID: small } });
    await r.create('paired-elsewhere', { sideA: { volumeID: src[2] }, sideB: { volumeID: dst[1] } });
    await r.create('denied', { sideA: { volumeID: src[3] }, sideB: { volumeID: dst[2] } }, otherNamespace);

    const reasons = [['used-target', 'TargetInUse'], ['small-target', 'TargetTooSmall'], ['paired-elsewhere', 'VolumeAlreadyPaired']] as const;
    for (const [name, reason] of reasons) {
      const vp = await r.stalled(name, reason);
      expect(cond(vp, 'Ready')).toMatchObject({ status: 'False', reason });
      expect(cond(vp, 'Stalled')?.message).not.toBe('');
    }
    const denied = await r.stalled('denied', 'NamespaceNotAllowed', otherNamespace);
    expect(cond(denied, 'Stalled')?.message).toContain(otherNamespace);
    await severalPolls();
    expect(await mutatingCalls(env)).toEqual({});
    expect(await r.unpaired('DR', dst[0]!)).toBe(true);
    expect((await volume(env, 'DR', dst[0]!))?.access).toBe('readWrite');
  });

  it('a second VolumePair on an owned volume: Stalled Conflict, no mutation, the first keeps it', async () => {
    const first = await r.pairedVP('first');
    const other = (await newVolumes(env, 'DR', 1)).ids[0]!;
    await env.sim.admin.resetCounters();
    await r.create('second', { sideA: { volumeID: first.src }, sideB: { volumeID: other } });
    const vp = await r.stalled('second', 'Conflict');
    expect(cond(vp, 'Stalled')?.message).toContain(`${env.namespace}/first`);
    await severalPolls();
    expect(await mutatingCalls(env)).toEqual({});
    expect(cond(await r.get('first'), 'Ready')?.status).toBe('True');
    expect(await r.linked(first.src, first.dst)).toBe(first.uuid);
  });
});

describe('efficiency', () => {
  const N = 50;

  it(`${N} pairs: at most 3 mutating calls per pair; list calls per poll do not grow with the number of pairs`, async () => {
    const src = (await newVolumes(env, 'PROD', N)).ids;
    const dst = (await newVolumes(env, 'DR', N)).ids;
    await env.sim.admin.resetCounters();
    await Promise.all(src.map((id, i) => r.create(`bulk-${i}`, { sideA: { volumeID: id }, sideB: { volumeID: dst[i] } })));
    const label = `${RUN_LABEL}=${env.run}`;
    await waitFor(
      async () => (await env.kube.list<VP>(VOLUME_PAIRS, { labelSelector: label })).items.filter((vp) => cond(vp, 'Ready')?.status === 'True').length,
      (n) => n === N,
      `${N} VolumePairs Ready`,
      180_000,
    );
    const creation = await mutatingCalls(env);
    // One ModifyVolume (target access), one Start, one Complete per pair; nothing else.
    expect(creation).toEqual({ PROD: { StartVolumePairing: N }, DR: { ModifyVolume: N, CompleteVolumePairing: N } });
    for (const [i, id] of src.entries()) expect(await r.linked(id, dst[i]!), `pair ${i}`).toBeDefined();

    // Steady state: every VolumePair is reconciled at every poll, and all of them share one
    // ListActivePairedVolumes per cluster and poll; nothing is listed per VolumePair.
    await env.sim.admin.resetCounters();
    await severalPolls();
    const counters = await env.sim.admin.counters();
    console.log(`[volume-pair] ${N} pairs: creation mutating calls ${JSON.stringify(creation)}; list calls over ${3 * POLL_MS} ms (poll ${POLL_MS} ms): ${JSON.stringify(counters)}`);
    for (const cluster of ['PROD', 'DR']) {
      const calls = counters[cluster] ?? {};
      expect(calls['ListVolumes'] ?? 0, cluster).toBe(0);
      const lists = (calls['ListActivePairedVolumes'] ?? 0) + (calls['ListClusterPairs'] ?? 0);
      // Per-VolumePair listing would need at least N per poll; the shared cache needs a handful.
      expect(lists, cluster).toBeLessThan(N / 2);
      expect(Object.keys(calls).filter((m) => !m.startsWith('List') && !m.startsWith('Get')), cluster).toEqual([]);
    }
  });
});

describe('crash safety', () => {
  beforeAll(async () => {
    await op.stop();
  });

  async function crashed(proc: OperatorProcess, point: string): Promise<void> {
    const exit = await Promise.race([proc.exited, sleep(90_000).then(() => undefined)]);
    if (!exit) throw new Error(`no crash after ${point}:\n${proc.output().slice(-4000)}`);
    expect(exit.signal ?? exit.code, proc.output().slice(-2000)).toSatisfy((v: unknown) => v === 'SIGKILL' || v === 137);
    expect(proc.output()).toContain(`crashing after ${point}`);
  }

  async function exactlyDeclared(src: number, dst: number, name: string): Promise<void> {
    const vp = await r.ready(name);
    const uuid = await waitFor(() => r.linked(src, dst), (u) => u !== undefined, 'declared pair Active');
    expect(vp?.status?.volumePairUUID).toBe(uuid);
    await r.until(name, 'intent cleared', (v) => v?.status?.pairing === undefined);
    expect(await pendingPairs(env)).toEqual([]);
    expect(await keySecrets(env)).toEqual([]);
  }

  it('killed after every step of pairing and of deletion, restarted each time: exactly the declared pair, no pending pair, no key Secret', async () => {
    const [src, dst] = [(await newVolumes(env, 'PROD', 1)).ids[0]!, (await newVolumes(env, 'DR', 1)).ids[0]!];
    await r.create('crash', { sideA: { volumeID: src }, sideB: { volumeID: dst } });
    const points = ['addFinalizer', 'writeIntent', 'modifyVolumeAccess', CRASH_BEFORE_KEY_STORED, 'startVolumePairing', 'completeVolumePairing', 'deleteKeySecret', 'clearIntent'];
    // Each process resumes where the previous one died and dies after the next step.
    for (const point of points) await crashed(operator(point), point);
    op = operator();
    await exactlyDeclared(src, dst, 'crash');

    await op.stop();
    await env.kube.delete(VOLUME_PAIRS, 'crash', { namespace: env.namespace });
    await crashed(operator('removeVolumePair'), 'removeVolumePair');
    op = operator();
    await r.until('crash', 'gone', (vp) => vp === null);
    expect(await r.unpaired('PROD', src)).toBe(true);
    expect(await r.unpaired('DR', dst)).toBe(true);
    expect(await keySecrets(env)).toEqual([]);
  });

  it.each([
    ['PROD', 'StartVolumePairing'],
    ['DR', 'CompleteVolumePairing'],
  ] as const)('%s %s applied but its response dropped: exactly the declared pair, no pending pair, no key Secret', async (cluster, method) => {
    await env.sim.admin.dropResponse({ cluster, method, count: 1 });
    const [src, dst] = [(await newVolumes(env, 'PROD', 1)).ids[0]!, (await newVolumes(env, 'DR', 1)).ids[0]!];
    await r.create(`drop-${method.toLowerCase()}`, { sideA: { volumeID: src }, sideB: { volumeID: dst } });
    await exactlyDeclared(src, dst, `drop-${method.toLowerCase()}`);
    expect((await env.sim.admin.faults()).drops).toEqual([]); // the fault was met
    expect(op.output()).toContain(`${method} failed`);
    if (method === 'StartVolumePairing') expect(op.output()).toContain('"reason":"PairingRestarted"');
  });
});

describe('secrets', () => {
  it('no pairing key in any operator output', () => {
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) expect(output().toLowerCase()).not.toContain(KEY_PREFIX);
  });
});
