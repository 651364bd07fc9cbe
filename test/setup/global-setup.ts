// Global setup of the `integration` project: ONE control plane (etcd + kube-apiserver + CRDs) per
// test run, shared by every file; its kubeconfig reaches tests through `inject('kubeconfig')` and
// KUBECONFIG. Teardown stops it; the harness also kills it if the run is interrupted or crashes.
import type { TestProject } from 'vitest/node';
import { startControlPlane } from '../harness/control-plane.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const plane = await startControlPlane();
  project.provide('kubeconfig', plane.kubeconfigPath);
  project.provide('apiServerUrl', plane.apiServerUrl);
  project.provide('controlPlaneRunDir', plane.runDir);
  project.provide('kubectl', plane.binaries.kubectl ?? '');
  process.env['KUBECONFIG'] = plane.kubeconfigPath;
  return () => plane.stop();
}
