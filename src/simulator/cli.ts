// element-sim: starts the simulator, prints exactly one JSON line on stdout when ready, logs to
// stderr, and stops cleanly (state flushed) on SIGTERM/SIGINT. Bad flags exit 2 naming the flag.
import { USAGE, UsageError, parseCli } from './cli-args.ts';
import { createLogger } from './log.ts';
import { startSimulator } from './simulator.ts';

async function main(argv: string[]): Promise<void> {
  let config;
  try {
    config = parseCli(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`element-sim: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = createLogger(config.logLevel);
  let simulator;
  try {
    simulator = await startSimulator({ ...config.options, logger: log });
  } catch (error) {
    process.stderr.write(`element-sim: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const { adminUrl, caFile, clusters } = simulator;
  process.stdout.write(`${JSON.stringify({ adminUrl, caFile, clusters })}\n`);

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    simulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`element-sim: error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

await main(process.argv.slice(2));
