// A small reader of the Prometheus text exposition format: enough for counters of kube-apiserver's
// and the operator's /metrics (no timestamps, no exemplars, no histograms needed). Pure.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Samples of the metrics named in `names` (all when omitted). */
export function parseSamples(text: string, names?: ReadonlySet<string>): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const [, name, labelText, valueText] = match;
    if (!name || valueText === undefined || (names && !names.has(name))) continue;
    const labels: Record<string, string> = {};
    for (const label of (labelText ?? '').matchAll(LABEL)) labels[label[1]!] = unescape(label[2]!);
    samples.push({ name, labels, value: parseValue(valueText) });
  }
  return samples;
}

/** Sum of the samples of `name` per key built from their labels (samples without a key are skipped). */
export function sumBy(samples: readonly Sample[], name: string, key: (labels: Record<string, string>) => string | undefined): Map<string, number> {
  const sums = new Map<string, number>();
  for (const sample of samples) {
    if (sample.name !== name) continue;
    const k = key(sample.labels);
    if (k !== undefined) sums.set(k, (sums.get(k) ?? 0) + sample.value);
  }
  return sums;
}

/** `after - before` per key, keys with a zero difference dropped. */
export function difference(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, value] of after) {
    const delta = value - (before.get(key) ?? 0);
    if (delta !== 0) out.set(key, delta);
  }
  return out;
}
