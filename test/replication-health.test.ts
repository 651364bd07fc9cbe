// Replication health (issue 15, DESIGN §9) of the operator as a real process with its /metrics, on
// a private control plane with the Element simulator: initial-sync progress in status.sync, the lag
// in status, in elementrepl_volume_pair_replication_lag_seconds and in `kubectl get evp`, the lag
// rising while the link is cut under both settings of the simulator's `asyncDelayWhenStopped`
// switch ([U]: Element may show the time since the last sync or null), and the series removed
// with the VolumePair. The tests follow each other (one operator, one pair). No speed is asserted.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from '../src/api/group.ts';
import type { KubeObject } from '../src/controller/object.ts';
import { customResource, type KubeClient } from '../src/kube/client.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import { kubectl } from './helpers/kube.ts';
import {
  createElementSecrets, newNamespace, parseMetrics, startOperator, startOperatorRbacEnv, stopOperatorRbacEnv, until,
  type OperatorRbacEnv, type StartedOperator,
} from './helpers/operator-rbac-env.ts';

const [EC, CP, VP] = [customResource(ELEMENT_CLUSTER), customResource(CLUSTER_PAIR), customResource(VOLUME_PAIR)];
const run = randomBytes(3).toString('hex');
const USERNAME = `admin-${run}`;
const PASSWORD = `Pw-${randomBytes(12).toString('hex')}`;
const names = { dc1: `dc1-${run}`, dc2: `dc2-${run}`, pair: `dc1-dc2-${run}`, vp: 'pg-data' };
const LAG_METRIC = 'elementrepl_volume_pair_replication_lag_seconds';
const THRESHOLD_S = 30;

interface HealthStatus {
  conditions?: { type: string; status: string; reason: string }[];
  sync?: { percentComplete?: number; remainingSeconds?: number };
  lastSyncTime?: string;
  replicationLagSeconds?: number;
}
type Obj = KubeObject & { status?: HealthStatus };

let env: OperatorRbacEnv;
let admin: KubeClient;
let sim: RunningSimulator;
let appNs = '';
let op: StartedOperator;
let source = 0;

const ready = (o: Obj | null) => o?.status?.conditions?.find((c) => c.type === 'Ready');
/** The VolumePair's status only (a timed-out wait prints the last value). */
const readVp = async () => {
  const vp = await admin.get<Obj>(VP, names.vp, appNs);
  return vp === null ? null : ({ ...vp, metadata: { name: vp.metadata.name }, lag: await lagMetric() } as Obj);
};

/** The lag series of the test's VolumePair on /metrics (undefined when there is none). */
async function lagMetric(): Promise<number | undefined> {
  const text = await (await fetch(op.metricsUrl)).text();
  return parseMetrics(text).find((s) => s.name === LAG_METRIC && s.labels['namespace'] === appNs && s.labels['name'] === names.vp)?.value;
}

