// Disaster recovery (issue 14, DESIGN §8) against a real kube-apiserver and the Element simulator
// over HTTPS, with the operator as a process: planned switchover and failback (Async and Sync) with
// the simulator's access history (never two writers; a promote-first sequence makes the same check
// fail), the volume pair kept, data written on the new primary arriving on the old one, two
// ModifyVolume calls and nothing else per switchover; preconditions that wait; SnapshotsOnly
// refused; an upgrade-like start only reported; forced failover with a cluster down and with the
// link cut; resync only with the right approval; SIGKILL after every step; 50 pairs at once.
// Waits have generous deadlines; no speed is asserted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_RESYNC_ANNOTATION } from '../src/api/index.ts';
import type { AccessChangeView } from '../src/simulator/admin-schema.ts';
import { CLUSTER_PAIRS, sleep, type ClusterPairObject } from './helpers/cluster-pair-env.ts';
import { killAllOperators, type OperatorProcess } from './helpers/operator-process.ts';
import { mutatingCalls, newVolumes, POLL_MS, RUN_LABEL, startEnv, startOperator, volume, waitFor, type VolumePairEnv } from './helpers/volume-pair-env.ts';
import { cond, VOLUME_PAIRS, volumePairResources, type VolumePairResources, type VP } from './helpers/volume-pair-resources.ts';

interface DrStatus {
  primarySide?: string;
  switchover?: { phase: string };
  replicationState?: string;
  volumePairUUID?: string;
  incident?: { reason: string; side: string; id: number; token: string };
}
type DrVP = VP & { status?: VP['status'] & DrStatus };

let env: VolumePairEnv;
let r: VolumePairResources;
let op: OperatorProcess;

beforeAll(async () => {
  env = await startEnv();
  r = volumePairResources(env);
  op = startOperator(env);
  await waitFor(() => env.kube.get<ClusterPairObject>(CLUSTER_PAIRS, env.clusterPair), (cp) => cond(cp, 'Ready')?.status === 'True', 'ClusterPair Ready');
});

afterAll(async () => {
  await killAllOperators();
  await env?.close();
});

afterEach(async () => {
  await env.sim.admin.clearFaults();
  for (const [a, b] of await env.sim.admin.cutLinks()) await env.sim.admin.restoreLink(a, b);
  const { items } = await env.kube.list<VP>(VOLUME_PAIRS, { labelSelector: `${RUN_LABEL}=${env.run}` });
  for (const vp of items) await env.kube.delete(VOLUME_PAIRS, vp.metadata.name, { namespace: vp.metadata.namespace });
  await waitFor(async () => (await env.kube.list(VOLUME_PAIRS, { labelSelector: `${RUN_LABEL}=${env.run}` })).items.length, (n) => n === 0, 'VolumePairs deleted', 180_000);
});

/** The VolumePair without managedFields (a timed-out wait prints the last value). */
const get = async (name: string): Promise<DrVP | null> => {
  const vp = await env.kube.get<DrVP>(VOLUME_PAIRS, name, env.namespace);
  if (vp !== null) delete (vp.metadata as { managedFields?: unknown }).managedFields;
  return vp;
};
const patch = (name: string, body: Record<string, unknown>) => env.kube.mergePatch(VOLUME_PAIRS, name, body, { namespace: env.namespace });
const until = (name: string, what: string, done: (vp: DrVP | null) => boolean, timeoutMs = 120_000) => waitFor(() => get(name), done, `${name}: ${what}`, timeoutMs);
const activeOn = (name: string, side: 'A' | 'B') =>
  until(name, `Active with primary ${side}`, (vp) => vp?.status?.primarySide === side && cond(vp, 'Ready')?.reason === 'Active' && vp.status.switchover === undefined);
const severalPolls = () => sleep(3 * POLL_MS);

/** A fresh pair, Active, with its direction recorded. */
async function recordedPair(name: string, spec: Record<string, unknown> = {}): Promise<{ src: number; dst: number; uuid: string }> {
  const pair = await r.pairedVP(name, spec);
  await activeOn(name, 'A');
  return pair;
}

