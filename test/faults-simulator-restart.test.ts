// The Element simulator as a CLI child process with --state-dir, restarted under the real operator
// (issue 10): SIGTERMed while VolumePairs are being paired and started again (same ports, state
// kept) — nothing lost, everything converges, no duplicates; restarted with a new --password — the
// ElementClusters report AuthFailed and nothing is removed, and fixing the credentials Secrets
// makes everything Ready again with the same pairs. Waits have generous deadlines; durations are
// printed as figures, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS } from '../src/kube/client.ts';
import { spawnSim, type SpawnedSim } from '../src/simulator/testing/spawn.ts';
import { sleep } from './helpers/cluster-pair-env.ts';
import {
  allReady, allVPs, clusterPairsOn, cond, declarePairs, elementClients, getCP, getEC, keySecrets, linkedUUID, pendingPairs, removals,
  setupFaultEnv, simHandleFromCli, SIM_CLUSTERS, snapshotUUIDs, startRealOperator, teardownFaultEnv, waitFor, type Declared, type FaultEnv, type SimHandle,
} from './helpers/faults.ts';
import { killAllOperators, type OperatorProcess } from './helpers/operator-process.ts';

const NEW_PASSWORD = 'rotated-Pa55word';
const stateDir = mkdtempSync(path.join(tmpdir(), 'faults-sim-'));
let child: SpawnedSim | undefined;
let env: FaultEnv;
let op: OperatorProcess;
let declared: Declared[] = [];
const figures: string[] = [];

/** Starts the simulator CLI on the state directory (the first start creates it); the test's clients follow it. */
async function startSim(extra: string[] = []): Promise<SimHandle> {
  child = spawnSim(['--clusters', 'PROD,DR', '--state-dir', stateDir, '--connect-delay-ms', '300', '--resume-delay-ms', '200', '--log-level', 'warn', ...extra]);
  const handle = simHandleFromCli(await child.ready);
  if (env) {
    env.sim = handle;
    await Promise.all(Object.values(env.element).map((c) => c.close()));
    env.element = elementClients(handle);
  }
  return handle;
}

/** SIGTERM, as a pod would get it: the simulator flushes its state and exits 0. */
async function stopSim(): Promise<void> {
  const running = child;
  child = undefined;
  if (!running) return;
  running.child.kill('SIGTERM');
  const exit = await running.exited;
  expect(exit, exit.stderr).toMatchObject({ code: 0 });
}

beforeAll(async () => {
  env = await setupFaultEnv(await startSim(), 'fr');
  op = startRealOperator(env, 4_000);
  await waitFor(getCP.bind(null, env), (cp) => cond(cp, 'Ready')?.status === 'True', 'ClusterPair Ready', 120_000);
});

afterAll(async () => {
  console.log(`[faults-simulator-restart]\n  ${figures.join('\n  ')}`);
  await killAllOperators();
  await teardownFaultEnv(env);
  if (child) {
    child.child.kill('SIGTERM');
    await child.exited;
  }
  rmSync(stateDir, { recursive: true, force: true });
});

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.log(`[faults-simulator-restart] operator output (tail):\n${op.output().slice(-6_000)}`);
});

/** Exactly one volume pair per declared volume, nothing else paired, one cluster pair per side. */
async function noDuplicates(clusterPairUUID: string | undefined): Promise<void> {
  for (const cluster of SIM_CLUSTERS) {
    const paired = await env.element[cluster].listActivePairedVolumes();
    const ids = declared.map((d) => (cluster === 'PROD' ? d.src : d.dst)).sort((a, b) => a - b);
    expect(paired.map((v) => v.volumeID).sort((a, b) => a - b), cluster).toEqual(ids);
    for (const v of paired) expect(v.volumePairs, `${cluster} volume ${v.volumeID}`).toHaveLength(1);
    expect(await clusterPairsOn(env, cluster), cluster).toEqual([[clusterPairUUID, 'Connected']]);
  }
  expect(await pendingPairs(env)).toEqual([]);
  expect(await keySecrets(env)).toEqual([]);
}

