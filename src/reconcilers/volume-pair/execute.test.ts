// The Element steps of the VolumePair shell against a fake Element client behind the real
// observation cache: where the key goes after Start, and what each kind of Complete failure does
// to it (DESIGN §3: a refused Complete never reuses the key; an unknown outcome keeps it only when
// the pair is visibly there; xMVIPNotPaired waits quietly).
import { describe, expect, it } from 'vitest';
import type { VolumePair } from '../../api/index.ts';
import { ElementApiError, ElementConnectionError, encodeVolumePairingKey } from '../../element/index.ts';
import type { Volume } from '../../element/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { ObservationCache } from '../observation-cache.ts';
import { executeStep } from './execute.ts';
import type { StepEnv } from './execute.ts';
import type { PairingKeySecrets } from '../shell/pairing-key-secrets.ts';
import type { VolumePairElement, VolumePairReconcilerDeps } from './deps.ts';

type StoredKeyFacts = Readonly<Record<string, string>>;

const UUID = '44df1d5e-8694-4ed1-bdaf-fa773fb9b165';
const FACTS: StoredKeyFacts = { 'elementrepl.io/volume-pair-uuid': UUID, 'elementrepl.io/element-cluster': 'dc1', 'elementrepl.io/volume-id': '158' };
const KEY = encodeVolumePairingKey({ mvip: '127.0.0.1:1', volumeID: 158, volumeName: 'test', volumePairUUID: UUID });

function volume(volumeID: number, pairs: Volume['volumePairs'] = []): Volume {
  return {
    volumeID, name: `v${volumeID}`, accountID: 1, access: 'readWrite', totalSize: 1, enable512e: true, status: 'active',
    deleteTime: null, createTime: null, lastAccessTime: null, lastAccessTimeIO: null, volumePairs: pairs,
  };
}

