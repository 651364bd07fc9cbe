// Operator faults (issue 10): the real operator SIGKILLed at random moments (seeded PRNG; the seed
// is printed, FAULTS_SEED repeats a run) while 200 VolumePairs converge, restarted each time, and
// again while they are deleted. Whatever step a process died in, the end state must be exactly the
// declared one: no duplicate, pending or one-sided pair, no key Secret; after deletion, nothing.
// Private control plane and in-process simulator (low latency, short resume); no leader election,
// so a restarted process does not wait for a Lease. Waits have generous deadlines; no speed is asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllOperators, type OperatorProcess } from './helpers/operator-process.ts';
import {
  allGone, allReady, CLUSTER_PAIRS, clusterPairReady, createNamespace, declarePairs, deleteAll, deviations, elementProgress, leftovers, listPairs, mutatingCalls,
  prng, readyCount, sleep, startFaultsEnv, startRealOperator, waitFor, waitForOutput, type FaultsEnv,
} from './helpers/operator-faults-env.ts';

const PAIRS = 200;
const KILLS_WHILE_PAIRING = 24;
const KILLS_WHILE_DELETING = 6;
/** Hex of `{"mvip":`: how every pairing key starts. */
const KEY_PREFIX = '7b226d766970223a';
const seed = Number(process.env['FAULTS_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const random = prng(seed);
const say = (message: string) => console.log(`[faults-operator-kill] ${message}`);

let env: FaultsEnv;
const outputs: (() => string)[] = [];

function operator(): OperatorProcess {
  const proc = startRealOperator(env);
  outputs.push(() => proc.output());
  return proc;
}

interface Kill {
  afterMs: number;
  /** How far things had come when it died. */
  progress: string;
}

/**
 * Starts the operator `count` times; each time, once its controllers run, kills it with SIGKILL
 * after 0.2–1.5 s. `progress` is read at each kill (how far convergence had come).
 */
async function killRepeatedly(count: number, progress: () => Promise<string>): Promise<Kill[]> {
  const kills: Kill[] = [];
  for (let i = 0; i < count; i += 1) {
    const proc = operator();
    if (!(await waitForOutput(proc, '"msg":"controllers started"', 60_000))) throw new Error(`operator did not start:\n${proc.output().slice(-4_000)}`);
    const afterMs = 200 + Math.floor(random() * 1_300);
    await sleep(afterMs);
    proc.kill();
    const exit = await proc.exited;
    // It must not have ended on its own (a crash would hide behind the kill).
    expect(exit.signal, proc.output().slice(-4_000)).toBe('SIGKILL');
    kills.push({ afterMs, progress: await progress() });
  }
  return kills;
}

beforeAll(async () => {
  say(`seed ${seed} (FAULTS_SEED=${seed} repeats this run)`);
  env = await startFaultsEnv({ latencyMs: 2, resumeDelayMs: 100, connectDelayMs: 200 });
  const first = operator();
  await clusterPairReady(env);
  await first.stop();
});

afterAll(async () => {
  await killAllOperators();
  await env?.close();
});

describe('operator SIGKILLed at random moments', () => {
  it(`${PAIRS} VolumePairs converge to exactly the declared pairs through ${KILLS_WHILE_PAIRING} kills, and are removed cleanly through ${KILLS_WHILE_DELETING} more`, async () => {
    const ns = await createNamespace(env.plane, 'kill');
    await env.sim.admin.resetCounters();
    const began = Date.now();
    const declared = await declarePairs(env, ns, PAIRS);

    const kills = await killRepeatedly(KILLS_WHILE_PAIRING, async () => {
      const { established, pending } = await elementProgress(env);
      return `${await readyCount(env, ns)}/${established}/${pending}`;
    });
    say(`${kills.length} kills while pairing (ms after the controllers started → VolumePairs Ready/pairs established/pending): ${kills.map((k) => `${k.afterMs}→${k.progress}`).join(' ')}`);
    const last = operator();
    await allReady(env, ns, PAIRS);
    const readyAfter = Date.now() - began;
    // Ready comes before the key Secret is deleted and the intent cleared: wait for those too.
    const problems = await waitFor(() => deviations(env, declared), (p) => p.length === 0, 'exactly the declared state', 120_000).catch(async () => deviations(env, declared));
    expect(problems).toEqual([]);
    const pairing = await mutatingCalls(env);
    say(`all ${PAIRS} Ready ${(readyAfter / 1000).toFixed(1)} s after they were applied; exact after ${((Date.now() - began) / 1000).toFixed(1)} s; mutating calls ${JSON.stringify(pairing)}`);
    // One Start and one Complete per pair at least; a kill may cost a pending pair (removed, started again).
    expect(pairing['PROD']?.['StartVolumePairing']).toBeGreaterThanOrEqual(PAIRS);
    expect(pairing['DR']?.['CompleteVolumePairing']).toBeGreaterThanOrEqual(PAIRS);

    await last.stop();
    await env.sim.admin.resetCounters();
    const deleting = Date.now();
    await deleteAll(env, declared);
    const deletionKills = await killRepeatedly(KILLS_WHILE_DELETING, async () => `${(await listPairs(env, ns)).length}/${(await elementProgress(env)).established}`);
    say(`${deletionKills.length} kills while deleting (ms after the controllers started → VolumePairs left/pairs left): ${deletionKills.map((k) => `${k.afterMs}→${k.progress}`).join(' ')}`);
    const final = operator();
    await allGone(env, declared);
    expect(await waitFor(() => leftovers(env), (l) => l.length === 0, 'both clusters clean', 60_000).catch(() => leftovers(env))).toEqual([]);
    say(`all gone ${((Date.now() - deleting) / 1000).toFixed(1)} s after deletion; mutating calls ${JSON.stringify(await mutatingCalls(env))}`);

    // The ClusterPair goes too: no cluster pair is left on either side.
    await env.kube.delete(CLUSTER_PAIRS, env.clusterPair);
    await waitFor(() => env.kube.get(CLUSTER_PAIRS, env.clusterPair), (cp) => cp === null, 'ClusterPair gone');
    expect(await env.element.PROD.listClusterPairs()).toEqual([]);
    expect(await env.element.DR.listClusterPairs()).toEqual([]);
    await final.stop();
  }, 1_200_000);

  it('no pairing key in any operator output', () => {
    expect(outputs.length).toBeGreaterThan(KILLS_WHILE_PAIRING);
    for (const output of outputs) expect(output().toLowerCase()).not.toContain(KEY_PREFIX);
  });
});
