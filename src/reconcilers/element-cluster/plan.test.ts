import { describe, expect, it } from 'vitest';
import type { Condition } from '../../api/conditions.ts';
import { allEvents } from '../shell/plan.ts';
import { statusPatch } from '../shell/status-patch.ts';
import type { ElementCluster } from '../../api/element-cluster.ts';
import { needsElement, planElementCluster, type ElementClusterPlanInput, type Observation, type ProbeOutcome } from './plan.ts';

const NOW = new Date('2026-05-01T12:00:00.000Z');
const EARLIER = '2026-05-01T11:00:00Z';

function cluster(overrides: { metadata?: Partial<ElementCluster['metadata']>; spec?: Partial<ElementCluster['spec']>; status?: ElementCluster['status'] } = {}): ElementCluster {
  return {
    apiVersion: 'elementrepl.io/v1alpha1',
    kind: 'ElementCluster',
    metadata: { name: 'dc1', uid: 'uid-1', resourceVersion: '10', generation: 3, ...overrides.metadata },
    spec: { mvip: '10.0.0.10', credentialsSecretRef: { name: 'dc1-admin' }, ...overrides.spec },
    ...(overrides.status ? { status: overrides.status } : {}),
  };
}

const connected: ProbeOutcome = { kind: 'connected', clusterName: 'PROD', uniqueID: 'ab12', uuid: 'uuid-1', mvip: '10.0.0.10', elementVersion: '12.5.0.897', apiVersion: '12.5' };
const probed = (outcome: ProbeOutcome): Observation => ({ kind: 'probed', outcome });

function plan(input: Partial<ElementClusterPlanInput> & { cluster?: ElementCluster }) {
  return planElementCluster({ cluster: cluster(), usedBy: [], others: [], observation: probed(connected), connectionUsable: false, now: NOW, ...input });
}

const condition = (type: string, status: string, reason: string): Condition => ({ type, status: status as Condition['status'], reason, message: 'm', lastTransitionTime: EARLIER, observedGeneration: 2 });
const readyOf = (p: ReturnType<typeof plan>) => p.status?.conditions?.find((c) => c.type === 'Ready');
const tlsOf = (p: ReturnType<typeof plan>) => p.status?.conditions?.find((c) => c.type === 'TLSVerified');

describe('planElementCluster: connected', () => {
  it('fills the status, records the first UUID, turns Ready and polls', () => {
    const result = plan({});

    expect(result.status).toMatchObject({
      observedGeneration: 3,
      clusterName: 'PROD',
      clusterUniqueID: 'ab12',
      clusterUUID: 'uuid-1',
      elementVersion: '12.5.0.897',
      apiVersion: '12.5',
      clusterMVIP: '10.0.0.10',
      lastContactTime: '2026-05-01T12:00:00Z',
    });
    expect(readyOf(result)).toMatchObject({ status: 'True', reason: 'Connected', observedGeneration: 3, lastTransitionTime: '2026-05-01T12:00:00Z' });
    expect(tlsOf(result)).toMatchObject({ status: 'True', reason: 'CAVerified' });
    expect(result).toMatchObject({ usable: true, step: { kind: 'none' }, requeue: 'poll', disconnect: false });
    expect(allEvents(result)).toEqual([expect.objectContaining({ type: 'Normal', reason: 'Connected' })]);
  });

  it('keeps lastTransitionTime while Ready stays True and records no Event', () => {
    const previous = cluster({ status: { clusterUUID: 'uuid-1', conditions: [condition('Ready', 'True', 'Connected')] } });

    const result = plan({ cluster: previous });

    expect(readyOf(result)?.lastTransitionTime).toBe(EARLIER);
    expect(allEvents(result)).toEqual([]);
  });

  it.each([
    [{ pinnedSHA256: 'AB:'.repeat(31) + 'AB' }, 'True', 'CertificatePinned'],
    [{ insecureSkipVerify: true }, 'False', 'InsecureSkipVerify'],
    [{ caSecretRef: { name: 'dc1-ca', key: 'ca.crt' } }, 'True', 'CAVerified'],
  ])('reports TLSVerified for tls %o as %s/%s', (tls, status, reason) => {
    const result = plan({ cluster: cluster({ spec: { tls: { insecureSkipVerify: false, ...tls } } }) });

    expect(tlsOf(result)).toMatchObject({ status, reason });
  });

  it('warns once when verification is off', () => {
    const insecure = cluster({ spec: { tls: { insecureSkipVerify: true } } });
    const first = plan({ cluster: insecure });
    const again = plan({ cluster: { ...insecure, status: first.status } });

    expect(allEvents(first).map((e) => `${e.type}/${e.reason}`)).toContain('Warning/InsecureSkipVerify');
    expect(allEvents(again)).toEqual([]);
  });

  it('re-queues dependents only when the connection becomes usable and someone uses it', () => {
    expect(plan({ usedBy: ['dc1-dc2'] }).requeueDependents).toBe(true);
    expect(plan({ usedBy: ['dc1-dc2'], connectionUsable: true }).requeueDependents).toBe(false);
    expect(plan({ usedBy: [] }).requeueDependents).toBe(false);
  });

  it('writes nothing when the status would not change', () => {
    const first = plan({});
    const second = planElementCluster({ cluster: cluster({ status: first.status }), usedBy: [], others: [], observation: probed(connected), connectionUsable: true, now: NOW });

    expect(statusPatch(first.status, second.status)).toBeUndefined();
    expect(second.usable).toBe(true);
  });
});

