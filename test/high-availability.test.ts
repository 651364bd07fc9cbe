// High availability (issue 6) with the operator as real processes (bin/elementrepl-operator.mjs,
// the composition root src/main.ts) under the least-privilege RBAC of deploy/base/rbac.yaml, on a
// private control plane (main.ts watches every ElementCluster, so it must not meet the objects of
// other test files) and the Element simulator: one leader among two --leader-elect processes,
// take-over after SIGKILL, hand-over on SIGTERM, and exit when the Lease is taken over.
// Standard Lease timing (15 s / 10 s / 2 s); waits have generous deadlines, no speed is asserted.
// Each test has its own operator namespace, hence its own Lease.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ElementCluster } from '../src/api/element-cluster.ts';
import { ELEMENT_CLUSTER } from '../src/api/group.ts';
import type { KubeObject } from '../src/controller/object.ts';
import { customResource, type ResourceType } from '../src/kube/client.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import { killAllOperators, type OperatorProcess, type ProcessExit } from './helpers/operator-process.ts';
import {
  createElementSecrets, failIfExited, logLines, newNamespace, parseMetrics, startOperator as startOperatorProcess, startOperatorRbacEnv,
  stopOperatorRbacEnv, total, until, type OperatorRbacEnv, type StartedOperator,
} from './helpers/operator-rbac-env.ts';

const LEASE_NAME = 'elementrepl-operator-leader';
const EC = customResource(ELEMENT_CLUSTER);
const LEASES: ResourceType = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true };
const run = randomBytes(3).toString('hex');

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
type Lease = KubeObject & { spec?: LeaseSpec };
interface Operator extends StartedOperator {
  identity: string;
}

let env: OperatorRbacEnv;

/** A fresh operator namespace with the operator's Role, the Element credentials and the simulator's CA. */
async function operatorNamespace(prefix: string): Promise<string> {
  const namespace = await newNamespace(env.admin, prefix, true);
  await createElementSecrets(env, namespace, env.sim.clusters[0] as RunningSimulator['clusters'][number]);
  return namespace;
}

/** Starts an operator process (--leader-elect, servers on ports of its choosing) and waits until it campaigns. */
async function startOperator(namespace: string): Promise<Operator> {
  const extra = ['--leader-elect', '--poll-interval', '5s', '--graceful-shutdown-timeout', '10s'];
  const op = await startOperatorProcess(env.operatorKubeconfig, namespace, extra, 20_000_000);
  const identity = await until('the operator to campaign', async () => {
    failIfExited(op.proc);
    return logLines(op.proc).find((l) => l['msg'] === 'attempting to acquire leader lease')?.['identity'];
  }, (v) => typeof v === 'string', 60_000);
  return { ...op, identity: identity as string };
}

const metrics = async (op: Operator) => parseMetrics(await (await fetch(op.metricsUrl)).text());

const leading = async (op: Operator) => total(await metrics(op), 'leader_election_master_status', { name: LEASE_NAME });
const reconciles = async (op: Operator) => total(await metrics(op), 'controller_runtime_reconcile_total') ?? 0;
const status = async (url: string) => (await fetch(url)).status;
const readLease = (namespace: string) => env.admin.get<Lease>(LEASES, LEASE_NAME, namespace);

/** Names of the objects this process reconciled, from its debug log (every reconcile line carries a reconcileID). */
const reconciledNames = (op: Operator) => new Set(logLines(op.proc).filter((l) => l['reconcileID'] !== undefined).map((l) => String(l['name'])));

/** Each ElementCluster gets a simulated cluster of its own: a second one for the same cluster would be DuplicateCluster. */
let clustersUsed = 0;
async function createElementCluster(name: string): Promise<void> {
  const cluster = env.sim.clusters[clustersUsed++ % env.sim.clusters.length] as RunningSimulator['clusters'][number];
  await env.admin.create(EC, { metadata: { name }, spec: { mvip: cluster.mvip, credentialsSecretRef: { name: 'element-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } } } as KubeObject);
}

const connected = (name: string) =>
  until(`ElementCluster ${name} Ready`, () => env.admin.get<ElementCluster>(EC, name), (ec) => ec?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True' && c.reason === 'Connected') === true);

async function exitOf(proc: OperatorProcess, timeoutMs = 90_000): Promise<ProcessExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`process did not exit; last output:\n${proc.output().slice(-5_000)}`)), timeoutMs);
  });
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Both processes campaign for the Lease of `namespace`; returns them once one leads and the other has seen it. */
async function leaderAndStandby(namespace: string): Promise<{ leader: Operator; standby: Operator }> {
  const first = await startOperator(namespace);
  await until('the first process to lead', () => readLease(namespace), (l) => l?.spec?.holderIdentity === first.identity);
  const second = await startOperator(namespace);
  await until('the second process to see the leader', async () => logLines(second.proc).some((l) => l['msg'] === 'new leader observed' && l['leader'] === first.identity), Boolean);
  return { leader: first, standby: second };
}

beforeAll(async () => {
  env = await startOperatorRbacEnv({ clusters: ['PROD', 'HA1', 'HA2', 'HA3', 'HA4'] });
});

afterEach(async () => {
  await killAllOperators();
});

afterAll(async () => {
  await stopOperatorRbacEnv(env ?? {});
});

