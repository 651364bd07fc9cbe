// Entry point of kubectl-elementrepl (bin/kubectl-elementrepl.mjs loads it): the process side of
// run.ts — argv, the standard streams, Ctrl-C, the exit code.
import { runCli } from './run.ts';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signal: controller.signal });