async function lastSeq(): Promise<number> {
  return Math.max(0, ...(await env.sim.admin.accessChanges()).map((c) => c.seq));
}

/** Access changes of the two volumes since `after`, in order. */
async function changesOf(src: number, dst: number, after: number): Promise<AccessChangeView[]> {
  const all = [...(await env.sim.admin.accessChanges({ cluster: 'PROD', volumeID: src })), ...(await env.sim.admin.accessChanges({ cluster: 'DR', volumeID: dst }))];
  return all.filter((c) => c.seq > after).sort((x, y) => x.seq - y.seq);
}

/** Replays the changes from the accesses before them: was there ever an instant with two readWrite volumes? */
function everTwoWriters(start: { PROD: string; DR: string }, changes: readonly AccessChangeView[]): boolean {
  const access: Record<string, string> = { ...start };
  for (const change of changes) {
    access[change.cluster] = change.to;
    if (access['PROD'] === 'readWrite' && access['DR'] === 'readWrite') return true;
  }
  return false;
}

async function accesses(src: number, dst: number): Promise<{ PROD: string; DR: string }> {
  return { PROD: (await volume(env, 'PROD', src))?.access ?? '?', DR: (await volume(env, 'DR', dst))?.access ?? '?' };
}

/** Counts of pairing and removal calls since the last counter reset (a switchover makes none). */
async function pairingCalls(): Promise<number> {
  const calls = await mutatingCalls(env);
  return Object.values(calls).flatMap((methods) => Object.entries(methods)).filter(([m]) => /Pairing|Remove/.test(m)).reduce((n, [, c]) => n + c, 0);
}

async function modifyVolumeCalls(): Promise<{ PROD: number; DR: number }> {
  const calls = await mutatingCalls(env);
  return { PROD: calls['PROD']?.['ModifyVolume'] ?? 0, DR: calls['DR']?.['ModifyVolume'] ?? 0 };
}

describe.each([['Async'], ['Sync']] as const)('planned switchover and failback (%s)', (mode) => {
  it('demotes, then promotes: never two writers, same pair, data follows, 2 ModifyVolume per switchover and nothing else', async () => {
    const name = `planned-${mode.toLowerCase()}`;
    const { src, dst, uuid } = await recordedPair(name, { mode });
    await env.sim.admin.write('PROD', src);

    for (const [to, from] of [['B', 'A'], ['A', 'B']] as const) {
      const before = await accesses(src, dst);
      const seq = await lastSeq();
      await env.sim.admin.resetCounters();
      await patch(name, { spec: { primarySide: to } });
      const done = await activeOn(name, to);

      expect(done?.status?.volumePairUUID).toBe(uuid);
      const pair = (await volume(env, 'PROD', src))?.volumePairs[0];
      expect(pair?.volumePairUUID).toBe(uuid);
      const changes = await changesOf(src, dst, seq);
      expect(changes.map((c) => `${c.cluster}:${c.from}→${c.to}`)).toEqual(
        from === 'A' ? ['PROD:readWrite→replicationTarget', 'DR:replicationTarget→readWrite'] : ['DR:readWrite→replicationTarget', 'PROD:replicationTarget→readWrite'],
      );
      expect(everTwoWriters(before, changes)).toBe(false);
      expect(await modifyVolumeCalls()).toEqual({ PROD: 1, DR: 1 });
      expect(await pairingCalls()).toBe(0);

      // Data written on the new primary arrives on the old one.
      const [newPrimary, newPrimaryID, oldCluster, oldID] = to === 'B' ? (['DR', dst, 'PROD', src] as const) : (['PROD', src, 'DR', dst] as const);
      const written = await env.sim.admin.write(newPrimary, newPrimaryID);
      expect(written.written).toBe(true);
      await waitFor(() => env.sim.admin.volumeReplication(oldCluster, oldID), (v) => v.dataVersion === written.dataVersion, `${name}: the write on ${newPrimary} replicated`);
    }
  });
});

