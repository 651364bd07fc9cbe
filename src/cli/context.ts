// What every command gets: the parsed flags, the output streams, and (loaded on first use) the
// Kubernetes client of --kubeconfig/--context with the namespace kubectl would use.
import { KubeClient } from '../kube/client.ts';
import { loadKubeConfig } from '../kube/kubeconfig.ts';
import type { FlagValues } from './args.ts';
import { stringFlag } from './args.ts';

export const DEFAULT_OPERATOR_NAMESPACE = 'elementrepl-system';
/** managedFields name of the CLI's patches (switchover, approve-resync), apart from the operator's. */
export const CLI_FIELD_MANAGER = 'kubectl-elementrepl';

/** A failure the command explains in one line (exit 1). */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface Output {
  write(text: string): void;
}

export interface CliContext {
  flags: FlagValues;
  positionals: string[];
  stdout: Output & { isTTY?: boolean };
  stderr: Output;
  /** Where approve-resync asks for confirmation (only when it is a terminal). */
  stdin?: (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
  kube(): KubeClient;
  /** -n, else the context's namespace, else default. */
  namespace(): string;
  operatorNamespace(): string;
  /** Aborted on SIGINT/SIGTERM (status --watch). */
  signal: AbortSignal;
}

export function createContext(options: { flags: FlagValues; positionals: string[]; stdout: CliContext['stdout']; stderr: Output; stdin?: CliContext['stdin']; signal: AbortSignal }): CliContext {
  let loaded: { client: KubeClient; namespace: string } | undefined;
  const load = () => {
    if (loaded === undefined) {
      let kubeConfig;
      try {
        ({ kubeConfig } = loadKubeConfig({ kubeconfig: stringFlag(options.flags, 'kubeconfig'), context: stringFlag(options.flags, 'context') }));
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error));
      }
      const namespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace || 'default';
      loaded = { client: new KubeClient(kubeConfig, { requestTimeoutMs: 30_000, fieldManager: CLI_FIELD_MANAGER }), namespace };
    }
    return loaded;
  };
  return {
    ...options,
    kube: () => load().client,
    namespace: () => stringFlag(options.flags, 'namespace') ?? load().namespace,
    operatorNamespace: () => stringFlag(options.flags, 'operator-namespace') ?? DEFAULT_OPERATOR_NAMESPACE,
  };
}
