// EventRecorder against the real kube-apiserver: events.k8s.io/v1 Events are accepted as written
// (MicroTime, reporting fields, note limit), repeats become a series on one Event, cluster-scoped
// objects get their Events in "default", and a deleted Event is created again.
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { beforeAll, describe, expect, test } from 'vitest';
import { EventRecorder, REPORTING_CONTROLLER, eventsClient, objectReference } from '../src/kube/events.ts';
import type { EventObjectRef, EventsClient } from '../src/kube/events.ts';
import { adminClient, createTestNamespace, kubeconfigPath } from './helpers/kube.ts';

interface StoredEvent {
  metadata: { name: string; namespace: string };
  reason: string;
  note: string;
  type: string;
  action: string;
  reportingController: string;
  reportingInstance: string;
  regarding: { uid?: string; name: string };
  series?: { count: number; lastObservedTime: string };
}

const lines: string[] = [];
const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
let ns = '';
let client: EventsClient;
let configMap: EventObjectRef;

beforeAll(async () => {
  ns = await createTestNamespace('events');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath());
  client = eventsClient(kubeConfig);
  const created = await adminClient().request('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'subject' } });
  expect(created.status).toBe(201);
  configMap = objectReference(created.body as Parameters<typeof objectReference>[0]);
});

async function eventsIn(namespace: string, uid: string | undefined): Promise<StoredEvent[]> {
  const response = await adminClient().request('GET', `/apis/events.k8s.io/v1/namespaces/${namespace}/events`);
  expect(response.status).toBe(200);
  return (response.body as { items: StoredEvent[] }).items.filter((e) => e.regarding.uid === uid);
}

function recorder(): EventRecorder {
  return new EventRecorder({ client, log, reportingInstance: 'operator-test-0' });
}

describe('EventRecorder on a real API server', () => {
  test('creates one Event and folds repeats into its series', async () => {
    const events = recorder();
    for (let i = 0; i < 3; i++) events.warning(configMap, 'PeerUnreachable', 'Observe', 'dc2 does not answer');
    await events.flush();

    const stored = await eventsIn(ns, configMap.uid);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      reason: 'PeerUnreachable',
      type: 'Warning',
      action: 'Observe',
      note: 'dc2 does not answer',
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: 'operator-test-0',
      series: { count: 3 },
    });
    expect(stored[0]?.series?.lastObservedTime).toMatch(/\.\d{6}Z$/);
    expect(lines.join('')).not.toContain('event not recorded');
  });

  test('puts Events about cluster-scoped objects into default', async () => {
    const namespace = await adminClient().request('GET', `/api/v1/namespaces/${ns}`);
    const regarding = objectReference(namespace.body as Parameters<typeof objectReference>[0]);
    const events = recorder();
    events.normal(regarding, 'AdoptedExistingPair', 'Adopt', 'adopted cluster pair 3');
    await events.flush();

    expect(await eventsIn('default', regarding.uid)).toHaveLength(1);
    expect(lines.join('')).not.toContain('event not recorded');
  });

  test('scrubs the note and keeps it within the API limit', async () => {
    const key = Buffer.from(JSON.stringify({ mvip: '10.0.0.10', password: 'Pq7sXz9LmN', username: '__SF_pair_1' })).toString('hex');
    const events = recorder();
    events.warning(configMap, 'PairingFailed', 'Pair', `CompleteClusterPairing(${key}) failed ${'x'.repeat(3000)}`);
    await events.flush();

    const [stored] = (await eventsIn(ns, configMap.uid)).filter((e) => e.reason === 'PairingFailed');
    expect(stored?.note).toContain('CompleteClusterPairing([REDACTED]) failed');
    expect(stored?.note).not.toContain(key.slice(0, 32));
    expect(lines.join('')).not.toContain('event not recorded');
  });

  test('creates the Event again after it was deleted', async () => {
    const events = recorder();
    events.normal(configMap, 'DriftCorrected', 'Modify', 'mode set back to Async');
    await events.flush();
    const [first] = (await eventsIn(ns, configMap.uid)).filter((e) => e.reason === 'DriftCorrected');
    expect(first).toBeDefined();
    const deleted = await adminClient().request('DELETE', `/apis/events.k8s.io/v1/namespaces/${ns}/events/${first?.metadata.name}`);
    expect(deleted.status).toBe(200);

    events.normal(configMap, 'DriftCorrected', 'Modify', 'mode set back to Async');
    await events.flush();

    const again = (await eventsIn(ns, configMap.uid)).filter((e) => e.reason === 'DriftCorrected');
    expect(again).toHaveLength(1);
    expect(again[0]?.metadata.name).not.toBe(first?.metadata.name);
  });
});