describe('the check itself', () => {
  it('negative control: promoting before demoting (done by hand here) is seen as two writers by the same check', async () => {
    const name = 'negative-control';
    const { src, dst } = await recordedPair(name);
    await patch(name, { spec: { managementPolicy: 'Observe', deletionPolicy: 'Orphan' } });
    await until(name, 'observing', (vp) => {
      const seen = vp as { metadata: { generation?: number }; status?: { observedGeneration?: number } } | null;
      return seen?.status?.observedGeneration === seen?.metadata.generation;
    });
    const before = await accesses(src, dst);
    const seq = await lastSeq();
    await env.element.DR.modifyVolume({ volumeID: dst, access: 'readWrite' });
    await env.element.PROD.modifyVolume({ volumeID: src, access: 'replicationTarget' });
    expect(everTwoWriters(before, await changesOf(src, dst, seq))).toBe(true);
    // Back as it was, then the pair is removed by hand (the VolumePair orphans it).
    await env.element.PROD.modifyVolume({ volumeID: src, access: 'readWrite' });
    await env.element.DR.modifyVolume({ volumeID: dst, access: 'replicationTarget' });
    await env.element.PROD.removeVolumePair(src);
    await env.element.DR.removeVolumePair(dst);
  });
});

describe('preconditions of a planned switchover', () => {
  it('waits with SwitchoverPending while Async lag is above 0, while paused and while the link is cut, and goes on once each clears', async () => {
    const name = 'pending';
    const { src, dst } = await recordedPair(name);

    // Writes not yet replicated.
    await env.sim.admin.setAsyncDelay('PROD', src, 5);
    let seq = await lastSeq();
    await patch(name, { spec: { primarySide: 'B' } });
    await until(name, 'SwitchoverPending (lag)', (vp) => cond(vp, 'Ready')?.reason === 'SwitchoverPending' && /not yet replicated/.test(cond(vp, 'Ready')?.message ?? ''));
    await severalPolls();
    expect(await changesOf(src, dst, seq)).toEqual([]);
    await env.sim.admin.setAsyncDelay('PROD', src, 0);
    await activeOn(name, 'B');

    // Paused on request.
    await patch(name, { spec: { paused: true } });
    await until(name, 'Paused', (vp) => cond(vp, 'Ready')?.reason === 'Paused');
    seq = await lastSeq();
    await patch(name, { spec: { primarySide: 'A' } });
    await until(name, 'SwitchoverPending (paused)', (vp) => cond(vp, 'Ready')?.reason === 'SwitchoverPending' && /paused/.test(cond(vp, 'Ready')?.message ?? ''));
    await severalPolls();
    expect(await changesOf(src, dst, seq)).toEqual([]);
    await patch(name, { spec: { paused: false } });
    await activeOn(name, 'A');

    // Link cut.
    await env.sim.admin.cutLink('PROD', 'DR');
    await until(name, 'PausedDisconnected', (vp) => vp?.status?.replicationState === 'PausedDisconnected');
    seq = await lastSeq();
    await patch(name, { spec: { primarySide: 'B' } });
    await until(name, 'SwitchoverPending (not Active)', (vp) => cond(vp, 'Ready')?.reason === 'SwitchoverPending' && /not Active/.test(cond(vp, 'Ready')?.message ?? ''));
    await severalPolls();
    expect(await changesOf(src, dst, seq)).toEqual([]);
    await env.sim.admin.restoreLink('PROD', 'DR');
    await activeOn(name, 'B');
  }, 300_000);

  it('refuses a SnapshotsOnly pair (Stalled SwitchoverUnsafe) and changes nothing', async () => {
    const name = 'snapshots-only';
    const { src, dst } = await recordedPair(name, { mode: 'SnapshotsOnly' });
    const seq = await lastSeq();
    await patch(name, { spec: { primarySide: 'B' } });
    await r.stalled(name, 'SwitchoverUnsafe');
    await severalPolls();
    expect(await changesOf(src, dst, seq)).toEqual([]);
  });

  it('an upgrade-like start (spec differs from Element, nothing recorded) is only reported', async () => {
    const { src, dst } = await recordedPair('made-earlier', { deletionPolicy: 'Orphan' });
    await env.kube.delete(VOLUME_PAIRS, 'made-earlier', { namespace: env.namespace });
    await until('made-earlier', 'gone', (vp) => vp === null);
    const seq = await lastSeq();
    await env.sim.admin.resetCounters();
    await r.create('upgraded', { sideA: { volumeID: src }, sideB: { volumeID: dst }, primarySide: 'B' });
    const reported = await until('upgraded', 'DirectionMismatch', (vp) => cond(vp, 'Degraded')?.reason === 'DirectionMismatch');
    expect(reported?.status?.primarySide).toBeUndefined();
    await severalPolls();
    expect(await changesOf(src, dst, seq)).toEqual([]);
    expect(await mutatingCalls(env)).toEqual({});
    // Set to what Element shows, the direction is recorded.
    await patch('upgraded', { spec: { primarySide: 'A' } });
    await activeOn('upgraded', 'A');
  });
});

