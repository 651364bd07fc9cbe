import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeConfig, serviceAccountNamespace } from './kubeconfig.ts';

function kubeconfigFile(dir: string, name: string, server: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: ${name}, cluster: {server: "${server}"}}]`,
      `users: [{name: ${name}, user: {token: t}}]`,
      `contexts: [{name: ${name}, context: {cluster: ${name}, user: ${name}}}]`,
      `current-context: ${name}`,
    ].join('\n'),
  );
  return file;
}

describe('loadKubeConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
  const flagFile = kubeconfigFile(dir, 'flag', 'https://127.0.0.1:1001');
  const envFile = kubeconfigFile(dir, 'env', 'https://127.0.0.1:1002');
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  kubeconfigFile(join(home, '.kube'), 'config', 'https://127.0.0.1:1003');

  it('prefers the --kubeconfig flag over KUBECONFIG and the in-cluster account', () => {
    const loaded = loadKubeConfig({ kubeconfig: flagFile, env: { KUBECONFIG: envFile, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: home });

    expect(loaded).toMatchObject({ source: 'flag', server: 'https://127.0.0.1:1001' });
  });

  it('uses KUBECONFIG before the in-cluster account, skipping missing files', () => {
    const loaded = loadKubeConfig({ env: { KUBECONFIG: `${join(dir, 'missing')}:${envFile}`, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: home });

    expect(loaded).toMatchObject({ source: 'env', server: 'https://127.0.0.1:1002' });
  });

  it('falls back to ~/.kube/config outside a cluster', () => {
    expect(loadKubeConfig({ env: {}, homeDir: home })).toMatchObject({ source: 'home', server: 'https://127.0.0.1:1003' });
  });

  it('says what to do when nothing is configured', () => {
    expect(() => loadKubeConfig({ env: {}, homeDir: join(dir, 'nowhere') })).toThrow(/--kubeconfig/);
  });

  it('reads the service account namespace, trimmed', () => {
    writeFileSync(join(dir, 'namespace'), 'elementrepl-system\n');

    expect(serviceAccountNamespace(dir)).toBe('elementrepl-system');
    expect(serviceAccountNamespace(join(dir, 'nowhere'))).toBeUndefined();
  });
});
