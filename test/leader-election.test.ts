// LeaderElector against the real kube-apiserver: one leader among two candidates, take-over when
// the leader stops renewing, and hand-over on release() without waiting for the Lease to expire.
// Short durations keep the run quick; every wait has a generous deadline and no speed is asserted.
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LeaderElector, leaseClient } from '../src/kube/lease.ts';
import type { LeaderElectionDurations, LeaseClient } from '../src/kube/lease.ts';
import { adminClient, createTestNamespace, kubeconfigPath } from './helpers/kube.ts';

const log = pino({ level: 'silent' });
// Short enough for a quick run, long enough that a loaded machine does not lose a healthy Lease.
const fast: Partial<LeaderElectionDurations> = { leaseDurationMs: 8_000, renewDeadlineMs: 5_000, retryPeriodMs: 500 };
let ns = '';
let client: LeaseClient;
const running: LeaderElector[] = [];

beforeAll(async () => {
  ns = await createTestNamespace('lease');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath());
  client = leaseClient(kubeConfig);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.release()));
});

interface Candidate {
  elector: LeaderElector;
  events: string[];
  /** Simulates a frozen or partitioned process: its Lease calls fail from now on. */
  kill(): void;
}

function candidate(leaseName: string, identity: string, durations = fast): Candidate {
  let dead = false;
  const guard = <T>(call: () => Promise<T>): Promise<T> => (dead ? Promise.reject(new Error('process is dead')) : call());
  const processClient: LeaseClient = {
    readNamespacedLease: (p) => guard(() => client.readNamespacedLease(p)),
    createNamespacedLease: (p) => guard(() => client.createNamespacedLease(p)),
    replaceNamespacedLease: (p) => guard(() => client.replaceNamespacedLease(p)),
  };
  const events: string[] = [];
  const elector = new LeaderElector({ client: processClient, namespace: ns, name: leaseName, identity, durations, log });
  running.push(elector);
  void elector.run({ onStartedLeading: () => void events.push('started'), onStoppedLeading: () => void events.push('stopped') });
  return { elector, events, kill: () => void (dead = true) };
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function leaseSpec(name: string): Promise<Record<string, unknown>> {
  const response = await adminClient().request('GET', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/${name}`);
  expect(response.status).toBe(200);
  return (response.body as { spec: Record<string, unknown> }).spec;
}

describe('LeaderElector on a real API server', () => {
  test('exactly one of two candidates leads, and the Lease says so', async () => {
    const a = candidate('one-leader', 'host-a_1');
    const b = candidate('one-leader', 'host-b_1');
    await waitFor('a leader', () => a.elector.isLeader() || b.elector.isLeader());
    const leader = a.elector.isLeader() ? a : b;
    const standby = leader === a ? b : a;

    // Several renewals later, still one leader, and the same one.
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(leader.elector.isLeader()).toBe(true);
      expect(standby.elector.isLeader()).toBe(false);
    }
    const spec = await leaseSpec('one-leader');
    expect(spec).toMatchObject({ holderIdentity: leader === a ? 'host-a_1' : 'host-b_1', leaseDurationSeconds: 8 });
    expect(String(spec['renewTime'])).toMatch(/\.\d{6}Z$/);
    expect(standby.events).toEqual([]);
  });

  test('the standby takes over when the leader stops renewing', async () => {
    const a = candidate('take-over', 'host-a_2');
    await waitFor('a to lead', () => a.elector.isLeader());
    const b = candidate('take-over', 'host-b_2');

    a.kill();

    await waitFor('a to notice it lost the Lease', () => a.events.includes('stopped'));
    await waitFor('b to take over', () => b.elector.isLeader());
    expect(await leaseSpec('take-over')).toMatchObject({ holderIdentity: 'host-b_2', leaseTransitions: 1 });
    expect(b.events).toEqual(['started']);
  });

  test('release() hands over at once instead of after the lease duration', async () => {
    // A Lease of two minutes: a hand-over well inside the wait below cannot come from expiry.
    const slow: Partial<LeaderElectionDurations> = { leaseDurationMs: 120_000, renewDeadlineMs: 10_000, retryPeriodMs: 250 };
    const a = candidate('hand-over', 'host-a_3', slow);
    await waitFor('a to lead', () => a.elector.isLeader());
    const b = candidate('hand-over', 'host-b_3', slow);
    await waitFor('b to see the leader', () => b.elector.leader() === 'host-a_3');

    await a.elector.release();

    await waitFor('b to take over', () => b.elector.isLeader(), 60_000);
    expect(a.events).toEqual(['started']);
    expect(await leaseSpec('hand-over')).toMatchObject({ holderIdentity: 'host-b_3', leaseDurationSeconds: 120 });
  });
});