describe('forced failover and resync', () => {
  it('with the old primary\'s cluster down: promotes at once (FailedOver); when it returns writable, ResyncRequired; only the right approval resyncs', async () => {
    const name = 'forced-down';
    const { src, dst, uuid } = await recordedPair(name);
    await env.sim.admin.setClusterDown('PROD');
    await patch(name, { spec: { primarySide: 'B', failover: 'Forced' } });
    await until(name, 'FailedOver', (vp) => cond(vp, 'Ready')?.reason === 'FailedOver' && cond(vp, 'Degraded')?.reason === 'FailedOver');
    expect((await volume(env, 'DR', dst))?.access).toBe('readWrite');

    await env.sim.admin.setClusterUp('PROD');
    const stalled = await r.stalled(name, 'ResyncRequired') as DrVP | null;
    const incident = stalled?.status?.incident;
    expect(incident).toMatchObject({ reason: 'ResyncRequired', side: 'A', id: src });
    expect(cond(stalled, 'Stalled')?.message).toContain(`A:${src}:${incident?.token ?? ''}`);

    for (const wrong of ['true', `B:${dst}:${incident?.token ?? ''}`, `A:${src}:not-the-token`]) {
      await patch(name, { metadata: { annotations: { [APPROVE_RESYNC_ANNOTATION]: wrong } } });
      await severalPolls();
      expect(cond(await get(name), 'Stalled')?.reason, wrong).toBe('ResyncRequired');
      expect((await volume(env, 'PROD', src))?.access).toBe('readWrite');
    }
    await patch(name, { metadata: { annotations: { [APPROVE_RESYNC_ANNOTATION]: `A:${src}:${incident?.token ?? ''}` } } });
    const resynced = await activeOn(name, 'B');
    expect(resynced?.status?.volumePairUUID).toBe(uuid);
    expect((await volume(env, 'PROD', src))?.access).toBe('replicationTarget');

    // Failback is an ordinary planned switchover.
    await patch(name, { spec: { primarySide: 'A', failover: 'Planned' }, metadata: { annotations: { [APPROVE_RESYNC_ANNOTATION]: null } } });
    await activeOn(name, 'A');
  }, 300_000);

  it('with only the link cut: demotes the old primary first, then promotes; Active once the link is back', async () => {
    const name = 'forced-link';
    const { src, dst } = await recordedPair(name);
    await env.sim.admin.cutLink('PROD', 'DR');
    const before = await accesses(src, dst);
    const seq = await lastSeq();
    await patch(name, { spec: { primarySide: 'B', failover: 'Forced' } });
    await until(name, 'direction B recorded', (vp) => vp?.status?.primarySide === 'B' && vp.status.switchover === undefined);
    const changes = await changesOf(src, dst, seq);
    expect(changes.map((c) => `${c.cluster}:${c.to}`)).toEqual(['PROD:replicationTarget', 'DR:readWrite']);
    expect(everTwoWriters(before, changes)).toBe(false);
    await env.sim.admin.restoreLink('PROD', 'DR');
    await activeOn(name, 'B');
  });
});