async function eventReasons(): Promise<string[]> {
  const { items } = await admin.list<KubeObject & { reason?: string; regarding?: { name?: string } }>(
    { group: 'events.k8s.io', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
    { namespace: appNs },
  );
  return items.filter((e) => e.regarding?.name === names.vp).map((e) => e.reason ?? '');
}

beforeAll(async () => {
  // A Resuming* phase of 10 s leaves the initial sync visible for several observations.
  env = await startOperatorRbacEnv({ clusters: ['PROD', 'DR'], username: USERNAME, password: PASSWORD, connectDelayMs: 300, resumeDelayMs: 10_000 });
  ({ admin, sim } = env);
  const operatorNs = await newNamespace(admin, 'health-op', true);
  appNs = await newNamespace(admin, 'health-app', false);
  await createElementSecrets(env, operatorNs, { username: USERNAME, password: PASSWORD });
  op = await startOperator(env.operatorKubeconfig, operatorNs, ['--workers', '2', '--poll-interval', '2s', '--lag-warning-threshold', `${THRESHOLD_S}s`], 50_000_000);
  for (const [name, cluster] of [[names.dc1, 'PROD'], [names.dc2, 'DR']] as const) {
    const endpoint = sim.clusters.find((c) => c.name === cluster);
    await admin.create(EC, { metadata: { name }, spec: { mvip: endpoint?.mvip, credentialsSecretRef: { name: 'element-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } } });
  }
  await admin.create(CP, { metadata: { name: names.pair }, spec: { clusterARef: { name: names.dc1 }, clusterBRef: { name: names.dc2 } } });
  await until('ClusterPair Ready', () => admin.get<Obj>(CP, names.pair), (o) => ready(o)?.status === 'True');
});

afterAll(async () => {
  op?.proc.child.kill('SIGKILL');
  await stopOperatorRbacEnv(env ?? {});
});

describe('replication health', () => {
  it('shows initial-sync progress in status.sync while Syncing, and clears it once Active', async () => {
    source = (await sim.admin.createVolumes('PROD', { count: 1, namePrefix: `src-${run}` })).volumeIDs[0] ?? 0;
    const [target] = (await sim.admin.createVolumes('DR', { count: 1, namePrefix: `dst-${run}` })).volumeIDs;
    await admin.create(VP, { metadata: { name: names.vp, namespace: appNs }, spec: { clusterPairRef: { name: names.pair }, sideA: { volumeID: source }, sideB: { volumeID: target } } });

    const syncing = await until('status.sync while Syncing', readVp, (o) => ready(o)?.reason === 'Syncing' && o?.status?.sync?.percentComplete !== undefined);
    expect(syncing?.status?.sync?.percentComplete).toBeGreaterThanOrEqual(0);
    expect(syncing?.status?.sync?.percentComplete).toBeLessThanOrEqual(100);
    expect(syncing?.status?.sync?.remainingSeconds).toBeGreaterThanOrEqual(0);

    const active = await until('Active', readVp, (o) => ready(o)?.status === 'True' && ready(o)?.reason === 'Active');
    expect(active?.status?.sync).toBeUndefined();
  });

  it('reports the lag in status, on /metrics and in kubectl get, at once when it crosses the threshold', async () => {
    await until('a lag series', lagMetric, (v) => v !== undefined);
    await sim.admin.setAsyncDelay('PROD', source, 45);
    const lagging = await until('status lag above the threshold', readVp, (o) => (o?.status?.replicationLagSeconds ?? 0) >= 45);
    expect(Date.parse(lagging?.status?.lastSyncTime ?? '')).toBeLessThan(Date.now() - 44_000);
    expect(await lagMetric()).toBeGreaterThanOrEqual(45);
    await until('a ReplicationLagging Event', eventReasons, (reasons) => reasons.includes('ReplicationLagging'));

    const table = await kubectl(['get', 'evp', '-n', appNs, names.vp], { kubeconfig: env.plane.kubeconfigPath });
    const [header = '', row = ''] = table.stdout.trim().split('\n');
    const columns = header.trim().split(/\s+/);
    expect(columns).toEqual(expect.arrayContaining(['REASON', 'LAG(S)']));
    const cells = row.trim().split(/\s+/);
    expect(Number(cells[columns.indexOf('LAG(S)')])).toBeGreaterThanOrEqual(45);
    expect(cells[columns.indexOf('REASON')]).toBe('Active');

    await sim.admin.setAsyncDelay('PROD', source, 0);
    await until('status lag back under the threshold', readVp, (o) => (o?.status?.replicationLagSeconds ?? Infinity) < THRESHOLD_S);
    await until('a ReplicationCaughtUp Event', eventReasons, (reasons) => reasons.includes('ReplicationCaughtUp'));
  });

  describe.each([['grows'], ['null']] as const)('asyncDelayWhenStopped: %s', (setting) => {
    it('the lag keeps rising while the link is cut, and falls once replication is back', async () => {
      await sim.admin.setAsyncDelay('PROD', source, 0);
      await until('status lag under the threshold', readVp, (o) => (o?.status?.replicationLagSeconds ?? Infinity) < THRESHOLD_S);
      await sim.admin.setBehaviour({ asyncDelayWhenStopped: setting });
      await sim.admin.cutLink('PROD', 'DR');
      try {
        const first = (await until('the lag rising', lagMetric, (v) => (v ?? 0) >= 3)) ?? 0;
        // It keeps rising (a frozen or zeroed lag would never get there), whenever the next polls come.
        await until('the lag still rising', lagMetric, (v) => v !== undefined && v > first + 2);
        // The lag crosses the threshold during the outage: status shows it at once, never 0.
        const lagging = await until('status lag above the threshold during the outage', readVp, (o) => (o?.status?.replicationLagSeconds ?? 0) > THRESHOLD_S, 120_000);
        expect(ready(lagging)?.reason).not.toBe('Active');
      } finally {
        await sim.admin.restoreLink('PROD', 'DR');
      }
      await until('Active again with a small lag', readVp, (o) => ready(o)?.reason === 'Active' && (o?.status?.replicationLagSeconds ?? Infinity) < THRESHOLD_S, 120_000);
      expect(await lagMetric()).toBeLessThan(THRESHOLD_S);
    }, 300_000);
  });

  it('removes the lag series with the VolumePair', async () => {
    await admin.delete(VP, names.vp, { namespace: appNs });
    await until('VolumePair deleted', readVp, (o) => o === null);
    await until('no lag series', lagMetric, (v) => v === undefined);
  });
});
