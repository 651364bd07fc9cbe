// Where the operator finds its API server, in controller-runtime's order: the --kubeconfig flag,
// then $KUBECONFIG, then the in-cluster service account, then ~/.kube/config. Explicit on purpose:
// client-node's loadFromDefault() prefers a stray ~/.kube/config inside an image over the
// in-cluster account, and falls back to http://localhost:8080 when it finds nothing.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export type KubeConfigSource = 'flag' | 'env' | 'in-cluster' | 'home';

export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  source: KubeConfigSource;
  /** API server URL of the current context, for the start-up log line. */
  server: string;
}

export interface LoadKubeConfigOptions {
  /** The --kubeconfig flag. */
  kubeconfig?: string | undefined;
  /** kubectl's --context: use this context of the configuration instead of its current one. */
  context?: string | undefined;
  env?: Record<string, string | undefined>;
  homeDir?: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function loadKubeConfig(options: LoadKubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const kubeConfig = new KubeConfig();
  let source: KubeConfigSource;
  const envPaths = (env['KUBECONFIG'] ?? '').split(delimiter).filter(Boolean);
  const homeConfig = join(options.homeDir ?? homedir(), '.kube', 'config');

  if (options.kubeconfig) {
    kubeConfig.loadFromFile(options.kubeconfig);
    source = 'flag';
  } else if (envPaths.length > 0) {
    loadMerged(kubeConfig, envPaths);
    source = 'env';
  } else if (env['KUBERNETES_SERVICE_HOST'] && env['KUBERNETES_SERVICE_PORT']) {
    kubeConfig.loadFromCluster();
    source = 'in-cluster';
  } else if (existsSync(homeConfig)) {
    kubeConfig.loadFromFile(homeConfig);
    source = 'home';
  } else {
    throw new Error('no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, or run in a cluster');
  }

  if (options.context) {
    if (!kubeConfig.getContextObject(options.context)) throw new Error(`context ${JSON.stringify(options.context)} is not in the ${source} Kubernetes configuration`);
    kubeConfig.setCurrentContext(options.context);
  }
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error(`the ${source} Kubernetes configuration has no current cluster`);
  return { kubeConfig, source, server };
}

/** $KUBECONFIG may list several files; like kubectl, the first one that sets a value wins. */
function loadMerged(kubeConfig: KubeConfig, paths: string[]): void {
  const [first, ...rest] = paths.filter((p) => existsSync(p));
  if (!first) throw new Error('none of the files in KUBECONFIG exists');
  kubeConfig.loadFromFile(first);
  for (const path of rest) {
    const next = new KubeConfig();
    next.loadFromFile(path);
    const known = {
      clusters: new Set(kubeConfig.clusters.map((c) => c.name)),
      users: new Set(kubeConfig.users.map((u) => u.name)),
      contexts: new Set(kubeConfig.contexts.map((c) => c.name)),
    };
    next.clusters.filter((c) => !known.clusters.has(c.name)).forEach((c) => kubeConfig.addCluster(c));
    next.users.filter((u) => !known.users.has(u.name)).forEach((u) => kubeConfig.addUser(u));
    next.contexts.filter((c) => !known.contexts.has(c.name)).forEach((c) => kubeConfig.addContext(c));
    if (!kubeConfig.currentContext && next.currentContext) kubeConfig.setCurrentContext(next.currentContext);
  }
}

/** The namespace of the pod's service account, when running in a cluster. */
export function serviceAccountNamespace(dir = SERVICE_ACCOUNT_DIR): string | undefined {
  try {
    return readFileSync(join(dir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
