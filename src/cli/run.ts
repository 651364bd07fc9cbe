// kubectl-elementrepl: parse, dispatch, map failures to kubectl's exit codes. Usage errors and expected failures are one line on stderr.
import { UsageError, booleanFlag, parseArgs } from './args.ts';
import { COMMANDS, helpText } from './commands.ts';
import { CliError, createContext } from './context.ts';
import type { CliContext, Output } from './context.ts';
import { KubeApiError } from '../kube/errors.ts';

export const PROGRAM = 'kubectl-elementrepl';

export async function runCli(argv: readonly string[], io: { stdout: Output & { isTTY?: boolean }; stderr: Output; stdin?: CliContext['stdin']; signal: AbortSignal }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv, (name) => COMMANDS[name]?.flags);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (booleanFlag(parsed.flags, 'help') || parsed.command === undefined || parsed.command === 'help') {
    const topic = parsed.command === 'help' ? parsed.positionals[0] : parsed.command;
    (parsed.command === undefined && !booleanFlag(parsed.flags, 'help') ? io.stderr : io.stdout).write(helpText(topic));
    return parsed.command === undefined && !booleanFlag(parsed.flags, 'help') ? 2 : 0;
  }
  const command = COMMANDS[parsed.command];
  if (command === undefined) {
    io.stderr.write(`error: unknown command "${parsed.command}"; see --help\n`);
    return 2;
  }
  const context = createContext({ flags: parsed.flags, positionals: parsed.positionals, ...io });
  try {
    return await command.run(context);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CliError || error instanceof KubeApiError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
