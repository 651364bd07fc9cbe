// Element-side faults (issue 10) with the real operator as a process (every controller, the
// ElementCluster one included) against the in-process simulator over HTTPS: latency spikes,
// timeouts, transient xDB*/xNotPrimary bursts, "apply then drop the response" on every mutating
// method, a cluster down (refused, then hanging), and a cut replication link. After each fault the
// pairs declared before it must still be the same pairs (same volumePairUUID on both volumes) and
// no RemoveVolumePair/RemoveClusterPair may have been sent for them. Waits have generous
// deadlines; durations are printed as figures, never asserted.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import { sleep, startTestSimulator } from './helpers/cluster-pair-env.ts';
import {
  allReady, allVPs, cond, declarePairs, eventReasons, getCP, getEC, getVP, keySecrets, linkedUUID, pairsOn, pendingPairs, removals, sampleWhile,
  setupFaultEnv, snapshotUUIDs, startRealOperator, teardownFaultEnv, VOLUME_PAIRS, waitFor, type Declared, type FaultEnv,
} from './helpers/faults.ts';
import { killAllOperators, type OperatorProcess } from './helpers/operator-process.ts';

/** Element client timeout of the operator under test (ELEMENTREPL_TEST_ELEMENT_TIMEOUT_MS). */
const TIMEOUT_MS = 4_000;
/** Above normal, below the timeout. */
const SPIKE_MS = 2_000;
/** Above the timeout. */
const STUCK_MS = TIMEOUT_MS + 2_000;
/** Hex of `{"mvip":`: how every volume pairing key starts. */
const KEY_PREFIX = '7b226d766970223a';

let sim: RunningSimulator;
let env: FaultEnv;
let op: OperatorProcess;
/** The pairs declared and healthy before the current fault. */
let healthy: Declared[] = [];
const figures: string[] = [];

const names = (declared: readonly Declared[]) => declared.map((d) => d.name);
const figure = (text: string) => figures.push(text);

beforeAll(async () => {
  sim = await startTestSimulator(['PROD', 'DR'], { resumeDelayMs: 200 });
  env = await setupFaultEnv(sim, 'fe');
  op = startRealOperator(env, TIMEOUT_MS);
  await waitFor(getCP.bind(null, env), (cp) => cond(cp, 'Ready')?.status === 'True', 'ClusterPair Ready', 120_000);
  healthy = await declarePairs(env, 'base', 5);
  const ms = await allReady(env, names(healthy), '5 base VolumePairs Ready');
  figure(`setup: ClusterPair and 5 VolumePairs Ready (${ms} ms after declaring the pairs)`);
});

afterAll(async () => {
  console.log(`[faults-element]\n  ${figures.join('\n  ')}`);
  await killAllOperators();
  await teardownFaultEnv(env);
  await sim?.stop();
});

beforeEach(async () => {
  await sim.admin.resetCounters();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') console.log(`[faults-element] operator output (tail):\n${op.output().slice(-6_000)}`);
  await sim.admin.clearFaults();
  for (const c of ['PROD', 'DR']) await sim.admin.setClusterUp(c);
  await sim.admin.restoreLink('PROD', 'DR');
});

/** The healthy pairs are the same pairs as before, and nothing is pending or keyed. */
async function expectIntact(before: Record<string, string>): Promise<void> {
  expect(await snapshotUUIDs(env, healthy)).toEqual(before);
  expect(await pendingPairs(env)).toEqual([]);
  expect(await keySecrets(env)).toEqual([]);
}

async function setSpec(name: string, spec: Record<string, unknown>): Promise<void> {
  await env.kube.mergePatch(VOLUME_PAIRS, name, { spec }, { namespace: env.namespace });
}

/** Ready reasons of the healthy VolumePairs, as one string per sample. */
async function readyReasons(): Promise<string> {
  const vps = await allVPs(env);
  return healthy.map((d) => `${cond(vps.get(d.name), 'Ready')?.status}/${cond(vps.get(d.name), 'Ready')?.reason}`).join(',');
}

