// The operator's own /metrics (on the random port it logs at start): reconciles per controller and
// V8 heap figures, which tell whether a high RSS is live data or garbage the heap has not returned.
import { readFileSync } from 'node:fs';
import { parseSamples, sumBy } from './prometheus.ts';

/** The metrics address from the operator's `http server listening` log line, once it is there. */
export function metricsUrlFromLog(logFile: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('"server":"metrics"') || !line.includes('listening')) continue;
    const address = /"address":"([^"]+)"/.exec(line)?.[1];
    if (address) return `http://${address}/metrics`;
  }
  return undefined;
}

export interface OperatorMetrics {
  /** controller_runtime_reconcile_total per controller, all results. */
  reconciles: Record<string, number>;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

const NAMES = new Set(['controller_runtime_reconcile_total', 'nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes']);
const MB = 1024 * 1024;

export async function scrapeOperator(url: string): Promise<OperatorMetrics> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (!response.ok) throw new Error(`operator ${url} answered HTTP ${response.status}`);
  const samples = parseSamples(await response.text(), NAMES);
  const single = (name: string) => samples.find((s) => s.name === name)?.value ?? 0;
  return {
    reconciles: Object.fromEntries(sumBy(samples, 'controller_runtime_reconcile_total', (labels) => labels['controller'])),
    heapUsedMb: single('nodejs_heap_size_used_bytes') / MB,
    heapTotalMb: single('nodejs_heap_size_total_bytes') / MB,
    externalMb: single('nodejs_external_memory_bytes') / MB,
  };
}

/** Reconciles per controller between two scrapes. */
export function reconcilesBetween(before: OperatorMetrics, after: OperatorMetrics): Record<string, number> {
  return Object.fromEntries(Object.entries(after.reconciles).map(([controller, count]) => [controller, count - (before.reconciles[controller] ?? 0)]).filter(([, n]) => n !== 0));
}
