// Kubernetes faults (issue 10), with the real operator as a process on a private control plane and
// the Element simulator in process: (a) the API server stopped while VolumePairs converge and
// started again; (b) concurrent writers: the test patches labels and annotations of the
// VolumePairs with resourceVersion preconditions while the operator works, so each side's guarded
// writes (the operator's finalizer patches, the test's patches) meet 409 Conflicts; (c) the leader
// SIGKILLed with a standby running (both --leader-elect): the standby takes over once the Lease
// expires. Each ends with exactly the declared pairs (no duplicate, pending or one-sided pair, no
// key Secret) and, after deletion, clean clusters. Waits have generous deadlines; no speed is asserted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllOperators, type OperatorProcess } from './helpers/operator-process.ts';
import {
  allGone, allReady, clusterPairReady, createNamespace, declarePairs, deleteAll, deviations, elementProgress, freePort, leftovers, metric,
  mutatingCalls, prng, sleep, startFaultsEnv, startRealOperator, VOLUME_PAIRS, waitFor, waitForOutput,
  type Declared, type FaultsEnv, type OperatorOptions, type VP,
} from './helpers/operator-faults-env.ts';

const PAIRS = 60;
const say = (message: string) => console.log(`[faults-kubernetes] ${message}`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

let env: FaultsEnv;

interface Running {
  proc: OperatorProcess;
  metricsPort: number;
  /** Lines of its output containing `text` so far (counted as they arrive; output() keeps only the tail). */
  lines(text: string): number;
}

async function operator(options: OperatorOptions = {}, count: string[] = []): Promise<Running> {
  const metricsPort = await freePort();
  const proc = startRealOperator(env, { ...options, metricsPort });
  const counts = new Map(count.map((text) => [text, 0]));
  let partial = '';
  proc.child.stdout?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) for (const text of counts.keys()) if (line.includes(text)) counts.set(text, (counts.get(text) ?? 0) + 1);
  });
  return { proc, metricsPort, lines: (text) => counts.get(text) ?? 0 };
}

/** What an operator's /metrics says about errors and conflicts. */
async function reconcileFigures(op: Running): Promise<string> {
  const errors = await metric(op.metricsPort, 'controller_runtime_reconcile_errors_total');
  const requeues = await metric(op.metricsPort, 'controller_runtime_reconcile_total', 'result="requeue"');
  const total = await metric(op.metricsPort, 'controller_runtime_reconcile_total');
  return `reconciles ${total}, errors ${errors}, rate-limited requeues (conflicts included) ${requeues}`;
}

const pairingUnderWay = () => waitFor(() => elementProgress(env), (p) => p.established + p.pending >= 5, 'pairing under way');

/** Exactly the declared pairs (after Ready, the key Secrets and intents go too), then delete all → clean. */
async function exactThenClean(declared: Declared[], namespace: string): Promise<void> {
  await allReady(env, namespace, declared.length);
  const problems = await waitFor(() => deviations(env, declared), (p) => p.length === 0, 'exactly the declared state', 120_000).catch(() => deviations(env, declared));
  expect(problems).toEqual([]);
  await deleteAll(env, declared);
  await allGone(env, declared);
  expect(await waitFor(() => leftovers(env), (l) => l.length === 0, 'both clusters clean', 60_000).catch(() => leftovers(env))).toEqual([]);
}

beforeAll(async () => {
  env = await startFaultsEnv({ latencyMs: 2, resumeDelayMs: 100, connectDelayMs: 200 });
  const first = startRealOperator(env);
  await clusterPairReady(env);
  await first.stop();
});

afterEach(async () => {
  await killAllOperators();
});

afterAll(async () => {
  await killAllOperators();
  await env?.close();
});