describe('Element faults', () => {
  it('latency spikes below the client timeout: new pairs, a mode change and the healthy pairs all converge', async () => {
    const before = await snapshotUUIDs(env, healthy);
    const slowed = ['ListActivePairedVolumes', 'StartVolumePairing', 'CompleteVolumePairing', 'ModifyVolumePair'];
    for (const method of slowed) await sim.admin.setLatency({ method, ms: SPIKE_MS });
    const started = Date.now();
    const added = await declarePairs(env, 'lat', 2);
    await setSpec('base-0', { mode: 'Sync' });

    await allReady(env, [...names(healthy), ...names(added)], 'Ready under latency', 180_000);
    const modeOnElement = async () => (await pairsOn(env, 'PROD', healthy[0]!.src))[0]?.mode;
    expect(await modeOnElement()).toBe('Sync');
    const counters = await sim.admin.counters();
    figure(`latency ${SPIKE_MS} ms on ${slowed.join(', ')}: 2 new pairs + 1 mode change converged after ${Date.now() - started} ms; calls ${JSON.stringify(counters)}`);
    await sim.admin.clearFaults();

    for (const d of added) expect(await linkedUUID(env, d), d.name).toBeDefined();
    await expectIntact(before);
    expect(removals(counters)).toEqual({});
    healthy = [...healthy, ...added];
  });

  it('timeouts on reads and on a write: conditions name the timeout, then everything converges with no pair removed', async () => {
    const before = await snapshotUUIDs(env, healthy);
    // Reads of DR time out: VolumePairs and the ClusterPair cannot observe that side.
    for (const method of ['ListActivePairedVolumes', 'ListVolumes', 'ListClusterPairs']) await sim.admin.setLatency({ cluster: 'DR', method, ms: STUCK_MS });
    const readTimeout = await waitFor(getVP.bind(null, env, 'base-1'), (vp) => cond(vp, 'Ready')?.message.includes('ElementTimeoutError') === true, 'VolumePair reports the read timeout');
    expect(cond(readTimeout, 'Ready')).toMatchObject({ status: 'False', reason: 'ClusterPairNotReady' });
    expect(cond(readTimeout, 'Ready')?.message).toContain(`within ${TIMEOUT_MS} ms`); // the test timeout hook is in force
    expect(readTimeout?.status?.volumePairUUID).toBe(before['base-1']);
    const cp = await waitFor(getCP.bind(null, env), (c) => cond(c, 'Ready')?.message.includes('ElementTimeoutError') === true, 'ClusterPair reports the read timeout');
    expect(cond(cp, 'Ready')?.status).toBe('False');

    // A write times out (and is applied by the simulator after the client gave up): unknown outcome.
    await sim.admin.clearFaults();
    await sim.admin.setLatency({ cluster: 'PROD', method: 'ModifyVolumePair', ms: STUCK_MS });
    await setSpec('base-1', { mode: 'SnapshotsOnly' });
    const writeTimeout = await waitFor(getVP.bind(null, env, 'base-1'), (vp) => /modifyVolumePair failed: .*ElementTimeoutError/.test(cond(vp, 'Ready')?.message ?? ''), 'VolumePair reports the write timeout');
    expect(cond(writeTimeout, 'Ready')?.status).toBe('False');

    await sim.admin.clearFaults();
    const cleared = Date.now();
    await allReady(env, names(healthy), 'Ready after the timeouts', 180_000);
    await waitFor(() => pairsOn(env, 'PROD', healthy[1]!.src), (p) => p[0]?.mode === 'SnapshotsOnly', 'base-1 mode SnapshotsOnly on Element');
    const counters = await sim.admin.counters();
    figure(`timeouts (${STUCK_MS} ms latency, ${TIMEOUT_MS} ms client timeout): Ready ${Date.now() - cleared} ms after clearing; ModifyVolumePair calls on PROD: ${counters['PROD']?.['ModifyVolumePair'] ?? 0}`);
    await expectIntact(before);
    expect(removals(counters)).toEqual({});
  });

  it('xDBVersionMismatch/xNotPrimary bursts on reads: converges, no pair removed', async () => {
    const before = await snapshotUUIDs(env, healthy);
    const burst = [
      { cluster: 'PROD', method: 'ListActivePairedVolumes', name: 'xDBVersionMismatch' },
      { cluster: 'DR', method: 'ListActivePairedVolumes', name: 'xNotPrimary' },
      { cluster: 'DR', method: 'ListVolumes', name: 'xDBVersionMismatch' },
      { cluster: 'PROD', method: 'ListClusterPairs', name: 'xNotPrimary' },
      { cluster: 'DR', method: 'GetClusterInfo', name: 'xDBVersionMismatch' },
    ];
    for (const rule of burst) await sim.admin.injectError({ ...rule, count: 3 });
    const started = Date.now();
    const added = await declarePairs(env, 'xr', 1);
    await setSpec('base-2', { paused: true });
    const converged = (async () => {
      await waitFor(async () => (await sim.admin.faults()).errors.length, (n) => n === 0, 'every injected read error met');
      await allReady(env, [...names(healthy), ...names(added)], 'Ready after the read burst', 180_000);
    })();
    const seen = await sampleWhile(readyReasons, converged);
    await converged;
    await waitFor(() => pairsOn(env, 'PROD', healthy[2]!.src), (p) => p[0]?.state === 'PausedManual', 'base-2 paused on Element');
    expect(cond(await getVP(env, 'base-2'), 'Ready')).toMatchObject({ status: 'True', reason: 'Paused' });
    figure(`read burst (5 rules × 3): converged after ${Date.now() - started} ms; Ready of the healthy pairs went through ${JSON.stringify(seen)}`);

    expect(await linkedUUID(env, added[0]!)).toBeDefined();
    await expectIntact(before);
    expect(removals(await sim.admin.counters())).toEqual({});
    healthy = [...healthy, ...added];
  });

  it('bursts on StartVolumePairing and a failed CompleteVolumePairing: key discarded, own pending pair removed, pairing restarted, exactly one pair', async () => {
    const before = await snapshotUUIDs(env, healthy);
    await sim.admin.injectError({ cluster: 'PROD', method: 'StartVolumePairing', name: 'xNotPrimary', count: 2 });
    await sim.admin.injectError({ cluster: 'DR', method: 'CompleteVolumePairing', name: 'xDBVersionMismatch', count: 1 });
    await sim.admin.injectError({ cluster: 'DR', method: 'CompleteVolumePairing', name: 'xNotPrimary', count: 1 });
    const [added] = await declarePairs(env, 'xw', 1);

    await allReady(env, [added!.name], 'Ready after the write burst', 180_000);
    expect((await sim.admin.faults()).errors).toEqual([]);
    const uuid = await linkedUUID(env, added!);
    expect(uuid).toBeDefined();
    expect((await getVP(env, added!.name))?.status?.volumePairUUID).toBe(uuid);
    const counters = await sim.admin.counters();
    figure(`write burst: PROD ${JSON.stringify(counters['PROD'])}, DR ${JSON.stringify(counters['DR'])}`);
    // Two refused Starts, then for each refused Complete one Start and the removal of its pending
    // pair, then the Start and Complete that succeeded.
    expect(counters['PROD']).toMatchObject({ StartVolumePairing: 5, RemoveVolumePair: 2 });
    expect(counters['DR']?.['CompleteVolumePairing']).toBe(3);
    expect(removals(counters)).toEqual({ PROD: { RemoveVolumePair: 2 } });
    await waitFor(() => eventReasons(env, added!.name), (reasons) => reasons.includes('PairingRestarted'), 'a PairingRestarted Event');
    await expectIntact(before);
    healthy = [...healthy, added!];
  });

  it('apply then drop the response on ModifyVolume, StartVolumePairing, CompleteVolumePairing, ModifyVolumePair and RemoveVolumePair: exactly as declared', async () => {
    const before = await snapshotUUIDs(env, healthy);
    await sim.admin.dropResponse({ cluster: 'DR', method: 'ModifyVolume' });
    await sim.admin.dropResponse({ cluster: 'PROD', method: 'StartVolumePairing' });
    await sim.admin.dropResponse({ cluster: 'DR', method: 'CompleteVolumePairing' });
    await sim.admin.dropResponse({ cluster: 'PROD', method: 'ModifyVolumePair' });
    const [added] = await declarePairs(env, 'drop', 1);
    await setSpec('base-3', { mode: 'Sync' });

    await allReady(env, [...names(healthy), added!.name], 'Ready after dropped responses', 180_000);
    await waitFor(() => pairsOn(env, 'PROD', healthy[3]!.src), (p) => p[0]?.mode === 'Sync', 'base-3 mode Sync on Element');
    expect((await sim.admin.faults()).drops).toEqual([]);
    expect(await linkedUUID(env, added!)).toBeDefined();
    const creation = await sim.admin.counters();
    // The only removal: the pending pair of the dropped Start, whose key never reached its Secret.
    expect(removals(creation)).toEqual({ PROD: { RemoveVolumePair: 1 } });
    await expectIntact(before);

    // Deleting a VolumePair: the first RemoveVolumePair is applied and its answer lost.
    const gone = healthy.find((d) => d.name === 'base-4')!;
    await sim.admin.dropResponse({ cluster: 'PROD', method: 'RemoveVolumePair' });
    await env.kube.delete(VOLUME_PAIRS, gone.name, { namespace: env.namespace });
    await waitFor(getVP.bind(null, env, gone.name), (vp) => vp === null, `${gone.name} deleted`);
    expect((await sim.admin.faults()).drops).toEqual([]);
    expect(await pairsOn(env, 'PROD', gone.src)).toEqual([]);
    expect(await pairsOn(env, 'DR', gone.dst)).toEqual([]);
    healthy = [...healthy.filter((d) => d !== gone), added!];
    delete before[gone.name];
    figure(`dropped responses: calls while creating ${JSON.stringify(creation)}; deletion done`);
    await expectIntact({ ...before, [added!.name]: (await linkedUUID(env, added!))! });
  });

  it('a cluster down (refused, then hanging): ElementCluster Unreachable, VolumePairs keep their status, nothing removed on the other cluster; all Ready once it is back', async () => {
    const before = await snapshotUUIDs(env, healthy);
    for (const mode of ['refuse', 'hang'] as const) {
      await sim.admin.resetCounters();
      await sim.admin.setClusterDown('DR', mode);
      const ec = await waitFor(getEC.bind(null, env, 'DR'), (e) => cond(e, 'Ready')?.reason === 'Unreachable', `ElementCluster DR Unreachable (${mode})`);
      expect(cond(ec, 'Ready')?.status).toBe('False');
      await waitFor(getCP.bind(null, env), (cp) => cond(cp, 'Ready')?.status === 'False', `ClusterPair not Ready (${mode})`);
      await waitFor(allVPs.bind(null, env), (vps) => healthy.every((d) => cond(vps.get(d.name), 'Ready')?.status === 'False'), `VolumePairs not Ready (${mode})`);
      // For a while: a few polls with DR gone.
      await sleep(4_000);
      const vps = await allVPs(env);
      for (const d of healthy) {
        const vp = vps.get(d.name);
        expect(vp?.status?.volumePairUUID, d.name).toBe(before[d.name]);
        expect(cond(vp, 'Ready')?.reason, d.name).toBe('ClusterPairNotReady');
        // PROD is still observed and still replicating (only DR's management API is down).
        expect(await pairsOn(env, 'PROD', d.src), d.name).toEqual([expect.objectContaining({ uuid: before[d.name], remote: d.dst })]);
      }
      const down = await sim.admin.counters();
      expect(Object.keys(down['PROD'] ?? {}).filter((m) => !m.startsWith('List') && !m.startsWith('Get')), 'mutations on PROD').toEqual([]);

      await sim.admin.setClusterUp('DR');
      const back = Date.now();
      await waitFor(getEC.bind(null, env, 'DR'), (e) => cond(e, 'Ready')?.status === 'True', 'ElementCluster DR Ready again');
      await waitFor(getCP.bind(null, env), (cp) => cond(cp, 'Ready')?.status === 'True', 'ClusterPair Ready again');
      await allReady(env, names(healthy), `Ready after DR ${mode}`, 180_000);
      figure(`DR down (${mode}): all Ready ${Date.now() - back} ms after it came back; calls while down: ${JSON.stringify(down)}`);
      expect(removals(await sim.admin.counters())).toEqual({});
      await expectIntact(before);
    }
  });

  it('a cut link: ClusterPair Disconnected, VolumePairs Degraded PausedDisconnected; restored: Ready, same pairs', async () => {
    const before = await snapshotUUIDs(env, healthy);
    await sim.admin.cutLink('PROD', 'DR');
    const cp = await waitFor(getCP.bind(null, env), (c) => c?.status?.connectionStatus === 'Disconnected', 'ClusterPair Disconnected');
    expect(cond(cp, 'Ready')).toMatchObject({ status: 'False', reason: 'Disconnected' });
    expect(cp?.status?.clusterPairUUID).toBeDefined();
    const cut = await waitFor(
      allVPs.bind(null, env),
      (vps) => healthy.every((d) => cond(vps.get(d.name), 'Degraded')?.reason === 'PausedDisconnected'),
      'VolumePairs Degraded PausedDisconnected',
    );
    for (const d of healthy) {
      expect(cond(cut.get(d.name), 'Degraded')?.status, d.name).toBe('True');
      expect(cond(cut.get(d.name), 'Ready')?.status, d.name).toBe('False');
    }
    const uuid = cp?.status?.clusterPairUUID;

    await sim.admin.restoreLink('PROD', 'DR');
    const restored = Date.now();
    await waitFor(getCP.bind(null, env), (c) => cond(c, 'Ready')?.status === 'True', 'ClusterPair Ready again');
    await allReady(env, names(healthy), 'Ready after the link is restored', 180_000);
    figure(`cut link: all Ready ${Date.now() - restored} ms after restoring it`);
    expect((await getCP(env))?.status?.clusterPairUUID).toBe(uuid);
    expect(removals(await sim.admin.counters())).toEqual({});
    await expectIntact(before);
  });

  it('no pairing key in the operator output', () => {
    expect(op.output().toLowerCase()).not.toContain(KEY_PREFIX);
  });
});