describe('simulator restarts', () => {
  it('SIGTERMed while pairs converge and started again with its --state-dir: nothing lost, all converge, no duplicates', async () => {
    const clusterPairUUID = (await getCP(env))?.status?.clusterPairUUID;
    expect(clusterPairUUID).toBeDefined();
    declared = await declarePairs(env, 'rs', 5);
    // Stop it mid-flight: some pairings started, not all of them done.
    const progress = await waitFor(
      async () => (await env.sim.admin.counters())['PROD']?.['StartVolumePairing'] ?? 0,
      (starts) => starts >= 2,
      'pairing under way',
    );
    const vpsAtStop = await allVPs(env);
    const inFlight = declared.filter((d) => vpsAtStop.get(d.name)?.status?.pairing !== undefined).length;
    await stopSim();
    const ports = env.sim.clusters.map((c) => c.mvip);
    for (const c of SIM_CLUSTERS) {
      await waitFor(getEC.bind(null, env, c), (ec) => cond(ec, 'Ready')?.reason === 'Unreachable', `ElementCluster ${c} Unreachable while stopped`);
    }
    await sleep(2_000);

    await startSim();
    const restarted = Date.now();
    expect(env.sim.clusters.map((c) => c.mvip)).toEqual(ports);
    await allReady(env, declared.map((d) => d.name), 'all VolumePairs Ready after the restart', 180_000);
    figure(`SIGTERM after ${progress} StartVolumePairing calls (${inFlight} of 5 VolumePairs with a pairing intent): all Ready ${Date.now() - restarted} ms after the restart; calls since ${JSON.stringify(await env.sim.admin.counters())}`);
    const uuids = await snapshotUUIDs(env, declared);
    expect(new Set(Object.values(uuids)).size).toBe(declared.length);
    expect((await getCP(env))?.status?.clusterPairUUID).toBe(clusterPairUUID);
    await noDuplicates(clusterPairUUID);

    // Once more at rest: the same pairs come back, nothing is removed or re-made.
    await stopSim();
    await startSim();
    await allReady(env, declared.map((d) => d.name), 'all VolumePairs Ready after a restart at rest');
    await sleep(4_000); // a couple of polls with the restarted simulator
    await allReady(env, declared.map((d) => d.name), 'still Ready');
    expect(await snapshotUUIDs(env, declared)).toEqual(uuids);
    expect(removals(await env.sim.admin.counters())).toEqual({});
    await noDuplicates(clusterPairUUID);
  });

  it('restarted with a new password: ElementClusters AuthFailed, nothing removed; Secrets fixed: Ready, same pairs', async () => {
    const before = await snapshotUUIDs(env, declared);
    const clusterPairUUID = (await getCP(env))?.status?.clusterPairUUID;
    await stopSim();
    // The test's own clients follow the simulator's new password (its first stdout line).
    await startSim(['--password', NEW_PASSWORD]);
    expect(env.sim.clusters.map((c) => c.password)).toEqual([NEW_PASSWORD, NEW_PASSWORD]);

    for (const c of SIM_CLUSTERS) {
      const ec = await waitFor(getEC.bind(null, env, c), (e) => cond(e, 'Ready')?.reason === 'AuthFailed', `ElementCluster ${c} AuthFailed`);
      expect(cond(ec, 'Ready')?.status).toBe('False');
      expect(JSON.stringify(ec?.status)).not.toContain(NEW_PASSWORD);
    }
    await waitFor(getCP.bind(null, env), (cp) => cond(cp, 'Ready')?.reason === 'ClusterNotReady', 'ClusterPair ClusterNotReady');
    await waitFor(allVPs.bind(null, env), (vps) => declared.every((d) => cond(vps.get(d.name), 'Ready')?.reason === 'ClusterPairNotReady'), 'VolumePairs ClusterPairNotReady');
    await sleep(4_000); // a couple of polls with every call refused
    // 401s are answered before any method runs: the simulator counted no call of the operator.
    expect(await env.sim.admin.counters()).toEqual({});
    const vps = await allVPs(env);
    for (const d of declared) {
      expect(vps.get(d.name)?.status?.volumePairUUID, d.name).toBe(before[d.name]);
      expect(await linkedUUID(env, d), d.name).toBe(before[d.name]);
    }

    const fixed = Date.now();
    for (const c of SIM_CLUSTERS) {
      await env.kube.mergePatch(SECRETS, env.credentials[c], { stringData: { password: NEW_PASSWORD } }, { namespace: env.operatorNamespace });
    }
    for (const c of SIM_CLUSTERS) await waitFor(getEC.bind(null, env, c), (e) => cond(e, 'Ready')?.status === 'True', `ElementCluster ${c} Ready again`);
    await waitFor(getCP.bind(null, env), (cp) => cond(cp, 'Ready')?.status === 'True', 'ClusterPair Ready again');
    await allReady(env, declared.map((d) => d.name), 'VolumePairs Ready with the new password');
    figure(`password change: AuthFailed while the Secrets were stale; all Ready ${Date.now() - fixed} ms after the Secrets were fixed`);
    expect(await snapshotUUIDs(env, declared)).toEqual(before);
    expect((await getCP(env))?.status?.clusterPairUUID).toBe(clusterPairUUID);
    expect(removals(await env.sim.admin.counters())).toEqual({});
    await noDuplicates(clusterPairUUID);
    expect(op.output()).not.toContain(NEW_PASSWORD);
  });
});

function figure(text: string): void {
  figures.push(text);
}