describe('planElementCluster: identity', () => {
  it('reports IdentityMismatch when the MVIP answers with another UUID, keeping the recorded identity', () => {
    const known = cluster({ status: { clusterName: 'PROD', clusterUniqueID: 'ab12', clusterUUID: 'uuid-1', conditions: [condition('Ready', 'True', 'Connected')] } });

    const result = plan({ cluster: known, observation: probed({ ...connected, clusterName: 'OTHER', uniqueID: 'zz99', uuid: 'uuid-2' }), connectionUsable: true });

    expect(readyOf(result)).toMatchObject({ status: 'False', reason: 'IdentityMismatch' });
    expect(readyOf(result)?.message).toContain('uuid-2');
    expect(result.status).toMatchObject({ clusterName: 'PROD', clusterUniqueID: 'ab12', clusterUUID: 'uuid-1' });
    expect(result.usable).toBe(false);
    expect(allEvents(result)).toEqual([expect.objectContaining({ type: 'Warning', reason: 'IdentityMismatch' })]);
  });

  it('falls back to the uniqueID when no UUID was ever recorded', () => {
    const known = cluster({ status: { clusterUniqueID: 'ab12' } });

    expect(readyOf(plan({ cluster: known, observation: probed({ ...connected, uuid: undefined, uniqueID: 'zz99' }) }))?.reason).toBe('IdentityMismatch');
    expect(readyOf(plan({ cluster: known, observation: probed({ ...connected, uuid: undefined }) }))?.reason).toBe('Connected');
  });

  it.each([
    ['the probe has no UUID', { clusterUniqueID: 'ab12', clusterUUID: 'uuid-1' }, { uuid: undefined, uniqueID: 'zz99' }],
    ['neither has a UUID', { clusterUniqueID: 'ab12' }, { uuid: undefined, uniqueID: 'zz99' }],
    ['only the probe has a UUID', { clusterUniqueID: 'ab12' }, { uuid: 'uuid-2', uniqueID: 'zz99' }],
  ])('compares uniqueIDs when %s: another cluster is IdentityMismatch', (_case, recorded, seen) => {
    const known = cluster({ status: { clusterName: 'PROD', ...recorded, conditions: [condition('Ready', 'True', 'Connected')] } });

    const result = plan({ cluster: known, observation: probed({ ...connected, clusterName: 'OTHER', ...seen }), connectionUsable: true });

    expect(readyOf(result)).toMatchObject({ status: 'False', reason: 'IdentityMismatch' });
    expect(readyOf(result)?.message).toContain('zz99');
    expect(result.status).toMatchObject({ clusterName: 'PROD', ...recorded });
    expect(result.usable).toBe(false);
  });

  it('stays Connected when the probe has no UUID but the same uniqueID', () => {
    const known = cluster({ status: { clusterUniqueID: 'ab12', clusterUUID: 'uuid-1' } });

    const result = plan({ cluster: known, observation: probed({ ...connected, uuid: undefined }) });

    expect(readyOf(result)?.reason).toBe('Connected');
    expect(result.status?.clusterUUID).toBe('uuid-1');
  });

  it('becomes Ready again when the recorded cluster answers again', () => {
    const mismatched = cluster({ status: { clusterUUID: 'uuid-1', conditions: [condition('Ready', 'False', 'IdentityMismatch')] } });

    const result = plan({ cluster: mismatched });

    expect(readyOf(result)?.reason).toBe('Connected');
    expect(result.usable).toBe(true);
  });
});

