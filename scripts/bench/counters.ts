// The two call counters the benchmark reads: element-sim's per-cluster per-method JSON-RPC counters
// (reset right before a phase, read after it), and kube-apiserver's apiserver_request_total scraped
// from its /metrics with the admin credentials before and after a phase.
import { isMutatingMethod } from '../../src/element/classify.ts';
import type { CallCounters } from '../../src/simulator/faults.ts';
import type { ApiClient } from '../../test/harness/api-client.ts';
import { difference, parseSamples, sumBy } from './prometheus.ts';

export interface ElementCalls {
  /** Per cluster, per method. */
  byCluster: CallCounters;
  /** Per method, both clusters together, sorted by method. */
  byMethod: Record<string, number>;
  total: number;
  mutating: number;
}

export function summarizeElementCalls(counters: CallCounters): ElementCalls {
  const byMethod: Record<string, number> = {};
  let total = 0;
  let mutating = 0;
  for (const methods of Object.values(counters)) {
    for (const [method, count] of Object.entries(methods)) {
      byMethod[method] = (byMethod[method] ?? 0) + count;
      total += count;
      if (isMutatingMethod(method)) mutating += count;
    }
  }
  const sorted = Object.fromEntries(Object.entries(byMethod).sort(([a], [b]) => a.localeCompare(b)));
  return { byCluster: counters, byMethod: sorted, total, mutating };
}

/** List* calls per cluster (ListVolumes, ListClusterPairs, ListActivePairedVolumes, ListAccounts). */
export function listCallsByCluster(counters: CallCounters): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counters).map(([cluster, methods]) => [
      cluster,
      Object.entries(methods).filter(([method]) => method.startsWith('List')).reduce((sum, [, count]) => sum + count, 0),
    ]),
  );
}

// The verbs the operator writes with (merge patches, creates, deletes, lease updates). Server-side
// apply is counted by kube-apiserver as verb APPLY: that is the benchmark's own apply of the
// VolumePairs, so it is kept apart rather than charged to the operator. Reads (GET, LIST) of
// resources are the operator's too: the benchmark only watches and scrapes /metrics meanwhile.
const OPERATOR_WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const READ_VERBS = new Set(['GET', 'LIST']);
const REQUESTS = 'apiserver_request_total';

/** `verb group/resource[/subresource]` → requests. */
export type RequestCounts = Map<string, number>;

export async function scrapeRequests(admin: ApiClient): Promise<RequestCounts> {
  const response = await admin.request('GET', '/metrics', undefined, 30_000);
  if (response.status !== 200) throw new Error(`kube-apiserver /metrics answered HTTP ${response.status}`);
  return sumBy(parseSamples(response.text, new Set([REQUESTS])), REQUESTS, (labels) => {
    const verb = labels['verb'] ?? '';
    if (!labels['resource'] || !(OPERATOR_WRITE_VERBS.has(verb) || READ_VERBS.has(verb) || verb === 'APPLY')) return undefined;
    const resource = [labels['group'] || 'core', labels['resource']].join('/') + (labels['subresource'] ? `/${labels['subresource']}` : '');
    return `${verb} ${resource}`;
  });
}

export interface KubeRequests {
  /** Every write in the phase, by verb and resource. */
  writesByResource: Record<string, number>;
  /** Writes that scale with the resources: everything but server-side applies and Lease renewals. */
  operatorWrites: number;
  leaseWrites: number;
  applies: number;
  /** GETs and LISTs of resources, by verb and resource. */
  readsByResource: Record<string, number>;
  reads: number;
}

export function summarizeRequests(before: RequestCounts, after: RequestCounts): KubeRequests {
  const delta = [...difference(before, after)].sort(([a], [b]) => a.localeCompare(b));
  const result: KubeRequests = { writesByResource: {}, operatorWrites: 0, leaseWrites: 0, applies: 0, readsByResource: {}, reads: 0 };
  for (const [key, count] of delta) {
    const verb = key.slice(0, key.indexOf(' '));
    if (READ_VERBS.has(verb)) {
      result.readsByResource[key] = count;
      result.reads += count;
      continue;
    }
    result.writesByResource[key] = count;
    if (verb === 'APPLY') result.applies += count;
    else if (key.includes('coordination.k8s.io/leases')) result.leaseWrites += count;
    else result.operatorWrites += count;
  }
  return result;
}
