// Replays element-api.md §6 F7–F12 (volume pairing and listing) against the client over real
// HTTPS on loopback: checks the request the client sends and what it makes of the answer.
import { describe, expect, it } from 'vitest';
import { classifyElementError } from './classify.ts';
import { decodeVolumePairingKey } from './keys.ts';
import { F7_PENDING_VOLUME_PAIR, F7_VOLUME_KEY, VOLUME_PAIR_UUID, f9Volume } from './testing/element-api-examples.ts';
import { routeByMethod } from './testing/fixture-server.ts';
import { rejection, useReplayServers } from './testing/replay-setup.ts';

const ctx = useReplayServers();

describe('F7–F11 volume pairing', () => {
  it('F7 StartVolumePairing sends volumeID and mode and returns a key for that volume', async () => {
    ctx.prod.setHandler(
      routeByMethod({
        StartVolumePairing: [{ id: 4, result: { volumePairingKey: F7_VOLUME_KEY } }, { error: { name: 'xVolumeAlreadyPaired' } }],
        ListVolumes: { result: { volumes: [f9Volume({ volumePairs: [F7_PENDING_VOLUME_PAIR] })] } },
        RemoveVolumePair: { result: {} },
      }),
    );
    const element = ctx.client(ctx.prod, { apiVersion: '12.5' });

    const { volumePairingKey } = await element.startVolumePairing(158, 'Async');
    const [volume] = await element.listVolumes({ volumeIDs: [158], isPaired: true });
    const second = await rejection(element.startVolumePairing(158));
    await element.removeVolumePair(158);

    expect(ctx.prod.rpcCalls().map((c) => [c.method, c.params])).toEqual([
      ['StartVolumePairing', { volumeID: 158, mode: 'Async' }],
      ['ListVolumes', { volumeIDs: [158], isPaired: true }],
      ['StartVolumePairing', { volumeID: 158 }],
      ['RemoveVolumePair', { volumeID: 158 }],
    ]);
    expect(decodeVolumePairingKey(volumePairingKey)).toMatchObject({ volumeID: 158, volumeName: 'test', volumePairUUID: VOLUME_PAIR_UUID });
    expect(volume?.volumePairs[0]?.remoteReplication?.state).toBe('Unconfigured');
    expect(second).toMatchObject({ name: 'xVolumeAlreadyPaired' });
  });

  it('F8 CompleteVolumePairing sends the key and the target volume, then the target becomes replicationTarget', async () => {
    ctx.dr.setHandler(
      routeByMethod({
        CompleteVolumePairing: { id: 5, result: {} },
        ModifyVolume: { result: { volume: f9Volume({ volumeID: 260, name: 'testr', access: 'replicationTarget' }) } },
      }),
    );
    const element = ctx.client(ctx.dr, { apiVersion: '12.5' });

    await expect(element.completeVolumePairing(260, F7_VOLUME_KEY)).resolves.toBeUndefined();
    const modified = await element.modifyVolume({ volumeID: 260, access: 'replicationTarget' });

    expect(ctx.dr.rpcCalls().map((c) => [c.method, c.params])).toEqual([
      ['CompleteVolumePairing', { volumeID: 260, volumePairingKey: F7_VOLUME_KEY }],
      ['ModifyVolume', { volumeID: 260, access: 'replicationTarget' }],
    ]);
    expect(modified).toMatchObject({ volumeID: 260, access: 'replicationTarget' });
  });

  it.each(['xMVIPNotPaired', 'xInvalidPairingKey', 'xDBVersionMismatch'])('F8 CompleteVolumePairing failing with %s is final', async (name) => {
    ctx.dr.setHandler(routeByMethod({ CompleteVolumePairing: { error: { name } } }));
    const error = await rejection(ctx.client(ctx.dr, { apiVersion: '12.5' }).completeVolumePairing(260, F7_VOLUME_KEY));
    expect(error).toMatchObject({ name, method: 'CompleteVolumePairing' });
    expect(classifyElementError('CompleteVolumePairing', error)).toBe('final');
  });

  it('F9 ListActivePairedVolumes reads the synced pair', async () => {
    ctx.prod.setHandler(routeByMethod({ ListActivePairedVolumes: { id: 6, result: { volumes: [f9Volume()] } } }));
    const [volume] = await ctx.client(ctx.prod, { apiVersion: '12.5' }).listActivePairedVolumes();
    // The client pages with ListVolumes' documented page size (one page here).
    expect(ctx.prod.rpcCalls()[0]?.params).toEqual({ limit: 10000 });
    expect(volume).toMatchObject({ volumeID: 158, access: 'readWrite', totalSize: 2000683008, enable512e: true, lastAccessTime: null, deleteTime: null });
    expect(volume?.volumePairs).toEqual([
      {
        clusterPairID: 55,
        remoteVolumeID: 260,
        remoteVolumeName: 'testr',
        volumePairUUID: VOLUME_PAIR_UUID,
        remoteReplication: { mode: 'Async', state: 'Active', snapshotReplication: { state: 'Idle' } },
      },
    ]);
  });

  it('F10 ModifyVolumePair sends pausedManual true, an explicit false, and mode', async () => {
    ctx.prod.setHandler(routeByMethod({ ModifyVolumePair: { id: 8, result: {} } }));
    const element = ctx.client(ctx.prod, { apiVersion: '12.5' });
    await element.modifyVolumePair({ volumeID: 158, pausedManual: true });
    await element.modifyVolumePair({ volumeID: 158, pausedManual: false });
    await element.modifyVolumePair({ volumeID: 158, mode: 'Sync' });
    expect(ctx.prod.rpcCalls().map((c) => c.params)).toEqual([
      { volumeID: 158, pausedManual: true },
      { volumeID: 158, pausedManual: false },
      { volumeID: 158, mode: 'Sync' },
    ]);
  });

  it('F11 RemoveVolumePair on each side, and the survivor reads StoppedMisconfigured', async () => {
    ctx.prod.setHandler(routeByMethod({ RemoveVolumePair: { result: {} } }));
    const survivor = f9Volume({ volumeID: 260, access: 'replicationTarget' });
    const pair = (survivor.volumePairs as Record<string, unknown>[])[0] ?? {};
    ctx.dr.setHandler(
      routeByMethod({
        ListVolumes: { result: { volumes: [{ ...survivor, volumePairs: [{ ...pair, remoteReplication: { mode: 'Async', state: 'StoppedMisconfigured' } }] }] } },
        RemoveVolumePair: { result: {} },
      }),
    );
    await ctx.client(ctx.prod, { apiVersion: '12.5' }).removeVolumePair(158);
    const onDr = ctx.client(ctx.dr, { apiVersion: '12.5' });
    const [left] = await onDr.listVolumesByIds([260]);
    await onDr.removeVolumePair(260);
    expect(left?.volumePairs[0]?.remoteReplication?.state).toBe('StoppedMisconfigured');
    expect(ctx.dr.rpcCalls().map((c) => [c.method, c.params])).toEqual([
      ['ListVolumes', { volumeIDs: [260] }],
      ['RemoveVolumePair', { volumeID: 260 }],
    ]);
  });
});

