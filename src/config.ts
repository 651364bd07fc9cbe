// Command-line flags and environment variables of the operator (DESIGN.md §4), validated with zod.
// Flags use controller-runtime's names; each also comes from the environment (a flag wins). A bad
// value throws a ConfigError naming the flag (and the variable, when it came from there).
// parseConfig is pure: main.ts passes process.argv, process.env and the service-account namespace.
import { z } from 'zod';
import { parseBindAddress } from './observability/bind-address.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
export type LogLevel = z.infer<typeof LogLevel>;

export const Config = z.object({
  /** Path of a kubeconfig; absent: $KUBECONFIG, in-cluster, ~/.kube/config (src/kube/kubeconfig.ts). */
  kubeconfig: z.string().min(1).optional(),
  metricsBindAddress: z.string(),
  healthProbeBindAddress: z.string(),
  leaderElect: z.boolean(),
  operatorNamespace: z.string(),
  workers: z.int().min(1, 'must be between 1 and 64').max(64, 'must be between 1 and 64'),
  pollIntervalMs: z.int().min(1000, 'must be between 1s and 24h').max(86_400_000, 'must be between 1s and 24h'),
  gracefulShutdownTimeoutMs: z.int().min(0, 'must be between 0s and 1h').max(3_600_000, 'must be between 0s and 1h'),
  lagWarningThresholdMs: z.int().min(1000, 'must be between 1s and 168h').max(604_800_000, 'must be between 1s and 168h'),
  logLevel: LogLevel,
});
export type Config = z.infer<typeof Config>;

type Kind = 'string' | 'bindAddress' | 'boolean' | 'integer' | 'duration' | 'namespace' | 'logLevel';

interface FlagSpec {
  flag: string;
  env: string;
  key: keyof Config;
  kind: Kind;
  help: string;
  default?: string;
  /** The variable is read elsewhere (KUBECONFIG may list several files: src/kube/kubeconfig.ts merges them). */
  envReadElsewhere?: boolean;
}

export const FLAGS: readonly FlagSpec[] = [
  { flag: 'kubeconfig', env: 'KUBECONFIG', key: 'kubeconfig', kind: 'string', envReadElsewhere: true, help: 'Path to a kubeconfig. Default: $KUBECONFIG (several files may be listed), then the in-cluster service account, then ~/.kube/config.' },
  { flag: 'metrics-bind-address', env: 'ELEMENTREPL_METRICS_BIND_ADDRESS', key: 'metricsBindAddress', kind: 'bindAddress', default: ':8080', help: 'Address of /metrics, [host]:port; 0 disables it.' },
  { flag: 'health-probe-bind-address', env: 'ELEMENTREPL_HEALTH_PROBE_BIND_ADDRESS', key: 'healthProbeBindAddress', kind: 'bindAddress', default: ':8081', help: 'Address of /healthz and /readyz, [host]:port; 0 disables it.' },
  { flag: 'leader-elect', env: 'ELEMENTREPL_LEADER_ELECT', key: 'leaderElect', kind: 'boolean', default: 'false', help: 'Elect a leader with a Lease, so that only one replica reconciles.' },
  { flag: 'operator-namespace', env: 'ELEMENTREPL_OPERATOR_NAMESPACE', key: 'operatorNamespace', kind: 'namespace', help: 'Namespace of the operator (Lease, pairing-key Secrets, default for Secret references). Default: $POD_NAMESPACE, then the service-account namespace, then elementrepl-system.' },
  { flag: 'workers', env: 'ELEMENTREPL_WORKERS', key: 'workers', kind: 'integer', default: '4', help: 'Concurrent reconciles per controller (1-64).' },
  { flag: 'poll-interval', env: 'ELEMENTREPL_POLL_INTERVAL', key: 'pollIntervalMs', kind: 'duration', default: '60s', help: 'How often Element is observed when nothing changes (Go duration, 1s-24h: 30s, 5m, 1m30s). Jittered.' },
  { flag: 'graceful-shutdown-timeout', env: 'ELEMENTREPL_GRACEFUL_SHUTDOWN_TIMEOUT', key: 'gracefulShutdownTimeoutMs', kind: 'duration', default: '25s', help: 'How long in-flight reconciles may finish after SIGTERM (Go duration, 0s-1h).' },
  { flag: 'lag-warning-threshold', env: 'ELEMENTREPL_LAG_WARNING_THRESHOLD', key: 'lagWarningThresholdMs', kind: 'duration', default: '5m', help: 'Replication lag above which a VolumePair gets a ReplicationLagging Warning; status.replicationLagSeconds is written at once when the lag crosses it, else at most every 5 minutes (Go duration, 1s-168h).' },
  { flag: 'log-level', env: 'ELEMENTREPL_LOG_LEVEL', key: 'logLevel', kind: 'logLevel', default: 'info', help: 'trace, debug, info, warn, error or fatal.' },
];

