import { describe, expect, it } from 'vitest';
import { allEvents } from '../shell/plan.ts';
import { LAG_STATUS_REFRESH_MS, currentLag, lagStatus, syncStatus } from './plan-lag.ts';
import { NOW, ownedStatus, pairedVolumes, scenario, UUID } from './plan-fixtures.ts';
import type { PlanInput } from './plan-types.ts';
import { planVolumePair } from './plan.ts';

const at = (offsetSeconds: number): string => new Date(Date.parse(NOW) + offsetSeconds * 1000).toISOString();
const kube = (offsetSeconds: number): string => `${at(offsetSeconds).slice(0, 19)}Z`;

describe('currentLag', () => {
  it('dates the last sync from asyncDelay and the time ListVolumeStats was sent', () => {
    expect(currentLag({ asyncDelaySeconds: 4.5, readAt: at(-10) }, undefined, NOW)).toEqual({ lastSyncTime: at(-14.5), seconds: 14.5 });
  });

  it('a synced source reads 0 lag at the time of reading, and grows with the clock after it', () => {
    expect(currentLag({ asyncDelaySeconds: 0, readAt: NOW }, undefined, NOW)?.seconds).toBe(0);
    expect(currentLag({ asyncDelaySeconds: 0, readAt: at(-30) }, undefined, NOW)?.seconds).toBe(30);
  });

  it('without a readable asyncDelay the lag grows from the last known sync, never 0', () => {
    const outage = currentLag({ lastKnownSync: at(-100) }, kube(-400), NOW);
    expect(outage).toEqual({ lastSyncTime: at(-100), seconds: 100 });
    // Only status is left (e.g. after a restart): the lag grows from it.
    expect(currentLag({}, kube(-400), NOW)?.seconds).toBe(400);
    expect(currentLag(undefined, kube(-400), NOW)?.seconds).toBe(400);
  });

  it('is unknown when no sync was ever known', () => {
    expect(currentLag({}, undefined, NOW)).toBeUndefined();
  });
});

describe('lagStatus: status follows the lag at most every 5 minutes, or when it crosses the threshold', () => {
  const written = { lastSyncTime: kube(-62), replicationLagSeconds: 2 }; // written 60 s ago
  const lag = (seconds: number) => ({ lastSyncTime: at(-seconds), seconds });

  it('writes the first reading at once', () => {
    expect(lagStatus({}, lag(3), NOW, 300)).toEqual({ fields: { lastSyncTime: kube(-3), replicationLagSeconds: 3 }, events: [] });
  });

  it('keeps the written values while a refresh is not due', () => {
    expect(lagStatus(written, lag(3), NOW, 300).fields).toEqual(written);
  });

  it('refreshes once the written values are 5 minutes old', () => {
    const old = { lastSyncTime: kube(-LAG_STATUS_REFRESH_MS / 1000 - 2), replicationLagSeconds: 2 };
    expect(lagStatus(old, lag(3), NOW, 300).fields).toEqual({ lastSyncTime: kube(-3), replicationLagSeconds: 3 });
  });

  it('refreshes at once, with a Warning, when the lag rises above the threshold', () => {
    const result = lagStatus(written, lag(301.7), NOW, 300);
    expect(result.fields).toEqual({ lastSyncTime: kube(-301.7), replicationLagSeconds: 301 });
    expect(result.events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'ReplicationLagging' })]);
    expect(result.events[0]?.message).toContain('301s');
  });

  it('refreshes at once, with a Normal Event, when it falls back under it', () => {
    const high = { lastSyncTime: kube(-1000), replicationLagSeconds: 940 };
    const result = lagStatus(high, lag(1), NOW, 300);
    expect(result.fields.replicationLagSeconds).toBe(1);
    expect(result.events).toEqual([expect.objectContaining({ type: 'Normal', reason: 'ReplicationCaughtUp' })]);
  });

  it('clears both fields when there is no lag to show', () => {
    expect(lagStatus(written, undefined, NOW, 300)).toEqual({ fields: { lastSyncTime: undefined, replicationLagSeconds: undefined }, events: [] });
  });
});