describe('Kubernetes faults', () => {
  it(`API server stopped while ${PAIRS} VolumePairs converge, started again: the same operator process converges, nothing duplicated`, async () => {
    const ns = await createNamespace(env.plane, 'apiserver');
    const op = await operator();
    await env.sim.admin.resetCounters();
    const began = Date.now();
    const declared = await declarePairs(env, ns, PAIRS);
    const before = await pairingUnderWay();

    await env.plane.stopApiServer();
    const down = Date.now();
    // Element steps in flight land meanwhile; nothing can be read or written in Kubernetes (an
    // intent without its key Secret, a pair without its status, …).
    await sleep(4_000);
    const during = await elementProgress(env);
    await env.plane.startApiServer();
    say(`API server down ${seconds(down)} (pairs established/pending on Element: ${before.established}/${before.pending} when stopped, ${during.established}/${during.pending} before it was back)`);

    await exactThenClean(declared, ns);
    expect(op.proc.child.exitCode, op.proc.output().slice(-4_000)).toBeNull(); // recovered on its own, no restart
    say(`(a) exact and clean ${seconds(began)} after applying; mutating calls ${JSON.stringify(await mutatingCalls(env))}; ${await reconcileFigures(op)}`);
    await op.proc.stop();
  }, 900_000);

  it(`concurrent writers: the test's resourceVersion-guarded label/annotation patches race the operator's writes on ${PAIRS} VolumePairs; converges with correct statuses`, async () => {
    const ns = await createNamespace(env.plane, 'conflicts');
    const conflictLine = '"msg":"conflict; requeueing"';
    const op = await operator({ logLevel: 'debug' }, [conflictLine, '"msg":"reconciler error"']);
    await env.sim.admin.resetCounters();
    const began = Date.now();
    const declared = await declarePairs(env, ns, PAIRS);
    const random = prng(PAIRS);
    const poked = { patches: 0, conflicts: 0, failures: [] as string[] };
    let poking = true;
    // Each poker reads an object, waits a little (the operator may write meanwhile), and patches
    // with the resourceVersion it read: a 409 tells that the operator wrote in between.
    const poker = async () => {
      while (poking) {
        const d = declared[Math.floor(random() * declared.length)]!;
        const patch = { metadata: { labels: { 'test.elementrepl.io/poke': String(poked.patches % 7) }, annotations: { 'test.elementrepl.io/poked': String(poked.patches) } } };
        try {
          const vp = await env.kube.get<VP>(VOLUME_PAIRS, d.name, d.namespace);
          if (!vp) continue;
          await sleep(Math.floor(random() * 30));
          await env.kube.mergePatch(VOLUME_PAIRS, d.name, patch, { namespace: d.namespace, resourceVersion: vp.metadata.resourceVersion });
          poked.patches += 1;
        } catch (error) {
          const status = (error as { status?: number }).status;
          if (status === 409) poked.conflicts += 1;
          else if (status !== 404) poked.failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    const pokers = Promise.all(Array.from({ length: 4 }, poker));
    try {
      await exactThenClean(declared, ns);
    } finally {
      poking = false;
      await pokers;
    }
    const operatorConflicts = op.lines(conflictLine);
    say(`(b) exact and clean ${seconds(began)} after applying; test patches ${poked.patches} applied, ${poked.conflicts} refused with 409; operator conflicts (requeued, not errors) ${operatorConflicts}; reconciler error lines ${op.lines('"msg":"reconciler error"')}; ${await reconcileFigures(op)}`);
    // The race happened: guarded writes on both sides met each other.
    expect(poked.conflicts + operatorConflicts).toBeGreaterThan(0);
    expect(poked.patches).toBeGreaterThan(0);
    expect(poked.failures.slice(0, 5)).toEqual([]);
    await op.proc.stop();
  }, 900_000);

  it(`leader SIGKILLed with a standby running (both --leader-elect) while ${PAIRS} VolumePairs converge: the standby takes over after the Lease expires and converges`, async () => {
    const ns = await createNamespace(env.plane, 'leader');
    const acquired = '"msg":"acquired leader lease"';
    const leader = await operator({ leaderElect: true });
    expect(await waitForOutput(leader.proc, acquired, 60_000), leader.proc.output().slice(-4_000)).toBe(true);
    const standby = await operator({ leaderElect: true }, ['"msg":"executing step"']);
    expect(await waitForOutput(standby.proc, '"msg":"attempting to acquire leader lease"', 60_000), standby.proc.output().slice(-4_000)).toBe(true);
    await env.sim.admin.resetCounters();
    const began = Date.now();
    const declared = await declarePairs(env, ns, PAIRS);
    const before = await pairingUnderWay();

    leader.proc.kill();
    await leader.proc.exited;
    const killed = Date.now();
    // The Lease (15 s) must expire before the standby may lead; until then it does nothing.
    expect(await waitForOutput(standby.proc, acquired, 60_000), standby.proc.output().slice(-4_000)).toBe(true);
    const tookOver = Date.now() - killed;
    expect(standby.proc.output().split(acquired)[0]).not.toContain('"msg":"executing step"');
    say(`(c) leader killed at ${before.established}/${before.pending} pairs established/pending; standby leading ${(tookOver / 1000).toFixed(1)} s later`);

    await exactThenClean(declared, ns);
    say(`(c) exact and clean ${seconds(began)} after applying; mutating calls ${JSON.stringify(await mutatingCalls(env))}; standby: ${await reconcileFigures(standby)}`);
    await standby.proc.stop();
  }, 900_000);
});
