// Helpers for integration tests running against the run's shared control plane (see
// test/setup/global-setup.ts). Namespaces never finish deleting there (no namespace controller),
// so tests use a fresh namespace each and do not wait for deletion.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createApiClient, credentialsFromKubeconfig, type ApiClient } from '../harness/api-client.ts';
import { writeUserKubeconfig } from '../harness/credentials.ts';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  /** Exit code; -1 when kubectl was killed by a signal. */
  code: number;
}

export interface KubectlOptions {
  input?: string;
  /** Another kubeconfig (e.g. from addTestUser); default: the admin kubeconfig. */
  kubeconfig?: string;
  timeoutMs?: number;
}

export function kubeconfigPath(): string {
  return inject('kubeconfig');
}

/** Admin client for raw requests and watches. */
export function adminClient(): ApiClient {
  return createApiClient(credentialsFromKubeconfig(kubeconfigPath()));
}

/** Runs kubectl (TEST_ASSET_KUBECTL, KUBEBUILDER_ASSETS, PATH or the built one) against the test cluster. */
export function kubectl(args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const binary = inject('kubectl');
  if (!binary) throw new Error('no kubectl found: put one on PATH or set TEST_ASSET_KUBECTL');
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--kubeconfig', options.kubeconfig ?? kubeconfigPath(), ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
    child.stdin.end(options.input ?? '');
  });
}

/** Creates a namespace `<prefix>-<random>` and returns its name. */
export async function createTestNamespace(prefix = 't'): Promise<string> {
  const name = `${prefix}-${randomBytes(5).toString('hex')}`;
  const response = await adminClient().request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  if (response.status !== 201) throw new Error(`create namespace ${name}: HTTP ${response.status} ${response.text}`);
  return name;
}

/** A client-certificate user (CN = name, O = groups) of the shared plane; returns its kubeconfig path. */
export function addTestUser(name: string, groups: string[] = []): Promise<string> {
  return writeUserKubeconfig({ runDir: inject('controlPlaneRunDir'), server: inject('apiServerUrl'), name, groups });
}
