// deploy/monitoring/ (DESIGN §9 "Alerts"): the PrometheusRule passes `promtool check rules` and its
// unit tests (`promtool test rules`, deploy/monitoring/tests/), which cover every alert both firing
// and not yet firing — and fail when an alert's `for:` is taken away; every metric the rules read is
// one the operator's metrics server declares; every runbook link lands on a heading of
// docs/troubleshooting.md; and the component renders exactly a ServiceMonitor and a PrometheusRule,
// which the default deploy/ does not. promtool is built from Go modules and cached
// (test/promtool/build.sh; PROMTOOL names a prebuilt one). No speed is asserted.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../src/observability/metrics.ts';
import { startMetricsServer } from '../src/observability/metrics-server.ts';
import { kubectl } from './helpers/kube.ts';
import { REPO_ROOT } from './helpers/operator-process.ts';
import { exportedMetricNames, metricNamesOf } from './helpers/promql-names.ts';

const MONITORING = path.join(REPO_ROOT, 'deploy', 'monitoring');
const TESTS = path.join(MONITORING, 'tests');
const RULES_FILE = 'elementrepl-rules.yaml'; // the name the tests' rule_files use
const TROUBLESHOOTING = path.join(REPO_ROOT, 'docs', 'troubleshooting.md');

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroup {
  name: string;
  rules: AlertRule[];
}
interface UnitTestFile {
  tests: { name: string; alert_rule_test?: { eval_time: string; alertname: string; exp_alerts?: unknown[] }[] }[];
}
interface Rendered {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

const prometheusRule = parse(readFileSync(path.join(MONITORING, 'prometheus-rule.yaml'), 'utf8')) as { spec: { groups: RuleGroup[] } };
const groups = prometheusRule.spec.groups;
const alerts = groups.flatMap((g) => g.rules);
const testFiles = readdirSync(TESTS).filter((f) => f.endsWith('.yaml')).sort();

let promtool = '';
let work = '';

function run(file: string, args: string[], timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A directory with the rules (the PrometheusRule's spec, as promtool reads them) and the unit tests. */
function ruleDir(ruleGroups: RuleGroup[]): string {
  const dir = mkdtempSync(path.join(work, 'rules-'));
  writeFileSync(path.join(dir, RULES_FILE), stringify({ groups: ruleGroups }));
  for (const file of testFiles) copyFileSync(path.join(TESTS, file), path.join(dir, file));
  return dir;
}

/** GitHub's heading anchors: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
function anchors(markdown: string): Set<string> {
  const result = new Set<string>();
  for (const [, heading] of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    result.add((heading ?? '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return result;
}

const objectsOf = (yamlText: string): Rendered[] => parseAllDocuments(yamlText).map((d) => d.toJS() as Rendered).filter(Boolean);
const id = (o: Rendered) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

async function kustomize(dir: string): Promise<Rendered[]> {
  const result = await kubectl(['kustomize', path.join(REPO_ROOT, dir)]);
  expect(result.code, result.stderr).toBe(0);
  return objectsOf(result.stdout);
}

beforeAll(async () => {
  // Cold: Go builds promtool (minutes); then the cached binary is printed at once.
  const built = await run('bash', [path.join(REPO_ROOT, 'test', 'promtool', 'build.sh')], 1_500_000);
  expect(built.code, built.stderr).toBe(0);
  promtool = built.stdout.trim();
  work = mkdtempSync(path.join(os.tmpdir(), 'elementrepl-monitoring-'));
}, 1_600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the PrometheusRule', () => {
  it('has the six alerts, each with a severity, a summary and a for:', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'ElementReplElementErrors',
      'ElementReplNoLeader',
      'ElementReplReconcileErrors',
      'ElementReplReplicationLagHigh',
      'ElementReplResourceDegraded',
      'ElementReplResourceStalled',
    ]);
    for (const alert of alerts) {
      expect(['warning', 'critical'], alert.alert).toContain(alert.labels?.['severity']);
      expect(alert.annotations?.['summary'], alert.alert).toBeTruthy();
      expect(alert.for, alert.alert).toMatch(/^\d+m$/);
    }
  });

  it('passes promtool check rules', async () => {
    const dir = ruleDir(groups);
    const result = await run(promtool, ['check', 'rules', path.join(dir, RULES_FILE)]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`SUCCESS: ${alerts.length} rules found`);
  });

  it('passes its promtool unit tests, which check every alert firing and not yet firing', async () => {
    const expectations = testFiles.flatMap((file) => {
      const parsed = parse(readFileSync(path.join(TESTS, file), 'utf8')) as UnitTestFile;
      return parsed.tests.flatMap((t) => t.alert_rule_test ?? []);
    });
    for (const alert of alerts) {
      const mine = expectations.filter((e) => e.alertname === alert.alert);
      expect(mine.some((e) => (e.exp_alerts ?? []).length > 0), `${alert.alert} fires in a test`).toBe(true);
      expect(mine.some((e) => (e.exp_alerts ?? []).length === 0), `${alert.alert} is checked not firing`).toBe(true);
    }

    const dir = ruleDir(groups);
    const result = await run(promtool, ['test', 'rules', ...testFiles.map((f) => path.join(dir, f))]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toContain('FAILED');
  });

  it('has tests that fail when an alert fires before its for: (each for: removed in turn)', async () => {
    for (const alert of alerts) {
      const without = groups.map((g) => ({ ...g, rules: g.rules.map((r) => (r.alert === alert.alert ? { ...r, for: '0m' } : r)) }));
      const dir = ruleDir(without);
      const files = testFiles.filter((f) => readFileSync(path.join(TESTS, f), 'utf8').includes(`alertname: ${alert.alert}`));
      expect(files.length, alert.alert).toBeGreaterThan(0);
      const result = await run(promtool, ['test', 'rules', ...files.map((f) => path.join(dir, f))]);
      expect(result.code, `${alert.alert} without its for: ${result.stdout}`).not.toBe(0);
      expect(result.stdout + result.stderr).toContain(alert.alert);
    }
  });

  it('reads only metrics that the operator exports on /metrics', async () => {
    // The scanner finds names (and not functions, labels, durations or numbers).
    expect(metricNamesOf('sum by (a) (rate(x_total{o!="y"}[10m])) / on(a) group_left(b) max(y_info) > 1e3 or absent(z{n="q"}) offset 5m')).toEqual(['x_total', 'y_info', 'z']);

    const metrics = createMetrics();
    const server = await startMetricsServer({ bindAddress: '127.0.0.1:0', registry: metrics.registry, log: pino({ level: 'silent' }) });
    if (!server) throw new Error('metrics server disabled');
    let exposition: string;
    try {
      exposition = await (await fetch(`${server.url}/metrics`)).text();
    } finally {
      await server.close();
    }
    const exported = exportedMetricNames(exposition);
    const used = new Set<string>();
    for (const alert of alerts) {
      const names = metricNamesOf(alert.expr);
      expect(names.length, alert.alert).toBeGreaterThan(0);
      for (const name of names) used.add(name);
    }
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    expect([...used].sort()).toEqual([
      'controller_runtime_reconcile_errors_total',
      'elementrepl_element_requests_total',
      'elementrepl_resource_condition',
      'elementrepl_volume_pair_replication_lag_seconds',
      'leader_election_master_status',
    ]);
  });

  it('links every alert to a runbook section of docs/troubleshooting.md', () => {
    const headings = anchors(readFileSync(TROUBLESHOOTING, 'utf8'));
    for (const alert of alerts) {
      const url = alert.annotations?.['runbook_url'] ?? '';
      const match = /\/docs\/troubleshooting\.md#([a-z0-9_-]+)$/.exec(url);
      expect(match, `${alert.alert}: ${url}`).not.toBeNull();
      expect(match?.[1]).toBe(alert.alert.toLowerCase());
      expect(headings.has(match?.[1] ?? ''), `${alert.alert}: #${match?.[1]}`).toBe(true);
    }
  });
});

describe('the kustomize component', () => {
  it('adds exactly a ServiceMonitor and a PrometheusRule to the base, scraping its metrics Service; deploy/ has neither', async () => {
    const plain = await kustomize('deploy');
    const base = await kustomize('deploy/base');
    const withMonitoring = await kustomize('deploy/with-monitoring');

    expect(plain.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/'))).toEqual([]);
    const baseIds = new Set(base.map(id));
    expect(plain.map(id).sort()).toEqual([...baseIds].sort());
    const added = withMonitoring.filter((o) => !baseIds.has(id(o)));
    expect(added.map(id).sort()).toEqual(['PrometheusRule/elementrepl-system/elementrepl-operator', 'ServiceMonitor/elementrepl-system/elementrepl-operator']);
    expect(withMonitoring.length).toBe(base.length + 2);
    for (const object of added) expect(object.apiVersion).toBe('monitoring.coreos.com/v1');

    // The ServiceMonitor selects the base's metrics Service, in its namespace, by a port it has.
    const monitor = added.find((o) => o.kind === 'ServiceMonitor');
    const spec = monitor?.spec as { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string; honorLabels?: boolean }[] };
    const services = withMonitoring.filter((o) => o.kind === 'Service' && o.metadata.namespace === monitor?.metadata.namespace);
    const selected = services.filter((s) => Object.entries(spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
    expect(selected.map((s) => s.metadata.name)).toEqual(['elementrepl-operator-metrics']);
    const ports = (selected[0]?.spec as { ports: { name: string }[] }).ports.map((p) => p.name);
    expect(spec.endpoints.map((e) => e.port)).toEqual(['metrics']);
    expect(ports).toContain('metrics');
    expect(spec.endpoints[0]?.path).toBe('/metrics');
    expect(spec.endpoints[0]?.honorLabels).toBe(true);

    // The rendered PrometheusRule is the file the promtool tests ran on.
    const rule = added.find((o) => o.kind === 'PrometheusRule');
    expect(rule?.spec).toEqual(prometheusRule.spec);
  });
});