describe('planElementCluster: two ElementClusters for one Element cluster', () => {
  const created = (at: string) => ({ creationTimestamp: at });
  const mine = cluster({ metadata: { name: 'dc1', ...created('2026-05-01T10:00:00Z') } });

  it('reports DuplicateCluster, unusable, naming the older ElementCluster with that uniqueID', () => {
    const others = [
      { name: 'elsewhere', creationTimestamp: '2026-04-01T00:00:00Z', clusterUniqueID: 'zz99' },
      { name: 'dc1-old', creationTimestamp: '2026-05-01T09:00:00Z', clusterUniqueID: 'ab12' },
    ];

    const result = plan({ cluster: mine, others, usedBy: ['dc1-dc2'] });

    expect(readyOf(result)).toMatchObject({ status: 'False', reason: 'DuplicateCluster' });
    expect(readyOf(result)?.message).toContain('dc1-old');
    expect(readyOf(result)?.message).not.toContain('elsewhere');
    expect(result).toMatchObject({ usable: false, requeueDependents: false, requeue: 'poll' });
    expect(result.status).toMatchObject({ clusterUniqueID: 'ab12' });
    expect(allEvents(result)).toEqual([expect.objectContaining({ type: 'Warning', reason: 'DuplicateCluster' })]);
  });

  it('breaks a creationTimestamp tie by name', () => {
    const at = '2026-05-01T10:00:00Z';

    expect(readyOf(plan({ cluster: mine, others: [{ name: 'dc0', creationTimestamp: at, clusterUniqueID: 'ab12' }] }))?.reason).toBe('DuplicateCluster');
    expect(readyOf(plan({ cluster: mine, others: [{ name: 'dc2', creationTimestamp: at, clusterUniqueID: 'ab12' }] }))?.reason).toBe('Connected');
  });

  it('keeps the cluster when the other one is newer or another cluster', () => {
    const others = [
      { name: 'dc1-new', creationTimestamp: '2026-05-01T11:00:00Z', clusterUniqueID: 'ab12' },
      { name: 'dc0', creationTimestamp: '2026-05-01T09:00:00Z', clusterUniqueID: 'zz99' },
      { name: 'dc-unseen', creationTimestamp: '2026-05-01T08:00:00Z' },
    ];

    const result = plan({ cluster: mine, others });

    expect(readyOf(result)?.reason).toBe('Connected');
    expect(result.usable).toBe(true);
  });
});

describe('planElementCluster: failures', () => {
  it.each([
    ['AuthFailed', 'backoff'],
    ['Unreachable', 'backoff'],
    ['TLSError', 'backoff'],
    ['UnsupportedVersion', 'poll'],
  ] as const)('%s → Ready=False, unusable, requeue %o', (reason, requeue) => {
    const result = plan({ observation: probed({ kind: 'failed', reason, message: `it failed: ${reason}` }), connectionUsable: true });

    expect(readyOf(result)).toMatchObject({ status: 'False', reason, message: `it failed: ${reason}` });
    expect(result.usable).toBe(false);
    expect(result.requeue).toEqual(requeue);
    expect(allEvents(result)).toEqual([expect.objectContaining({ type: 'Warning', reason })]);
  });

  it('marks TLSVerified False on a TLS failure', () => {
    expect(tlsOf(plan({ observation: probed({ kind: 'failed', reason: 'TLSError', message: 'pin mismatch' }) }))).toMatchObject({ status: 'False', reason: 'TLSError' });
  });

  it('keeps the last observed cluster fields while unreachable', () => {
    const known = cluster({ status: { clusterName: 'PROD', clusterUUID: 'uuid-1', lastContactTime: EARLIER } });

    const result = plan({ cluster: known, observation: probed({ kind: 'failed', reason: 'Unreachable', message: 'timeout' }) });

    expect(result.status).toMatchObject({ clusterName: 'PROD', clusterUUID: 'uuid-1', lastContactTime: EARLIER });
  });

  it.each(['SecretNotFound', 'SecretForbidden', 'SecretNotAllowed'] as const)('%s → Ready=False and look again at the poll interval', (reason) => {
    const result = plan({ observation: { kind: 'accessProblem', problem: { reason, message: 'Secret elementrepl-system/dc1-admin' } } });

    expect(readyOf(result)).toMatchObject({ status: 'False', reason });
    expect(result).toMatchObject({ usable: false, requeue: 'poll' });
  });
});