describe('crash safety', () => {
  it.each([['VolumePair:writeIntent'], ['VolumePair:modifyVolumeAccess']])('SIGKILL after each %s of a switchover converges with no two writers', async (point) => {
    const name = `crash-${point.split(':')[1]!.toLowerCase()}`;
    const { src, dst, uuid } = await recordedPair(name);
    await op.stop();
    const before = await accesses(src, dst);
    const seq = await lastSeq();
    await env.sim.admin.resetCounters();
    await patch(name, { spec: { primarySide: 'B' } });
    // The point comes twice in a switchover (demote, promote): crash at each, then run clean.
    for (let crash = 1; crash <= 2; crash += 1) {
      const proc = startOperator(env, point);
      const exit = await proc.exited;
      expect(exit.signal ?? exit.code, `crash ${crash}`).toBeTruthy();
      expect(proc.output()).toContain(`crashing after ${point}`);
    }
    op = startOperator(env);
    const done = await activeOn(name, 'B');
    expect(done?.status?.volumePairUUID).toBe(uuid);
    const changes = await changesOf(src, dst, seq);
    expect(everTwoWriters(before, changes)).toBe(false);
    expect(await modifyVolumeCalls()).toEqual({ PROD: 1, DR: 1 });
    expect(await pairingCalls()).toBe(0);
  }, 300_000);
});

describe('crash safety of a resync', () => {
  it('SIGKILL after the approved demotion converges: Active from the primary, the other volume a target', async () => {
    const name = 'crash-resync';
    const { src, dst, uuid } = await recordedPair(name);
    // Two writers by hand: the target made writable.
    await env.element.DR.modifyVolume({ volumeID: dst, access: 'readWrite' });
    const stalled = (await r.stalled(name, 'ResyncRequired')) as DrVP | null;
    const incident = stalled?.status?.incident;
    expect(incident).toMatchObject({ side: 'B', id: dst });
    await op.stop();
    await patch(name, { metadata: { annotations: { [APPROVE_RESYNC_ANNOTATION]: `B:${dst}:${incident?.token ?? ''}` } } });
    const proc = startOperator(env, 'VolumePair:modifyVolumeAccess');
    await proc.exited;
    expect(proc.output()).toContain('crashing after VolumePair:modifyVolumeAccess');
    op = startOperator(env);
    const done = await activeOn(name, 'A');
    expect(done?.status?.volumePairUUID).toBe(uuid);
    expect(await accesses(src, dst)).toEqual({ PROD: 'readWrite', DR: 'replicationTarget' });
  }, 300_000);
});

describe('a whole site', () => {
  it('50 VolumePairs switched over together: all Active in the new direction, 2 ModifyVolume per pair, no pairing calls', async () => {
    const count = 50;
    const src = (await newVolumes(env, 'PROD', count)).ids;
    const dst = (await newVolumes(env, 'DR', count)).ids;
    const names = src.map((_, i) => `site-${i}`);
    await r.apply(names.map((name, i) => r.manifest(name, { sideA: { volumeID: src[i] }, sideB: { volumeID: dst[i] } })));
    for (const name of names) await activeOn(name, 'A');
    const seq = await lastSeq();
    await env.sim.admin.resetCounters();
    await Promise.all(names.map((name) => patch(name, { spec: { primarySide: 'B' } })));
    for (const name of names) await activeOn(name, 'B');
    expect(await modifyVolumeCalls()).toEqual({ PROD: count, DR: count });
    expect(await pairingCalls()).toBe(0);
    for (let i = 0; i < count; i += 1) {
      expect(everTwoWriters({ PROD: 'readWrite', DR: 'replicationTarget' }, await changesOf(src[i]!, dst[i]!, seq)), names[i]).toBe(false);
    }
  }, 600_000);
});
