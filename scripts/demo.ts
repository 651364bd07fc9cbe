// npm run demo: the embedded default. Starts a local control plane, element-sim with two clusters
// and a few volumes, applies deploy/samples/ templated with the simulator's addresses, runs the
// operator, shows the resources converging, prints how to use kubectl against it, and stops
// everything it started on Ctrl-C (or, with --exit-when-ready, as soon as everything is Ready).
import { parseArgs } from 'node:util';
import { EnvironmentError, startEnvironment, type Environment } from './lib/environment.ts';
import { renderInstructions } from './lib/instructions.ts';
import { createLiveView } from './lib/live-view.ts';
import { parseReadyKinds, READY_KINDS } from './lib/readiness.ts';
import { followChanges, ProcessExitedError, waitForReady } from './lib/watch-status.ts';

const USAGE = `Usage: npm run demo [-- options]

Options:
  --exit-when-ready, --no-wait  exit 0 once everything is Ready (non-zero if not by the deadline)
  --ready-kinds LIST            kinds that must be Ready (default ${READY_KINDS.join(',')})
  --timeout SECONDS             deadline for readiness (default 300)
  --poll-interval DURATION      operator --poll-interval (default 10s)
  --log-level LEVEL             operator --log-level (default info)
  --operator-entry FILE         operator entry script (default bin/elementrepl-operator.mjs; for development)
  --help                        this text
`;

const say = (message: string) => process.stderr.write(`[demo] ${message}\n`);

function parseOptions() {
  const { values } = parseArgs({
    options: {
      'exit-when-ready': { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      'ready-kinds': { type: 'string', default: READY_KINDS.join(',') },
      timeout: { type: 'string', default: '300' },
      'poll-interval': { type: 'string', default: '10s' },
      'log-level': { type: 'string', default: 'info' },
      'operator-entry': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new Error(`--timeout expects seconds, got '${values.timeout}'`);
  return {
    help: values.help,
    exitWhenReady: values['exit-when-ready'] || values['no-wait'],
    readyKinds: parseReadyKinds(values['ready-kinds']),
    timeoutMs: timeoutSeconds * 1000,
    operator: { entry: values['operator-entry'], pollInterval: values['poll-interval'], logLevel: values['log-level'] },
  };
}

const interrupted = new AbortController();
let signalled = false;
function onSignal(signal: NodeJS.Signals): void {
  if (signalled) {
    // Second Ctrl-C: leave now; the exit handlers SIGKILL every process group we started.
    say(`${signal} again: killing everything now`);
    process.exit(130);
  }
  signalled = true;
  say(`${signal}: stopping the operator, the simulator and the control plane…`);
  interrupted.abort();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

async function stopAll(env: Environment, keepRunDir: boolean): Promise<void> {
  await env.stop({ keepRunDir });
  say(keepRunDir ? `stopped everything; logs kept in ${env.runDir}` : 'stopped everything');
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions();
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  let env: Environment;
  try {
    env = await startEnvironment({ log: say, signal: interrupted.signal, operator: options.operator });
  } catch (error) {
    if (interrupted.signal.aborted) return 130;
    if (!(error instanceof EnvironmentError)) throw error;
    say(error.message);
    if (error.hint) say(error.hint);
    if (!error.runDirRemoved) say(`run dir kept for its logs: ${error.runDir}`);
    return 1;
  }
  say(`control plane run dir ${env.plane.runDir}`);
  say(`processes: ${env.processes().map((p) => `${p.name}=${p.pid ?? '-'}`).join(' ')}`);

  const essential = [env.simulator.child, ...(env.operator ? [env.operator] : [])];
  const instructions = () =>
    renderInstructions({
      kubeconfigPath: env.kubeconfigPath,
      kubectl: env.plane.binaries.kubectl,
      adminUrl: env.simulator.adminUrl,
      clusterNames: [env.simulator.clusters[0]?.name ?? 'DC1', env.simulator.clusters[1]?.name ?? 'DC2'],
      pairNames: env.pairs.map((p) => p.name),
      volumePairNamespace: env.volumePairNamespace,
      operatorLog: env.operator?.logFile,
      simulatorLog: env.simulator.child.logFile,
    });
  try {
    const kinds = options.readyKinds.join(', ') || 'nothing';
    say(`waiting up to ${options.timeoutMs / 1000}s for ${kinds} to be Ready`);
    const result = await waitForReady({
      kube: env.kube, expected: env.expected, kinds: options.readyKinds, timeoutMs: options.timeoutMs,
      view: createLiveView(process.stdout), essential, signal: interrupted.signal,
    });
    if (interrupted.signal.aborted) {
      await stopAll(env, false);
      return 130;
    }
    const seconds = (result.elapsedMs / 1000).toFixed(1);
    if (result.readiness.ready) {
      say(`all ${result.readiness.total} resources (${kinds}) are Ready after ${seconds}s`);
    } else {
      say(`not Ready after ${seconds}s:`);
      for (const line of result.readiness.waiting) say(`  ${line}`);
      say(`operator log: ${env.operator?.logFile ?? '(no operator)'}`);
      if (options.exitWhenReady) {
        if (env.operator) say(`last lines of the operator log:\n${env.operator.tail(20)}`);
        await stopAll(env, true);
        return 1;
      }
    }
    process.stdout.write(`${instructions().join('\n')}\n`);
    if (options.exitWhenReady) {
      say('--exit-when-ready: stopping');
      await stopAll(env, false);
      return 0;
    }
    process.stdout.write('\nChanges are shown below. Ctrl-C stops the operator, the simulator and the control plane.\n');
    await followChanges({
      kube: env.kube, essential, signal: interrupted.signal, initial: result.snapshot,
      print: (line) => process.stdout.write(`${line}\n`),
    });
    await stopAll(env, false);
    return 0;
  } catch (error) {
    if (!(error instanceof ProcessExitedError)) {
      await stopAll(env, true);
      throw error;
    }
    say(error.message);
    await stopAll(env, true);
    return 1;
  }
}

const code = await main().catch((error: unknown) => {
  say(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
process.exit(code);