describe('planElementCluster: finalizer, deletion and pause', () => {
  const deleting = { deletionTimestamp: '2026-05-01T11:59:00Z' };

  it('adds the in-use finalizer while a ClusterPair uses it and removes it when none does', () => {
    expect(plan({ usedBy: ['dc1-dc2'] }).step.kind).toBe('addFinalizer');
    expect(plan({ usedBy: ['dc1-dc2'], cluster: cluster({ metadata: { finalizers: ['elementrepl.io/in-use'] } }) }).step.kind).toBe('none');
    expect(plan({ cluster: cluster({ metadata: { finalizers: ['elementrepl.io/in-use'] } }) }).step.kind).toBe('dropFinalizer');
  });

  it('lets a deletion finish when nobody uses it: finalizer off, connection closed, no status write', () => {
    const gone = cluster({ metadata: { ...deleting, finalizers: ['elementrepl.io/in-use'] } });

    expect(needsElement(gone, [])).toBe(false);
    expect(plan({ cluster: gone, observation: { kind: 'skipped' } })).toMatchObject({ step: { kind: 'dropFinalizer' }, disconnect: true, usable: false, status: undefined, requeue: 'never' });
  });

  it('holds a deletion while in use: Ready=False InUse, connection kept usable for the dependents\' cleanup', () => {
    const held = cluster({ metadata: { ...deleting, finalizers: ['elementrepl.io/in-use'] } });

    const result = plan({ cluster: held, usedBy: ['b-pair', 'a-pair'].sort() });

    expect(needsElement(held, ['a-pair'])).toBe(true);
    expect(result.step.kind).toBe('none');
    expect(readyOf(result)).toMatchObject({ status: 'False', reason: 'InUse' });
    expect(readyOf(result)?.message).toContain('a-pair, b-pair');
    expect(result.usable).toBe(true);
  });

  it('does nothing with Element while paused, says so, and keeps the finalizer', () => {
    const paused = cluster({ metadata: { annotations: { 'elementrepl.io/paused': 'true' }, finalizers: ['elementrepl.io/in-use'] } });

    const result = plan({ cluster: paused, observation: { kind: 'skipped' } });

    expect(needsElement(paused, [])).toBe(false);
    expect(readyOf(result)).toMatchObject({ status: 'False', reason: 'ReconcilePaused' });
    expect(result).toMatchObject({ usable: false, step: { kind: 'none' }, requeue: 'never', statusEvents: [] });
  });
});

describe('planElementCluster: kstatus (Reconciling, Stalled)', () => {
  const kstatusOf = (p: ReturnType<typeof plan>) =>
    Object.fromEntries((p.status?.conditions ?? []).filter((c) => c.type === 'Reconciling' || c.type === 'Stalled').map((c) => [c.type, `${c.status}/${c.reason}`]));

  it('is done when connected: Reconciling=False, Stalled=False, at the current generation', () => {
    const result = plan({});

    expect(kstatusOf(result)).toEqual({ Reconciling: 'False/NotReconciling', Stalled: 'False/NotStalled' });
    expect(result.status?.conditions?.find((c) => c.type === 'Reconciling')?.observedGeneration).toBe(3);
  });

  it('is Reconciling while the MVIP cannot be reached (retried)', () => {
    const result = plan({ observation: probed({ kind: 'failed', reason: 'Unreachable', message: 'connect ECONNREFUSED' }) });

    expect(kstatusOf(result)).toEqual({ Reconciling: 'True/Unreachable', Stalled: 'False/NotStalled' });
  });

  it('is Stalled on IdentityMismatch: a human must act', () => {
    const known = cluster({ status: { clusterName: 'PROD', clusterUniqueID: 'ab12', clusterUUID: 'uuid-1' } });

    const result = plan({ cluster: known, observation: probed({ ...connected, uniqueID: 'zz99', uuid: 'uuid-2' }) });

    expect(kstatusOf(result)).toEqual({ Reconciling: 'False/NotReconciling', Stalled: 'True/IdentityMismatch' });
    expect(result.status?.conditions?.find((c) => c.type === 'Stalled')?.message).toContain('uuid-2');
  });

  it('is neither Reconciling nor Stalled while paused, even if it was stalled', () => {
    const paused = cluster({
      metadata: { annotations: { 'elementrepl.io/paused': 'true' } },
      status: { conditions: [condition('Ready', 'False', 'IdentityMismatch'), condition('Stalled', 'True', 'IdentityMismatch')] },
    });

    const result = plan({ cluster: paused, observation: { kind: 'skipped' } });

    expect(kstatusOf(result)).toEqual({ Reconciling: 'False/ReconcilePaused', Stalled: 'False/ReconcilePaused' });
  });
});
