// `status`: every ClusterPair and VolumePair in one table (or JSON/YAML), with the newest Warning
// Event of the ones that are not Ready and a summary line. `--watch` redraws it every few seconds
// until interrupted (a poll: the command stays read-only and needs no watch permission).
import type { KubeClient, ResourceType } from '../kube/client.ts';
import { isForbidden } from '../kube/errors.ts';
import { CLUSTER_PAIRS, VOLUME_PAIRS } from '../reconcilers/shell/resources.ts';
import { UsageError, booleanFlag, outputFormat, stringFlag } from './args.ts';
import type { FlagSpec } from './args.ts';
import type { CliContext } from './context.ts';
import { CliError } from './context.ts';
import { renderData } from './output.ts';
import { statusRows, summarize } from './status-rows.ts';
import type { LooseObject, StatusRow, Summary, WarningEvent } from './status-rows.ts';
import { renderStatusTable } from './status-table.ts';

export const STATUS_FLAGS: readonly FlagSpec[] = [{ name: 'watch', short: 'w', kind: 'boolean', help: 'Redraw every 2 seconds until interrupted.' }];

const EVENTS: ResourceType = { group: 'events.k8s.io', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };
const WATCH_INTERVAL_MS = 2_000;

/** Positional resource types `status` accepts, kubectl style. */
const KINDS: Record<string, 'ClusterPair' | 'VolumePair'> = {
  clusterpair: 'ClusterPair', clusterpairs: 'ClusterPair', cp: 'ClusterPair',
  volumepair: 'VolumePair', volumepairs: 'VolumePair', vp: 'VolumePair',
};

export function statusKinds(positionals: readonly string[]): Set<'ClusterPair' | 'VolumePair'> {
  if (positionals.length === 0) return new Set(['ClusterPair', 'VolumePair']);
  return new Set(positionals.map((p) => {
    const kind = KINDS[p.toLowerCase()];
    if (kind === undefined) throw new UsageError(`unknown resource type "${p}": status shows clusterpairs (cp) and volumepairs (vp)`);
    return kind;
  }));
}

interface RawEvent {
  metadata: { name: string; namespace?: string; creationTimestamp?: string };
  type?: string;
  reason?: string;
  note?: string;
  eventTime?: string | null;
  deprecatedLastTimestamp?: string | null;
  series?: { lastObservedTime?: string } | null;
  regarding?: { kind?: string; name?: string; namespace?: string };
}

function toWarning(e: RawEvent): WarningEvent | undefined {
  if (e.type !== 'Warning' || !e.regarding?.kind || !e.regarding.name) return undefined;
  const time = e.series?.lastObservedTime ?? e.eventTime ?? e.deprecatedLastTimestamp ?? e.metadata.creationTimestamp ?? '';
  return { kind: e.regarding.kind, namespace: e.regarding.namespace, name: e.regarding.name, reason: e.reason ?? '', message: e.note ?? '', time };
}

async function warningEvents(kube: KubeClient, namespaces: readonly (string | undefined)[]): Promise<WarningEvent[]> {
  const lists = await Promise.all(namespaces.map((namespace) =>
    kube.listAll<RawEvent>(EVENTS, { namespace, fieldSelector: 'type=Warning' }).then((page) => page.items).catch((error: unknown) => {
      // Events only explain; a user who may not list them still gets the table.
      if (isForbidden(error)) return [];
      throw error;
    })));
  return lists.flat().flatMap((e) => toWarning(e) ?? []);
}

export interface StatusReport {
  items: StatusRow[];
  summary: Summary;
}

export async function readStatus(context: CliContext): Promise<StatusReport> {
  const kube = context.kube();
  const kinds = statusKinds(context.positionals);
  const all = booleanFlag(context.flags, 'all-namespaces');
  const labelSelector = stringFlag(context.flags, 'selector');
  const namespace = all ? undefined : context.namespace();
  const list = async (resource: ResourceType, ns?: string): Promise<LooseObject[]> => {
    try {
      return (await kube.listAll<LooseObject>(resource, { namespace: ns, labelSelector })).items;
    } catch (error) {
      if (isForbidden(error)) throw new CliError(`you may not list ${resource.plural}${ns ? ` in namespace ${ns}` : ''}: ${error instanceof Error ? error.message : ''}`);
      throw error;
    }
  };
  const [clusterPairs, volumePairs] = await Promise.all([
    kinds.has('ClusterPair') ? list(CLUSTER_PAIRS) : [],
    kinds.has('VolumePair') ? list(VOLUME_PAIRS, namespace) : [],
  ]);
  // Events of cluster-scoped objects live in "default".
  const eventNamespaces = all ? [undefined] : [...new Set([namespace, 'default'])];
  const events = await warningEvents(kube, eventNamespaces);
  const items = statusRows(clusterPairs, volumePairs, events);
  return { items, summary: summarize(items) };
}

function render(context: CliContext, report: StatusReport): string {
  const format = outputFormat(context.flags);
  return format === 'table' ? renderStatusTable(report.items, report.summary) : renderData(format, report);
}

export async function runStatus(context: CliContext): Promise<number> {
  statusKinds(context.positionals);
  if (!booleanFlag(context.flags, 'watch')) {
    context.stdout.write(render(context, await readStatus(context)));
    return 0;
  }
  while (!context.signal.aborted) {
    const text = render(context, await readStatus(context));
    // On a terminal the table is redrawn in place; piped output gets one snapshot after another.
    context.stdout.write(context.stdout.isTTY ? `\x1b[H\x1b[2J${text}` : `${text}\n`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, WATCH_INTERVAL_MS);
      context.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
  return 0;
}
