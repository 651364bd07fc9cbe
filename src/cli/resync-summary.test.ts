import { describe, expect, test } from 'vitest';
import { clusterOfSide, resyncIncident, resyncSummary } from './resync-summary.ts';
import type { DrVolumePair } from './dr-targets.ts';

const pair = (incident: unknown, annotations: Record<string, string> = {}): DrVolumePair => ({
  metadata: { name: 'pg', namespace: 'db', annotations },
  spec: { clusterPairRef: { name: 'cp' }, sideA: { volumeID: 158 }, sideB: { volumeID: 260 }, primarySide: 'B' },
  status: { incident, conditions: [{ type: 'Stalled', status: 'True', reason: 'ResyncRequired', message: 'both writable' }] },
});
const incident = { reason: 'ResyncRequired', side: 'A', id: 158, token: '3f2a9c1d', since: '2025-01-02T03:04:05Z' };

describe('resyncIncident', () => {
  test('the ResyncRequired incident and the approval that names it', () => {
    expect(resyncIncident(pair(incident))).toEqual({ side: 'A', volumeID: 158, token: '3f2a9c1d', since: '2025-01-02T03:04:05Z', approval: 'A:158:3f2a9c1d', alreadyApproved: false });
    expect(resyncIncident(pair(incident, { 'elementrepl.io/approve-resync': 'A:158:3f2a9c1d' }))).toMatchObject({ alreadyApproved: true });
    expect(resyncIncident(pair(incident, { 'elementrepl.io/approve-resync': 'A:158:old' }))).toMatchObject({ alreadyApproved: false });
  });

  test('no incident, another incident, an incomplete one: a sentence', () => {
    expect(resyncIncident(pair(undefined))).toMatch(/db\/pg has no resync to approve \(status.incident: none\)/);
    expect(resyncIncident(pair({ ...incident, reason: 'UnexplainedPendingPair' }))).toMatch(/status.incident: UnexplainedPendingPair/);
    expect(resyncIncident(pair({ reason: 'ResyncRequired', token: 't' }))).toMatch(/incomplete/);
  });
});

describe('resyncSummary', () => {
  test('names the volume overwritten, its side and ElementCluster, since when, and the primary', () => {
    const vp = pair(incident);
    const found = resyncIncident(vp);
    if (typeof found === 'string') throw new Error(found);
    const text = resyncSummary(vp, found, { A: clusterOfSide({ spec: { clusterARef: { name: 'dc1' }, clusterBRef: { name: 'dc2' } } }, 'A'), B: 'dc2' });
    expect(text).toContain('VolumePair db/pg: ResyncRequired (incident 3f2a9c1d, since 2025-01-02T03:04:05Z)');
    expect(text).toContain('Will be overwritten: volume 158 on side A (ElementCluster dc1)');
    expect(text).toContain('side B (volume 260 on ElementCluster dc2)');
    expect(text).toContain('elementrepl.io/approve-resync="A:158:3f2a9c1d"');
  });
});
