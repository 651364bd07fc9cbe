// An EventRecorder writing events.k8s.io/v1 Events the way client-go's new events library does:
// reportingController/reportingInstance/action, a note of at most 1 KB, repeats folded into
// `series` of the existing Event, and a per-object+reason rate limit (src/observability/event-dedup.ts).
// Recording is fire-and-forget: writes run one at a time in the background and failures are
// logged, never thrown, because an Event must never fail a reconcile.
import { hostname } from 'node:os';
import { EventsV1Api, V1MicroTime } from '@kubernetes/client-node';
import type { EventsV1Event, KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { EventDeduper } from '../observability/event-dedup.ts';
import type { EventDedupOptions, EventIdentity } from '../observability/event-dedup.ts';
import { scrubText } from '../observability/redact.ts';
import { errorSummary, statusCode } from './error-summary.ts';

export const REPORTING_CONTROLLER = 'elementrepl.io/operator';
export const MAX_NOTE_BYTES = 1024;

export type EventType = 'Normal' | 'Warning';

/** The object an Event is about; cluster-scoped objects have no namespace. */
export interface EventObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface EventRecord {
  regarding: EventObjectRef;
  type: EventType;
  /** Stable UpperCamelCase reason, e.g. `ClusterPairingCompleted`. */
  reason: string;
  /** What the operator did or failed to do, UpperCamelCase, e.g. `Pair`. */
  action: string;
  /** Free text for humans; scrubbed of secrets and cut to 1 KB. */
  note: string;
}

export type EventsClient = Pick<EventsV1Api, 'createNamespacedEvent' | 'patchNamespacedEvent'>;

/** The events.k8s.io/v1 API of a cluster (code outside src/kube never touches client-node itself). */
export function eventsClient(kubeConfig: KubeConfig): EventsClient {
  return kubeConfig.makeApiClient(EventsV1Api);
}

export interface EventRecorderOptions {
  client: EventsClient;
  log: Logger;
  /** Pod name; defaults to $POD_NAME, else the hostname (a pod's hostname is its name). */
  reportingInstance?: string;
  dedup?: Partial<EventDedupOptions>;
  /** Wall clock in ms (tests). */
  now?: () => number;
  /** Events waiting to be written beyond which new ones are dropped. */
  maxPending?: number;
}

const CAMEL = /^[A-Z][A-Za-z0-9]{0,127}$/;

/** Of an error message, in a log line. */
const MAX_ERROR_CHARS = 300;

export class EventRecorder {
  private readonly client: EventsClient;
  private readonly log: Logger;
  private readonly instance: string;
  private readonly dedup: EventDeduper;
  private readonly now: () => number;
  private readonly maxPending: number;
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private sequence = 0;

  constructor(options: EventRecorderOptions) {
    this.client = options.client;
    this.log = options.log;
    this.instance = (options.reportingInstance ?? process.env['POD_NAME'] ?? hostname()).slice(0, 128);
    this.dedup = new EventDeduper(options.dedup);
    this.now = options.now ?? Date.now;
    this.maxPending = options.maxPending ?? 1000;
  }

  normal(regarding: EventObjectRef, reason: string, action: string, note: string): void {
    this.record({ regarding, type: 'Normal', reason, action, note });
  }

  warning(regarding: EventObjectRef, reason: string, action: string, note: string): void {
    this.record({ regarding, type: 'Warning', reason, action, note });
  }

  /** Queues the Event; returns at once and never throws. */
  record(event: EventRecord): void {
    try {
      if (!CAMEL.test(event.reason) || !CAMEL.test(event.action)) {
        this.log.error({ reason: event.reason, action: event.action }, 'event dropped: reason and action must be UpperCamelCase');
        return;
      }
      if (this.pending >= this.maxPending) {
        this.log.warn({ reason: event.reason, regarding: describe(event.regarding) }, 'event dropped: too many pending events');
        return;
      }
      const prepared = { ...event, note: truncateUtf8(scrubText(event.note), MAX_NOTE_BYTES) };
      const occurredMs = this.now();
      this.pending += 1;
      this.tail = this.tail
        .then(() => this.write(prepared, occurredMs))
        .catch((err: unknown) => this.log.warn({ err: errorSummary(err, MAX_ERROR_CHARS), reason: event.reason }, 'event not recorded'))
        .finally(() => {
          this.pending -= 1;
        });
    } catch (err) {
      this.log.warn({ err: errorSummary(err, MAX_ERROR_CHARS) }, 'event not recorded');
    }
  }

  /** Resolves when every Event recorded so far has been written or given up on. */
  flush(): Promise<void> {
    return this.tail;
  }

  private async write(event: EventRecord, nowMs: number): Promise<void> {
    const identity: EventIdentity = { object: objectKey(event.regarding), type: event.type, reason: event.reason, action: event.action, note: event.note };
    const decision = this.dedup.decide(identity, nowMs);
    if (decision.kind === 'suppress') {
      this.log.debug({ reason: event.reason, regarding: describe(event.regarding) }, 'event rate-limited');
      return;
    }
    if (decision.kind === 'series') {
      try {
        await this.client.patchNamespacedEvent({
          name: decision.eventName,
          namespace: decision.namespace,
          // JSON patch: the client's default patch content type for Events.
          body: [{ op: 'add', path: '/series', value: { count: decision.count, lastObservedTime: new V1MicroTime(nowMs) } }],
        });
        return;
      } catch (err) {
        if (statusCode(err) !== 404) throw err;
        // Expired (event TTL) or deleted: start a new Event.
        this.dedup.forget(identity);
      }
    }
    const body = this.eventBody(event, nowMs);
    const namespace = body.metadata?.namespace ?? 'default';
    await this.client.createNamespacedEvent({ namespace, body });
    this.dedup.created(identity, body.metadata?.name ?? '', namespace, nowMs);
  }

  private eventBody(event: EventRecord, nowMs: number): EventsV1Event {
    const { regarding } = event;
    // Events about cluster-scoped objects live in "default", as client-go puts them.
    const namespace = regarding.namespace || 'default';
    const suffix = (BigInt(nowMs) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16);
    const base = regarding.name.slice(0, 253 - suffix.length - 1).replace(/[.-]+$/, '');
    return {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: `${base}.${suffix}`, namespace },
      eventTime: new V1MicroTime(nowMs),
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: this.instance,
      action: event.action,
      reason: event.reason,
      note: event.note,
      type: event.type,
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: regarding.name,
        ...(regarding.namespace ? { namespace: regarding.namespace } : {}),
        ...(regarding.uid ? { uid: regarding.uid } : {}),
        ...(regarding.resourceVersion ? { resourceVersion: regarding.resourceVersion } : {}),
      },
    };
  }
}

/** The reference of a Kubernetes object (as read from the API or an informer) for `regarding`. */
export function objectReference(object: {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}): EventObjectRef {
  const { metadata = {} } = object;
  return {
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    name: metadata.name ?? '',
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    ...(metadata.uid ? { uid: metadata.uid } : {}),
    ...(metadata.resourceVersion ? { resourceVersion: metadata.resourceVersion } : {}),
  };
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const ellipsis = '…';
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut) + Buffer.byteLength(ellipsis) > maxBytes) cut = cut.slice(0, -1);
  // Never leave half a surrogate pair behind.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ellipsis;
}

function objectKey(ref: EventObjectRef): string {
  return ref.uid || `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

function describe(ref: EventObjectRef): string {
  return `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
