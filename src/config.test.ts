import { describe, expect, it } from 'vitest';
import { ConfigError, FLAGS, helpText, parseConfig, parseDuration, wantsHelp, wantsVersion } from './config.ts';

describe('parseConfig', () => {
  it('applies the defaults of DESIGN §4', () => {
    expect(parseConfig([], {})).toEqual({
      metricsBindAddress: ':8080',
      healthProbeBindAddress: ':8081',
      leaderElect: false,
      operatorNamespace: 'elementrepl-system',
      workers: 4,
      pollIntervalMs: 60_000,
      gracefulShutdownTimeoutMs: 25_000,
      lagWarningThresholdMs: 300_000,
      logLevel: 'info',
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const config = parseConfig(
      [
        '--kubeconfig', '/tmp/kc',
        '--metrics-bind-address=127.0.0.1:9090',
        '--health-probe-bind-address', '[::1]:9091',
        '--leader-elect',
        '--operator-namespace=ops',
        '--workers', '8',
        '--poll-interval=1m30s',
        '--graceful-shutdown-timeout', '10s',
        '--lag-warning-threshold=15m',
        '--log-level=debug',
      ],
      {},
    );

    expect(config).toEqual({
      kubeconfig: '/tmp/kc',
      metricsBindAddress: '127.0.0.1:9090',
      healthProbeBindAddress: '[::1]:9091',
      leaderElect: true,
      operatorNamespace: 'ops',
      workers: 8,
      pollIntervalMs: 90_000,
      gracefulShutdownTimeoutMs: 10_000,
      lagWarningThresholdMs: 900_000,
      logLevel: 'debug',
    });
  });

  it('reads the environment, and a flag wins over it', () => {
    const env = {
      ELEMENTREPL_WORKERS: '2',
      ELEMENTREPL_POLL_INTERVAL: '5m',
      ELEMENTREPL_LEADER_ELECT: 'true',
      ELEMENTREPL_LOG_LEVEL: 'warn',
      ELEMENTREPL_METRICS_BIND_ADDRESS: '0',
      KUBECONFIG: '/env/kc',
    };

    const config = parseConfig(['--workers=3', '--leader-elect=false'], env);

    expect(config).toMatchObject({ workers: 3, pollIntervalMs: 300_000, leaderElect: false, logLevel: 'warn', metricsBindAddress: '0' });
    // KUBECONFIG may list several files; the Kubernetes client reads and merges it itself.
    expect(config.kubeconfig).toBeUndefined();
  });

  it.each([
    [{ ELEMENTREPL_OPERATOR_NAMESPACE: 'explicit', POD_NAMESPACE: 'pod' }, 'sa', 'explicit'],
    [{ POD_NAMESPACE: 'pod' }, 'sa', 'pod'],
    [{}, 'sa', 'sa'],
    [{}, undefined, 'elementrepl-system'],
  ])('picks the operator namespace from %o / service account %s', (env, serviceAccountNamespace, expected) => {
    expect(parseConfig([], env, { serviceAccountNamespace }).operatorNamespace).toBe(expected);
  });

  it.each([
    [['--workers=0'], 'workers'],
    [['--workers=65'], 'workers'],
    [['--workers=two'], 'workers'],
    [['--poll-interval=60'], 'poll-interval'],
    [['--poll-interval=500ms'], 'poll-interval'],
    [['--poll-interval=25h'], 'poll-interval'],
    [['--graceful-shutdown-timeout=forever'], 'graceful-shutdown-timeout'],
    [['--lag-warning-threshold=0s'], 'lag-warning-threshold'],
    [['--log-level=verbose'], 'log-level'],
    [['--leader-elect=maybe'], 'leader-elect'],
    [['--metrics-bind-address=localhost'], 'metrics-bind-address'],
    [['--health-probe-bind-address=:99999'], 'health-probe-bind-address'],
    [['--operator-namespace=Not_A_Namespace'], 'operator-namespace'],
    [['--kubeconfig='], 'kubeconfig'],
  ])('rejects %j naming --%s', (argv, flag) => {
    expect(() => parseConfig(argv, {})).toThrow(ConfigError);
    expect(() => parseConfig(argv, {})).toThrow(`--${flag}`);
  });

  it('names the environment variable when the bad value came from there', () => {
    expect(() => parseConfig([], { ELEMENTREPL_WORKERS: '-1' })).toThrow('--workers (from ELEMENTREPL_WORKERS)');
  });

  it.each([
    [['--no-such-flag'], 'unknown flag --no-such-flag'],
    [['--workers'], 'flag --workers needs a value'],
    [['stray'], 'unexpected argument "stray"'],
  ])('rejects malformed command lines: %j', (argv, message) => {
    expect(() => parseConfig(argv, {})).toThrow(message);
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['0', 0],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '60', '5 m', '1d', '-5s', 's'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('help', () => {
  it('lists every flag with its environment variable', () => {
    const text = helpText();

    for (const spec of FLAGS) {
      expect(text).toContain(`--${spec.flag}`);
      expect(text).toContain(spec.env);
    }
    expect(wantsHelp(['--workers=2', '--help'])).toBe(true);
    expect(wantsHelp(['--workers=2'])).toBe(false);
    expect(wantsVersion(['--version'])).toBe(true);
    expect(wantsVersion(['--workers=2'])).toBe(false);
    expect(helpText()).toContain('--version');
  });
});
