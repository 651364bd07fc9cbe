import type { EventsV1Event } from '@kubernetes/client-node';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EventRecorder, MAX_NOTE_BYTES, REPORTING_CONTROLLER, objectReference, truncateUtf8 } from './events.ts';
import type { EventObjectRef, EventsClient } from './events.ts';

class FakeEvents {
  readonly created: { namespace: string; body: EventsV1Event; wire: Record<string, unknown> }[] = [];
  readonly patched: { name: string; namespace: string; body: unknown; wire: unknown }[] = [];
  failWith: Error | undefined;
  patchStatus: number | undefined;

  readonly client: EventsClient = {
    createNamespacedEvent: async ({ namespace, body }) => {
      if (this.failWith) throw this.failWith;
      this.created.push({ namespace, body, wire: JSON.parse(JSON.stringify(body)) as Record<string, unknown> });
      return body;
    },
    patchNamespacedEvent: async ({ name, namespace, body }) => {
      if (this.patchStatus) throw Object.assign(new Error(`HTTP ${this.patchStatus}`), { code: this.patchStatus });
      this.patched.push({ name, namespace, body, wire: JSON.parse(JSON.stringify(body)) as unknown });
      return {} as EventsV1Event;
    },
  };
}

const clusterPair: EventObjectRef = { apiVersion: 'elementrepl.io/v1alpha1', kind: 'ClusterPair', name: 'dc1-dc2', uid: 'uid-cp' };
const volumePair: EventObjectRef = { apiVersion: 'elementrepl.io/v1alpha1', kind: 'VolumePair', name: 'pair-1', namespace: 'db', uid: 'uid-vp', resourceVersion: '42' };

function setup(options: { now?: () => number } = {}) {
  const fake = new FakeEvents();
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const recorder = new EventRecorder({ client: fake.client, log, reportingInstance: 'operator-7d9f-abcde', ...options });
  return { fake, recorder, lines };
}

describe('EventRecorder', () => {
  it('creates an events.k8s.io/v1 Event with reporting fields and the full object reference', async () => {
    const { fake, recorder } = setup({ now: () => Date.parse('2030-01-02T03:04:05.678Z') });
    recorder.normal(volumePair, 'VolumePairingCompleted', 'Pair', 'paired volume 158 on dc1 with 201 on dc2');
    await recorder.flush();

    expect(fake.created).toHaveLength(1);
    const { namespace, wire } = fake.created[0] ?? { namespace: '', wire: {} as Record<string, unknown> };
    expect(namespace).toBe('db');
    expect(wire).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { namespace: 'db' },
      eventTime: '2030-01-02T03:04:05.678000Z',
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: 'operator-7d9f-abcde',
      action: 'Pair',
      reason: 'VolumePairingCompleted',
      type: 'Normal',
      note: 'paired volume 158 on dc1 with 201 on dc2',
      regarding: { apiVersion: 'elementrepl.io/v1alpha1', kind: 'VolumePair', name: 'pair-1', namespace: 'db', uid: 'uid-vp', resourceVersion: '42' },
    });
    expect((wire['metadata'] as { name: string }).name).toMatch(/^pair-1\.[0-9a-f]+$/);
  });

  it('puts Events about cluster-scoped objects into the default namespace', async () => {
    const { fake, recorder } = setup();
    recorder.warning(clusterPair, 'ClusterUnreachable', 'Observe', 'dc2 does not answer');
    await recorder.flush();
    expect(fake.created[0]?.namespace).toBe('default');
    expect(fake.created[0]?.wire['regarding']).not.toHaveProperty('namespace');
  });

  it('patches the series of the existing Event for a repeat instead of creating another', async () => {
    let now = Date.parse('2030-01-02T03:04:05Z');
    const { fake, recorder } = setup({ now: () => now });
    recorder.warning(clusterPair, 'ClusterUnreachable', 'Observe', 'dc2 does not answer');
    now += 30_000;
    recorder.warning(clusterPair, 'ClusterUnreachable', 'Observe', 'dc2 does not answer');
    now += 30_000;
    recorder.warning(clusterPair, 'ClusterUnreachable', 'Observe', 'dc2 does not answer');
    await recorder.flush();

    expect(fake.created).toHaveLength(1);
    const name = (fake.created[0]?.wire['metadata'] as { name: string }).name;
    expect(fake.patched.map((p) => [p.name, p.namespace])).toEqual([[name, 'default'], [name, 'default']]);
    expect(fake.patched[1]?.wire).toEqual([{ op: 'add', path: '/series', value: { count: 3, lastObservedTime: '2030-01-02T03:05:05.000000Z' } }]);
  });

  it('creates a new Event when the series target is gone', async () => {
    const { fake, recorder } = setup();
    recorder.warning(clusterPair, 'ClusterUnreachable', 'Observe', 'dc2 does not answer');
    await recorder.flush();
    fake.patchStatus = 404;
    recorder.warning(clusterPair, 'ClusterUnreachable', 'Observe', 'dc2 does not answer');
    await recorder.flush();
    expect(fake.created).toHaveLength(2);
  });

  it('rate-limits a flapping condition on one object', async () => {
    const { fake, recorder } = setup();
    for (let i = 0; i < 20; i++) recorder.warning(clusterPair, 'ConnectionChanged', 'Observe', i % 2 ? 'Connected' : 'Disconnected');
    await recorder.flush();
    expect(fake.created.length + fake.patched.length).toBe(5);
  });

  it('scrubs secrets from the note and keeps it within 1 KB', async () => {
    const key = Buffer.from(JSON.stringify({ mvip: '10.0.0.10', password: 'Pq7sXz9LmN', username: '__SF_pair_1' })).toString('hex');
    const { fake, recorder } = setup();
    recorder.warning(volumePair, 'PairingFailed', 'Pair', `CompleteVolumePairing(${key}) failed, password=hunter2 ${'é'.repeat(2000)}`);
    await recorder.flush();

    const note = fake.created[0]?.body.note ?? '';
    expect(note).not.toContain(key.slice(0, 32));
    expect(note).not.toContain('hunter2');
    expect(note).toContain('CompleteVolumePairing([REDACTED]) failed');
    expect(Buffer.byteLength(note)).toBeLessThanOrEqual(MAX_NOTE_BYTES);
  });

  it('never throws: API failures and bad input are logged', async () => {
    const { fake, recorder, lines } = setup();
    fake.failWith = Object.assign(new Error('HTTP 403 Forbidden'), { code: 403 });
    expect(() => recorder.warning(volumePair, 'PairingFailed', 'Pair', 'x')).not.toThrow();
    expect(() => recorder.warning(volumePair, 'not camel case', 'Pair', 'x')).not.toThrow();
    await expect(recorder.flush()).resolves.toBeUndefined();
    expect(lines.join('')).toContain('event not recorded');
    expect(lines.join('')).toContain('UpperCamelCase');
  });
});

describe('objectReference', () => {
  it('takes apiVersion, kind and the identifying metadata', () => {
    const ref = objectReference({ apiVersion: 'elementrepl.io/v1alpha1', kind: 'VolumePair', metadata: { name: 'p', namespace: 'db', uid: 'u', resourceVersion: '7' } });
    expect(ref).toEqual({ apiVersion: 'elementrepl.io/v1alpha1', kind: 'VolumePair', name: 'p', namespace: 'db', uid: 'u', resourceVersion: '7' });
  });
});

describe('truncateUtf8', () => {
  it('cuts on a character boundary and marks the cut', () => {
    const cut = truncateUtf8('😀'.repeat(10), 17);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(17);
    expect(cut).toBe('😀😀😀…');
  });
});