class FakeElement implements VolumePairElement {
  calls: string[] = [];
  volumes = new Map<number, Volume>();
  failWith: unknown;
  async listClusterPairs() { return []; }
  async listActivePairedVolumes() { return []; }
  async listVolumeStats() { return []; }
  async listSyncJobs() { return []; }
  async listVolumes(params: { volumeIDs?: number[] }) {
    this.calls.push('ListVolumes');
    return (params.volumeIDs ?? []).flatMap((id) => this.volumes.get(id) ?? []);
  }
  async #mutate<T>(name: string, value: T): Promise<T> {
    this.calls.push(name);
    if (this.failWith !== undefined) throw this.failWith;
    return value;
  }
  modifyVolume() { return this.#mutate('ModifyVolume', undefined); }
  startVolumePairing() { return this.#mutate('StartVolumePairing', { volumePairingKey: KEY }); }
  completeVolumePairing(_id: number, key: string) { return this.#mutate(`CompleteVolumePairing(${key === KEY ? 'key' : 'other'})`, undefined); }
  modifyVolumePair(params: object) { return this.#mutate(`ModifyVolumePair${JSON.stringify(params)}`, undefined); }
  removeVolumePair() { return this.#mutate('RemoveVolumePair', undefined); }
}

function setup() {
  const element = { dc1: new FakeElement(), dc2: new FakeElement() };
  const cache = new ObservationCache<VolumePairElement>({ clientFor: (c) => element[c as 'dc1' | 'dc2'], pollIntervalMs: 60_000 });
  const stored = new Map<string, { key: string; facts: StoredKeyFacts }>();
  const keys = {
    exists: async () => stored.has('vp'),
    key: async () => stored.get('vp')?.key,
    store: async (_owner: unknown, key: string, facts: StoredKeyFacts) => void stored.set('vp', { key, facts }),
    delete: async () => stored.delete('vp'),
  } as unknown as PairingKeySecrets;
  const mutated: string[] = [];
  const deps = { kube: {} as KubeClient, cache, pollIntervalMs: 60_000 } as unknown as VolumePairReconcilerDeps;
  const ctx: StepEnv = {
    deps, keys, vp: {} as VolumePair, owner: { namespace: 'db', name: 'pg', uid: 'u1' },
    clusters: { A: 'dc1', B: 'dc2' }, volumeIDs: { A: 158, B: 260 },
    mutated: (cluster: string) => mutated.push(cluster),
  };
  return { element, stored, mutated, ctx };
}

const complete = { kind: 'completeVolumePairing', side: 'B', volumeID: 260 } as const;

describe('StartVolumePairing', () => {
  it('stores the key with its facts at once, marks both clusters mutated and reads both volumes again', async () => {
    const { element, stored, mutated, ctx } = setup();
    await executeStep({ kind: 'startVolumePairing', side: 'A', volumeID: 158, mode: 'Sync' }, ctx);
    expect(stored.get('vp')).toEqual({ key: KEY, facts: FACTS });
    expect(mutated.sort()).toEqual(['dc1', 'dc2']);
    expect(element.dc1.calls).toEqual(['StartVolumePairing', 'ListVolumes']);
    expect(element.dc2.calls).toEqual(['ListVolumes']);
  });
});

describe('CompleteVolumePairing', () => {
  it('uses the stored key on the target', async () => {
    const { element, stored, ctx } = setup();
    stored.set('vp', { key: KEY, facts: FACTS });
    expect(await executeStep(complete, ctx)).toEqual({});
    expect(element.dc2.calls[0]).toBe('CompleteVolumePairing(key)');
  });

  it('xMVIPNotPaired: keeps the key and waits, without an error', async () => {
    const { element, stored, ctx } = setup();
    stored.set('vp', { key: KEY, facts: FACTS });
    element.dc2.failWith = new ElementApiError('CompleteVolumePairing', 'xMVIPNotPaired', 500, 'not paired');
    const outcome = await executeStep(complete, ctx);
    expect(outcome.waiting).toContain('xMVIPNotPaired');
    expect(stored.has('vp')).toBe(true);
  });

  it('any other Element error: the key is discarded before the error surfaces', async () => {
    const { element, stored, ctx } = setup();
    stored.set('vp', { key: KEY, facts: FACTS });
    element.dc2.failWith = new ElementApiError('CompleteVolumePairing', 'xInvalidPairingKey', 500, 'bad key');
    await expect(executeStep(complete, ctx)).rejects.toThrow();
    expect(stored.has('vp')).toBe(false);
  });

  it('unknown outcome, pair not there: the key is discarded', async () => {
    const { element, stored, ctx } = setup();
    stored.set('vp', { key: KEY, facts: FACTS });
    element.dc2.volumes.set(260, volume(260));
    element.dc2.failWith = new ElementConnectionError('CompleteVolumePairing', 'dc2', 'ECONNRESET', true);
    await expect(executeStep(complete, ctx)).rejects.toThrow(ElementConnectionError);
    expect(stored.has('vp')).toBe(false);
  });

  it('unknown outcome, pair visibly there: the key is kept for the planner to verify and delete', async () => {
    const { element, stored, ctx } = setup();
    stored.set('vp', { key: KEY, facts: FACTS });
    const pair = { clusterPairID: 61, remoteVolumeID: 158, remoteVolumeName: 'v158', volumePairUUID: UUID, remoteReplication: { state: 'PausedMisconfigured', snapshotReplication: undefined } };
    element.dc2.volumes.set(260, volume(260, [pair]));
    element.dc2.failWith = new ElementConnectionError('CompleteVolumePairing', 'dc2', 'ECONNRESET', true);
    await expect(executeStep(complete, ctx)).rejects.toThrow(ElementConnectionError);
    expect(stored.has('vp')).toBe(true);
  });

  it('a call that was never sent leaves the key good', async () => {
    const { element, stored, ctx } = setup();
    stored.set('vp', { key: KEY, facts: FACTS });
    element.dc2.failWith = new ElementConnectionError('CompleteVolumePairing', 'dc2', 'ECONNREFUSED', false);
    await expect(executeStep(complete, ctx)).rejects.toThrow(ElementConnectionError);
    expect(stored.has('vp')).toBe(true);
  });

  it('no key Secret: refuses to run', async () => {
    const { element, ctx } = setup();
    await expect(executeStep(complete, ctx)).rejects.toThrow('pairing key Secret is gone');
    expect(element.dc2.calls).toEqual([]);
  });
});

describe('RemoveVolumePair and ModifyVolumePair', () => {
  it('a volume that no longer exists counts as removed', async () => {
    const { element, ctx } = setup();
    element.dc1.failWith = new ElementApiError('RemoveVolumePair', 'xVolumeIDDoesNotExist', 500, 'gone');
    await expect(executeStep({ kind: 'removeVolumePair', side: 'A', volumeID: 158, volumePairUUID: UUID, why: 'deletion' }, ctx)).resolves.toEqual({});
  });

  it('resuming sends pausedManual: false explicitly', async () => {
    const { element, ctx } = setup();
    await executeStep({ kind: 'modifyVolumePair', side: 'B', volumeID: 260, change: { pausedManual: false } }, ctx);
    expect(element.dc2.calls[0]).toBe('ModifyVolumePair{"volumeID":260,"pausedManual":false}');
  });
});
