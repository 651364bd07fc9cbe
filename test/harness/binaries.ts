// Finds kube-apiserver, etcd and kubectl the way envtest does (TEST_ASSET_* first, then
// KUBEBUILDER_ASSETS), and otherwise runs test/control-plane/build.sh, which builds them from Go
// modules into a version-keyed cache or reuses that cache. Binaries are never downloaded prebuilt.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const buildScript = path.join(repoRoot, 'test/control-plane/build.sh');

export interface Binaries {
  kubeApiServer: string;
  etcd: string;
  /** kubectl for tests; undefined when none was found (it is not needed to run the plane). */
  kubectl: string | undefined;
}

function isExecutable(file: string | undefined): file is string {
  if (!file) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** TEST_ASSET_<NAME> (envtest's naming: upper case, non-alphanumerics to `_`), then KUBEBUILDER_ASSETS/<name>. */
function fromEnvironment(name: string): string | undefined {
  const variable = `TEST_ASSET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  const explicit = process.env[variable];
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${variable}=${explicit} is not an executable file`);
    return explicit;
  }
  const assets = process.env['KUBEBUILDER_ASSETS'];
  const candidate = assets ? path.join(assets, name) : undefined;
  return isExecutable(candidate) ? candidate : undefined;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = dir ? path.join(dir, name) : undefined;
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Runs build.sh (a no-op in about a second when cached); its progress streams to our stderr. */
export function runBuildScript(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [buildScript], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const dir = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && dir) resolve(dir);
      else reject(new Error(`${buildScript} failed with exit code ${code}; see its output above`));
    });
  });
}

export async function resolveBinaries(): Promise<Binaries> {
  let kubeApiServer = fromEnvironment('kube-apiserver');
  let etcd = fromEnvironment('etcd');
  let kubectl = fromEnvironment('kubectl') ?? onPath('kubectl');
  if (!kubeApiServer || !etcd) {
    const dir = await runBuildScript();
    kubeApiServer ??= path.join(dir, 'kube-apiserver');
    etcd ??= path.join(dir, 'etcd');
    const built = path.join(dir, 'kubectl');
    if (!kubectl && isExecutable(built)) kubectl = built;
  }
  for (const file of [kubeApiServer, etcd]) {
    if (!isExecutable(file)) throw new Error(`control-plane binary ${file} is missing or not executable`);
  }
  return { kubeApiServer, etcd, kubectl };
}