describe('leader election with operator processes', () => {
  it('exactly one of two processes reconciles; after SIGKILL of the leader the other takes over', async () => {
    const namespace = await operatorNamespace('ha-kill');
    const a = await startOperator(namespace);
    const b = await startOperator(namespace);
    const lease = await until('a holder', () => readLease(namespace), (l) => [a.identity, b.identity].includes(l?.spec?.holderIdentity ?? ''));
    const [leader, standby] = lease?.spec?.holderIdentity === a.identity ? [a, b] : [b, a];
    await createElementCluster(`before-${run}`);
    await connected(`before-${run}`);

    const [leaderMetrics, standbyMetrics] = [await metrics(leader), await metrics(standby)];
    expect(total(leaderMetrics, 'leader_election_master_status', { name: LEASE_NAME })).toBe(1);
    expect(total(standbyMetrics, 'leader_election_master_status', { name: LEASE_NAME })).toBe(0);
    expect(total(leaderMetrics, 'controller_runtime_reconcile_total', { controller: 'ElementCluster' })).toBeGreaterThan(0);
    expect(total(standbyMetrics, 'controller_runtime_reconcile_total') ?? 0).toBe(0);
    expect(reconciledNames(leader)).toContain(`before-${run}`);
    expect([...reconciledNames(standby)]).toEqual([]);
    // Readiness never depends on leadership: the standby is Ready too.
    expect([await status(`${leader.probeUrl}/readyz`), await status(`${standby.probeUrl}/readyz`)]).toEqual([200, 200]);

    leader.proc.kill();
    await leader.proc.exited;

    await until('the standby to lead', () => leading(standby), (v) => v === 1);
    const after = await readLease(namespace);
    expect(after?.spec).toMatchObject({ holderIdentity: standby.identity, leaseTransitions: (lease?.spec?.leaseTransitions ?? 0) + 1 });
    await createElementCluster(`after-${run}`);
    await connected(`after-${run}`);
    expect(await reconciles(standby)).toBeGreaterThan(0);
    expect(reconciledNames(standby)).toContain(`after-${run}`);
  });

  it('SIGTERM hands the Lease over without waiting for it to expire', async () => {
    const namespace = await operatorNamespace('ha-term');
    const { leader, standby } = await leaderAndStandby(namespace);
    const records: LeaseSpec[] = [];
    const watch = env.plane.client.watch(`/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases?watch=true&fieldSelector=metadata.name%3D${LEASE_NAME}`, (event) => {
      records.push(((event.object as { spec?: LeaseSpec }).spec ?? {}));
    });
    void watch.done.catch(() => undefined);
    await until('the watch to deliver the Lease', async () => records.length, (n) => n > 0);

    expect(await leader.proc.stop(60_000)).toEqual({ code: 0, signal: null });
    await until('the standby to lead', () => leading(standby), (v) => v === 1);
    watch.close();

    expect(logLines(leader.proc).map((l) => l['msg'])).toContain('released leader lease');
    // The watch saw: the leader's renewals, the released record, then the standby's acquisition.
    const released = records.findIndex((r) => !r.holderIdentity && r.leaseDurationSeconds === 1);
    expect(released, JSON.stringify(records)).toBeGreaterThan(0);
    const lastRenewal = records.slice(0, released).findLast((r) => r.holderIdentity === leader.identity);
    const acquired = records.slice(released).find((r) => r.holderIdentity === standby.identity);
    expect(lastRenewal?.leaseDurationSeconds).toBe(15);
    expect(acquired).toMatchObject({ leaseDurationSeconds: 15 });
    // Without the release the standby could not have acquired before lastRenewal + 15 s.
    const acquiredAfterRenewalMs = Date.parse(acquired?.acquireTime ?? '') - Date.parse(lastRenewal?.renewTime ?? '');
    expect(acquiredAfterRenewalMs).toBeLessThan(15_000);

    await createElementCluster(`handover-${run}`);
    await connected(`handover-${run}`);
    expect(reconciledNames(standby)).toContain(`handover-${run}`);
  });

  // The leader learns of the take-over at its next renewal and, like client-go, declares the Lease
  // lost when no renewal succeeds within renewDeadline (10 s); then it exits at once: no drain, no release.
  it('a leader whose Lease is taken over exits without draining or releasing it; the standby respects the new holder', async () => {
    const namespace = await operatorNamespace('ha-taken');
    const { leader, standby } = await leaderAndStandby(namespace);
    const intruder = `intruder_${run}`;
    const now = new Date().toISOString().replace('Z', '000Z');
    await env.admin.mergePatch(LEASES, LEASE_NAME, { spec: { holderIdentity: intruder, leaseDurationSeconds: 3600, acquireTime: now, renewTime: now } }, { namespace });

    const exit = await exitOf(leader.proc);

    expect(exit, leader.proc.output().slice(-3_000)).toEqual({ code: 1, signal: null });
    const messages = logLines(leader.proc).map((l) => l['msg']);
    expect(messages).toContain('leader lease lost');
    expect(messages).toContain('leader election lost; exiting');
    // Not a graceful shutdown: no drain, and no release (it is not the holder any more).
    expect(messages).not.toContain('shutting down: finishing in-flight reconciles');
    expect(messages).not.toContain('released leader lease');
    expect((await readLease(namespace))?.spec?.holderIdentity).toBe(intruder);
    await until('the standby to see the intruder', async () => logLines(standby.proc).some((l) => l['msg'] === 'new leader observed' && l['leader'] === intruder), Boolean);
    expect(standby.proc.child.exitCode).toBeNull();
    expect(await leading(standby)).toBe(0);
    expect(await status(`${standby.probeUrl}/readyz`)).toBe(200);
  });
});
