// Metric names a PromQL expression selects, for checking alert rules against what the operator
// exports. A small scanner, not a parser: enough for rule expressions (selectors, aggregations,
// functions, binary operators, numbers, durations); it reads no `{__name__=...}` selectors. Pure.

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

export function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // label values and other strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range and subquery durations
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names = new Set<string>();
  for (const match of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const before = bare[match.index - 1] ?? ' ';
    if (/[0-9.]/.test(before)) continue; // 1e3, 5m
    if (KEYWORDS.has(match[0].toLowerCase())) continue;
    if (bare.slice(match.index + match[0].length).trimStart().startsWith('(')) continue; // a function or aggregation
    names.add(match[0]);
  }
  return [...names].sort();
}

/** Names a Prometheus text exposition declares (`# TYPE`), with a histogram's and summary's series names. */
export function exportedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (!name) continue;
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}