describe('syncStatus', () => {
  it('shows the sync job while Syncing, rounded and clamped', () => {
    expect(syncStatus({}, { syncJob: { percentComplete: 42.5, remainingSeconds: 17.6 } }, true)).toEqual({ percentComplete: 42.5, remainingSeconds: 18 });
  });
  it('keeps the last progress while Syncing without a job listed, and clears it otherwise', () => {
    expect(syncStatus({ sync: { percentComplete: 10 } }, {}, true)).toEqual({ percentComplete: 10 });
    expect(syncStatus({ sync: { percentComplete: 10 } }, { syncJob: { percentComplete: 99 } }, false)).toBeUndefined();
  });
});

describe('planVolumePair: lag and sync progress', () => {
  const established = (sState = 'Active', extra: Partial<PlanInput> = {}): PlanInput => ({
    ...scenario({ ...pairedVolumes(sState, sState === 'Active' ? 'Active' : sState), status: { ...ownedStatus, volumePairUUID: UUID } }),
    ...extra,
  });

  it('an Active pair gets lastSyncTime, replicationLagSeconds and the lag for the metric', () => {
    const plan = planVolumePair(established('Active', { replication: { asyncDelaySeconds: 2, readAt: at(-1) } }));
    expect(plan.status).toMatchObject({ lastSyncTime: kube(-3), replicationLagSeconds: 3 });
    expect(plan.replicationLag).toEqual({ lastSyncTime: at(-3), seconds: 3 });
    expect(plan.status.sync).toBeUndefined();
  });

  it('a side that cannot be read keeps the pair and lets the lag grow', () => {
    const input = scenario({ a: 'unreachable', b: 'unreachable', status: { ...ownedStatus, volumePairUUID: UUID, lastSyncTime: kube(-760), replicationLagSeconds: 560 } }); // written 200 s ago
    const plan = planVolumePair({ ...input, replication: { lastKnownSync: at(-700) }, lagWarningThresholdSeconds: 600 });
    expect(plan.replicationLag?.seconds).toBe(700);
    // 700 s crossed the 600 s threshold: written at once, with a Warning.
    expect(plan.status.replicationLagSeconds).toBe(700);
    expect(allEvents(plan).map((e) => e.reason)).toContain('ReplicationLagging');
  });

  it('a pair that is not established has no lag', () => {
    const plan = planVolumePair({ ...scenario(), replication: { asyncDelaySeconds: 1, readAt: NOW } });
    expect(plan.replicationLag).toBeUndefined();
    expect(plan.status.replicationLagSeconds).toBeUndefined();
  });

  it('a syncing pair shows the sync job in status.sync', () => {
    const plan = planVolumePair(established('ResumingDataTransfer', { replication: { syncJob: { percentComplete: 37, remainingSeconds: 12 } } }));
    expect(plan.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'Syncing' });
    expect(plan.status.sync).toEqual({ percentComplete: 37, remainingSeconds: 12 });
  });

  it('the paused annotation lets the lag grow from the last known sync', () => {
    const input = established('Active', { replication: { lastKnownSync: at(-50) } });
    const plan = planVolumePair({ ...input, volumePair: { ...input.volumePair, annotations: { 'elementrepl.io/paused': 'true' } } });
    expect(plan.replicationLag?.seconds).toBe(50);
  });
});

describe('currentLag and clock precision', () => {
  it('never reads below the asyncDelay when `now` (whole seconds) falls just before the read', () => {
    const readJustAfterNow = new Date(Date.parse(NOW) + 700).toISOString();
    expect(currentLag({ asyncDelaySeconds: 45, readAt: readJustAfterNow }, undefined, NOW)?.seconds).toBe(45);
  });
});
