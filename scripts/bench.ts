// npm run bench: N VolumePairs against the operator, element-sim and a local control plane; prints
// the figures and how they compare with the targets, and writes them as JSON with --json FILE.
// Exits 0 whether targets are met or missed; non-zero only when something could not be measured
// (a start failure, a process that died, a timeout, Ctrl-C).
import { writeFileSync } from 'node:fs';
import { EnvironmentError } from './lib/environment.ts';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench/options.ts';
import { renderReport } from './bench/report.ts';
import { runBench } from './bench/run.ts';

const say = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const interrupted = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // Second signal: leave now; the exit handlers SIGKILL every process group we started.
    if (interrupted.signal.aborted) process.exit(130);
    say(`${signal}: stopping the operator, the simulator and the control plane…`);
    interrupted.abort();
  });
}

async function main(): Promise<number> {
  let options: BenchOptions | null;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const { figures } = await runBench(options, say, interrupted.signal);
    process.stdout.write(`${renderReport(figures).join('\n')}\n`);
    if (options.jsonFile) {
      writeFileSync(options.jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
      say(`figures written to ${options.jsonFile}`);
    }
    return 0;
  } catch (error) {
    if (interrupted.signal.aborted) return 130;
    say(error instanceof Error ? error.message : String(error));
    if (error instanceof EnvironmentError && error.hint) say(error.hint);
    return 1;
  }
}

process.exit(await main());