describe('F12 ListVolumes filters', () => {
  it.each([
    ['an empty list', { result: { volumes: [] } }],
    ['xVolumeIDDoesNotExist', { error: { name: 'xVolumeIDDoesNotExist', message: 'VolumeID 9999 does not exist.' } }],
  ] as const)('reads a missing volume answered with %s as absent', async (_name, reply) => {
    ctx.prod.setHandler(routeByMethod({ ListVolumes: reply }));
    await expect(ctx.client(ctx.prod, { apiVersion: '12.5' }).listVolumesByIds([9999])).resolves.toEqual([]);
  });

  it('finds the existing volumes when a multi-ID request fails for one missing ID', async () => {
    ctx.prod.setHandler(
      routeByMethod({
        ListVolumes: (r) => {
          const ids = (r.rpc?.params as { volumeIDs: number[] }).volumeIDs;
          if (ids.includes(9999)) return { error: { name: 'xVolumeIDDoesNotExist' } };
          return { result: { volumes: ids.map((volumeID) => f9Volume({ volumeID })) } };
        },
      }),
    );
    const volumes = await ctx.client(ctx.prod, { apiVersion: '12.5' }).listVolumesByIds([158, 9999, 159, 158]);
    expect(volumes.map((v) => v.volumeID)).toEqual([158, 159]);
  });

  it('does not ask for an empty ID list', async () => {
    await expect(ctx.client(ctx.prod, { apiVersion: '12.5' }).listVolumesByIds([])).resolves.toEqual([]);
    expect(ctx.prod.requests).toHaveLength(0);
  });

  it('passes isPaired and surfaces xInvalidParameterType', async () => {
    ctx.prod.setHandler(
      routeByMethod({
        ListVolumes: (r) =>
          (r.rpc?.params as { accounts?: unknown }).accounts === 7
            ? { error: { name: 'xInvalidParameterType', message: 'accounts: Invalid type: expected array but found 7' } }
            : { result: { volumes: [f9Volume()] } },
      }),
    );
    const element = ctx.client(ctx.prod, { apiVersion: '12.5' });
    await expect(element.listVolumes({ isPaired: true })).resolves.toHaveLength(1);
    const error = await rejection(element.listVolumes({ accounts: 7 as unknown as number[] }));
    expect(error).toMatchObject({ name: 'xInvalidParameterType', message: 'accounts: Invalid type: expected array but found 7' });
    expect(ctx.prod.rpcCalls()[0]?.params).toEqual({ isPaired: true, limit: 10000 });
  });
});
