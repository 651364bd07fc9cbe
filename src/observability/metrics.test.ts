import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

describe('createMetrics', () => {
  it('exports controller-runtime and Element metrics under their expected names after the hooks ran', async () => {
    const metrics = createMetrics();
    metrics.reconcile.maxConcurrent('volumepair', 4);
    metrics.reconcile.activeWorkers('volumepair', 2);
    metrics.reconcile.reconciled('volumepair', 'success', 0.12);
    metrics.reconcile.reconciled('volumepair', 'error', 0.3);
    metrics.reconcile.errored('volumepair');
    metrics.queue.added('volumepair');
    metrics.queue.depth('volumepair', 3);
    metrics.queue.queueDuration('volumepair', 0.002);
    metrics.queue.workDuration('volumepair', 0.4);
    metrics.queue.retried('volumepair');
    metrics.leaderElection.setLeader('elementrepl-operator-leader', true);
    metrics.elementCallObserver('dc1')({ method: 'ListActivePairedVolumes', outcome: 'success', durationMs: 35 });
    metrics.elementCallObserver('dc2')({ method: 'StartVolumePairing', outcome: 'apiError', durationMs: 900, errorName: 'xVolumeAlreadyPaired' });
    metrics.setVolumePairStates({ Active: 3, PausedManual: 1 });
    metrics.setClusterPairLatency('dc1-dc2', 0.004);
    metrics.driftCorrected('VolumePair');

    const text = await metrics.registry.metrics();

    for (const line of [
      'controller_runtime_reconcile_total{controller="volumepair",result="success"} 1',
      'controller_runtime_reconcile_total{controller="volumepair",result="error"} 1',
      'controller_runtime_reconcile_total{controller="volumepair",result="requeue_after"} 0',
      'controller_runtime_reconcile_errors_total{controller="volumepair"} 1',
      'controller_runtime_reconcile_time_seconds_count{controller="volumepair"} 2',
      'controller_runtime_reconcile_time_seconds_bucket{le="0.15",controller="volumepair"} 1',
      'controller_runtime_max_concurrent_reconciles{controller="volumepair"} 4',
      'controller_runtime_active_workers{controller="volumepair"} 2',
      'workqueue_depth{name="volumepair"} 3',
      'workqueue_adds_total{name="volumepair"} 1',
      'workqueue_queue_duration_seconds_count{name="volumepair"} 1',
      'workqueue_work_duration_seconds_bucket{le="1",name="volumepair"} 1',
      'workqueue_retries_total{name="volumepair"} 1',
      'leader_election_master_status{name="elementrepl-operator-leader"} 1',
      'elementrepl_element_requests_total{cluster="dc1",method="ListActivePairedVolumes",outcome="success"} 1',
      'elementrepl_element_requests_total{cluster="dc2",method="StartVolumePairing",outcome="apiError"} 1',
      'elementrepl_element_request_duration_seconds_sum{cluster="dc1",method="ListActivePairedVolumes"} 0.035',
      'elementrepl_volume_pairs{state="Active"} 3',
      'elementrepl_cluster_pair_latency_seconds{cluster_pair="dc1-dc2"} 0.004',
      'elementrepl_drift_corrections_total{kind="VolumePair"} 1',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('reports the V8 heap limit of the process', async () => {
    const text = await createMetrics({ defaultMetrics: false }).registry.metrics();
    const value = Number(/^elementrepl_heap_limit_bytes (\S+)$/m.exec(text)?.[1]);
    expect(value).toBe(getHeapStatistics().heap_size_limit);
    expect(value).toBeGreaterThan(0);
  });

  it('replaces volume pair states and removes a cluster pair latency', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.setVolumePairStates({ Active: 3, PausedManual: 1 });
    metrics.setVolumePairStates({ Active: 4 });
    metrics.setClusterPairLatency('dc1-dc2', 0.004);
    metrics.setClusterPairLatency('dc1-dc2', undefined);

    const text = await metrics.registry.metrics();

    expect(text).toContain('elementrepl_volume_pairs{state="Active"} 4');
    expect(text).not.toContain('state="PausedManual"');
    expect(text).not.toContain('cluster_pair="dc1-dc2"');
    expect(text).not.toContain('process_cpu_seconds_total');
  });

  it('uses client-go workqueue buckets from 10 ns to 1000 s', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.queue.workDuration('q', 5);
    const text = await metrics.registry.metrics();
    expect(text).toContain('workqueue_work_duration_seconds_bucket{le="1e-8",name="q"} 0');
    expect(text).toContain('workqueue_work_duration_seconds_bucket{le="1000",name="q"} 1');
  });

  it('exports Ready, Degraded and Stalled per resource as 1/0 and removes them with the object', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.setResourceConditions('VolumePair', 'apps', 'db', [
      { type: 'Ready', status: 'False' },
      { type: 'Degraded', status: 'True' },
      { type: 'Stalled', status: 'False' },
      { type: 'Reconciling', status: 'True' },
    ]);
    metrics.setResourceConditions('ElementCluster', '', 'dc1', [{ type: 'Ready', status: 'True' }]);
    metrics.setResourceConditions('ClusterPair', '', 'dc1-dc2', [{ type: 'Ready', status: 'True' }]);

    let text = await metrics.registry.metrics();
    expect(text).toContain('elementrepl_resource_condition{kind="VolumePair",namespace="apps",name="db",type="Ready"} 0');
    expect(text).toContain('elementrepl_resource_condition{kind="VolumePair",namespace="apps",name="db",type="Degraded"} 1');
    expect(text).toContain('elementrepl_resource_condition{kind="VolumePair",namespace="apps",name="db",type="Stalled"} 0');
    expect(text).toContain('elementrepl_resource_condition{kind="ElementCluster",namespace="",name="dc1",type="Ready"} 1');
    expect(text).not.toContain('type="Reconciling"');
    expect(text).not.toContain('name="dc1",type="Degraded"');

    // A condition that turns Unknown or disappears leaves no stale value behind.
    metrics.setResourceConditions('VolumePair', 'apps', 'db', [{ type: 'Ready', status: 'True' }, { type: 'Degraded', status: 'Unknown' }]);
    metrics.setResourceConditions('ClusterPair', '', 'dc1-dc2', undefined);
    text = await metrics.registry.metrics();
    expect(text).toContain('elementrepl_resource_condition{kind="VolumePair",namespace="apps",name="db",type="Ready"} 1');
    expect(text).not.toContain('name="db",type="Degraded"');
    expect(text).not.toContain('name="db",type="Stalled"');
    expect(text).not.toContain('name="dc1-dc2"');
    expect(text).toContain('name="dc1",type="Ready"} 1');
  });
});
