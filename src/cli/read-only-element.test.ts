import { describe, expect, test } from 'vitest';
import { isMutatingMethod } from '../element/classify.ts';
import { MutationRefusedError, ReadOnlyElement } from './read-only-element.ts';
import type { ElementReads } from './read-only-element.ts';

/** A client that records every method called on it, whatever the method. */
function recordingClient(): { client: ElementReads; called: string[] } {
  const called: string[] = [];
  const client = new Proxy({}, {
    get: (_target, property) => (...args: unknown[]) => {
      called.push(String(property));
      return Promise.resolve(property === 'getClusterInfo' ? { uniqueID: 'abcd' } : args.length >= 0 ? [] : undefined);
    },
  }) as ElementReads;
  return { client, called };
}

const MUTATING = ['modifyVolume', 'startVolumePairing', 'completeVolumePairing', 'modifyVolumePair', 'removeVolumePair', 'startClusterPairing', 'completeClusterPairing', 'removeClusterPair'] as const;

describe('ReadOnlyElement', () => {
  test.each(MUTATING)('%s is refused before the wrapped client is called', async (method) => {
    const { client, called } = recordingClient();
    const readOnly = new ReadOnlyElement(client);
    const call = (readOnly as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    await expect(call?.call(readOnly, 1, 'key')).rejects.toBeInstanceOf(MutationRefusedError);
    expect(called).toEqual([]);
    expect(readOnly.calls).toEqual([]);
  });

  test('every refused method is one Element classifies as mutating', () => {
    const methods = MUTATING.map((m) => m[0]?.toUpperCase() + m.slice(1));
    expect(methods.every(isMutatingMethod)).toBe(true);
  });

  test('reads are forwarded and recorded', async () => {
    const { client, called } = recordingClient();
    const readOnly = new ReadOnlyElement(client);
    await readOnly.listVolumes({ volumeIDs: [1] });
    await readOnly.listActivePairedVolumes();
    await readOnly.getClusterInfo();
    expect(called).toEqual(['listVolumes', 'listActivePairedVolumes', 'getClusterInfo']);
    expect(readOnly.calls).toEqual(['ListVolumes', 'ListActivePairedVolumes', 'GetClusterInfo']);
  });

  test('the class has no method beyond the reads, the refusals and close', () => {
    const own = Object.getOwnPropertyNames(ReadOnlyElement.prototype).filter((n) => n !== 'constructor').sort();
    expect(own).toEqual([...MUTATING, 'close', 'getClusterInfo', 'getLimits', 'listActivePairedVolumes', 'listClusterPairs', 'listSyncJobs', 'listVolumeStats', 'listVolumes'].sort());
  });
});