const DEFAULT_OPERATOR_NAMESPACE = 'elementrepl-system';
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration for ms/s/m/h: `30s`, `5m`, `1m30s`, `1.5h`, `0`. Returns milliseconds or undefined. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) total += Number(amount) * (DURATION_UNITS[unit as string] ?? NaN);
  return Math.round(total);
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--help' || arg === '-h');
}

export function wantsVersion(argv: readonly string[]): boolean {
  return argv.includes('--version');
}

export function helpText(program = 'elementrepl-operator'): string {
  const lines = [`Usage: ${program} [flags]`, '', 'Reconciles ElementCluster, ClusterPair and VolumePair resources (elementrepl.io/v1alpha1).', '', 'Flags (each also from the environment variable shown; a flag wins):'];
  for (const spec of FLAGS) {
    const value = spec.kind === 'boolean' ? '' : ' <value>';
    lines.push(`  --${spec.flag}${value}`, `      ${spec.help}`, `      env ${spec.env}${spec.default === undefined ? '' : `; default ${spec.default}`}`);
  }
  lines.push('  --version', '      Print the version and exit.', '  -h, --help', '      Show this help.');
  return `${lines.join('\n')}\n`;
}

export interface ParseContext {
  /** Namespace of the pod's service account, when running in a cluster. */
  serviceAccountNamespace?: string | undefined;
}

/** Parses flags (argv without node and script) and environment into a validated Config. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, context: ParseContext = {}): Config {
  const fromFlags = parseFlags(argv);
  const raw: Record<string, unknown> = {};
  for (const spec of FLAGS) {
    const flagValue = fromFlags.get(spec.flag);
    const envValue = spec.envReadElsewhere ? undefined : env[spec.env];
    const source = flagValue !== undefined ? `--${spec.flag}` : envValue !== undefined && envValue !== '' ? `--${spec.flag} (from ${spec.env})` : undefined;
    const text = flagValue ?? (envValue === '' ? undefined : envValue) ?? defaultFor(spec, env, context);
    if (text === undefined) continue;
    raw[spec.key] = convert(spec, text, source ?? `--${spec.flag} (default)`);
  }
  const result = Config.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const spec = FLAGS.find((f) => f.key === issue?.path[0]);
    throw new ConfigError(`invalid value for --${spec?.flag ?? String(issue?.path[0])}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

function defaultFor(spec: FlagSpec, env: Readonly<Record<string, string | undefined>>, context: ParseContext): string | undefined {
  if (spec.kind === 'namespace') return env['POD_NAMESPACE'] || context.serviceAccountNamespace || DEFAULT_OPERATOR_NAMESPACE;
  return spec.default;
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}" (flags start with --; see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = FLAGS.find((f) => f.flag === name);
    if (!spec) throw new ConfigError(`unknown flag --${name} (see --help)`);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (value === undefined) {
      const next = argv[i + 1];
      // Go's flag package: a boolean flag takes no separate value (--leader-elect=false to disable).
      if (spec.kind === 'boolean') value = 'true';
      else if (next === undefined || next.startsWith('--')) throw new ConfigError(`flag --${name} needs a value`);
      else value = argv[++i] as string;
    }
    values.set(name, value);
  }
  return values;
}

function convert(spec: FlagSpec, text: string, source: string): unknown {
  const fail = (expected: string): never => {
    throw new ConfigError(`invalid value for ${source}: "${text}" is not ${expected}`);
  };
  switch (spec.kind) {
    case 'string':
      return text;
    case 'bindAddress':
      try {
        parseBindAddress(text);
      } catch {
        fail('a bind address ([host]:port, or 0 to disable)');
      }
      return text;
    case 'boolean':
      if (/^(true|1|t|yes)$/i.test(text)) return true;
      if (/^(false|0|f|no)$/i.test(text)) return false;
      return fail('a boolean (true or false)');
    case 'integer':
      if (!/^\d+$/.test(text)) fail('a whole number');
      return rangeChecked(spec, Number(text), source, text);
    case 'duration': {
      const ms = parseDuration(text);
      return ms === undefined ? fail('a duration like 30s, 5m or 1m30s') : rangeChecked(spec, ms, source, text);
    }
    case 'namespace':
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(text)) fail('a namespace name (RFC 1123 label)');
      return text;
    case 'logLevel':
      return LogLevel.safeParse(text).success ? text : fail(`one of ${LogLevel.options.join(', ')}`);
  }
}

function rangeChecked(spec: FlagSpec, value: number, source: string, text: string): number {
  const result = Config.shape[spec.key].safeParse(value);
  if (!result.success) throw new ConfigError(`invalid value for ${source}: "${text}" ${result.error.issues[0]?.message ?? 'is out of range'}`);
  return value;
}
