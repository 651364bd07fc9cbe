import { describe, expect, test } from 'vitest';
import { UsageError } from './args.ts';
import type { FlagValues } from './args.ts';
import { directionPatch, drRequest, pairsOfClusterPair, splitTargets } from './dr-targets.ts';
import type { DrVolumePair } from './dr-targets.ts';

const request = (flags: FlagValues, positionals: string[] = []) => drRequest(flags, positionals, () => 'ctx-ns');

const vp = (namespace: string, name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): DrVolumePair => ({
  metadata: { name, namespace },
  spec: { clusterPairRef: { name: 'dc1-dc2' }, ...spec },
  ...(status ? { status } : {}),
});

describe('drRequest', () => {
  test('names in the context namespace, or -n', () => {
    expect(request({ to: 'B' }, ['a', 'b', 'a'])).toMatchObject({ names: ['a', 'b'], namespace: 'ctx-ns', to: 'B', wait: false, force: false });
    expect(request({ to: 'A', namespace: 'db' }, ['a']).namespace).toBe('db');
  });

  test('--cluster-pair spans every namespace unless -n narrows it; --timeout is a duration', () => {
    const all = request({ 'cluster-pair': 'dc1-dc2', to: 'B', wait: true, timeout: '90s' });
    expect(all).toMatchObject({ names: [], clusterPair: 'dc1-dc2', wait: true, timeoutMs: 90_000 });
    expect(all.namespace).toBeUndefined();
    expect(request({ 'cluster-pair': 'dc1-dc2', to: 'B', namespace: 'db' }).namespace).toBe('db');
    expect(request({ 'cluster-pair': 'x', to: 'B', wait: true }).timeoutMs).toBe(15 * 60_000);
  });

  test.each([
    [{ to: 'B' }, [], 'name the VolumePairs'],
    [{ to: 'B', 'cluster-pair': 'x' }, ['a'], 'not both'],
    [{}, ['a'], '--to A|B is required'],
    [{ to: 'B', 'all-namespaces': true }, ['a'], '-A applies to --cluster-pair'],
    [{ to: 'B', 'cluster-pair': 'x', 'all-namespaces': true, namespace: 'db' }, [], '-n and -A'],
    [{ to: 'B', 'cluster-pair': 'x', timeout: '5m' }, [], '--timeout applies to --wait'],
    [{ to: 'B', 'cluster-pair': 'x', wait: true, timeout: 'soon' }, [], 'duration'],
  ] as [FlagValues, string[], string][])('%j %j is a usage error', (flags, positionals, message) => {
    expect(() => request(flags, positionals)).toThrow(UsageError);
    expect(() => request(flags, positionals)).toThrow(message);
  });
});

describe('target selection', () => {
  test('the pairs of one ClusterPair, in namespace/name order', () => {
    const pairs = [vp('b', 'x', {}), vp('a', 'y', {}), { ...vp('a', 'z', {}), spec: { clusterPairRef: { name: 'other' } } }, vp('a', 'x', {})];
    expect(pairsOfClusterPair(pairs, 'dc1-dc2').map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['a/x', 'a/y', 'b/x']);
  });

  test('already on the side = asked for and established with no switchover under way; the rest is patched', () => {
    const onB = vp('a', 'on-b', { primarySide: 'B' }, { primarySide: 'B' });
    const switching = vp('a', 'switching', { primarySide: 'B' }, { primarySide: 'B', switchover: { phase: 'Promoting' } });
    const askedOnly = vp('a', 'asked', { primarySide: 'B' }, { primarySide: 'A' });
    const onA = vp('a', 'on-a', {}, { primarySide: 'A' });
    const { patch, already } = splitTargets([onB, switching, askedOnly, onA], 'B');
    expect(already.map((p) => p.metadata.name)).toEqual(['on-b']);
    expect(patch.map((p) => p.metadata.name)).toEqual(['switching', 'asked', 'on-a']);
    expect(splitTargets([onA], 'A').already).toHaveLength(1);
  });

  test('the patch sets the side and the failover mode', () => {
    expect(directionPatch('B', 'Forced')).toEqual({ spec: { primarySide: 'B', failover: 'Forced' } });
    expect(directionPatch('A', 'Planned')).toEqual({ spec: { primarySide: 'A', failover: 'Planned' } });
  });
});
