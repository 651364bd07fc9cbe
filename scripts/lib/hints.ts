// What to do when a step of the environment fails: one short, actionable hint per known cause.
import path from 'node:path';

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

export function hintFor(step: string, cause: unknown, runDir: string): string | undefined {
  const text = message(cause);
  if (text === 'interrupted') return undefined;
  if (/address already in use|EADDRINUSE/i.test(text)) {
    return 'A port was taken by another process between choosing and binding it; run the demo again (every run picks fresh ports on 127.0.0.1).';
  }
  if (/EACCES|EPERM/.test(text)) return 'A file or port could not be used: check the permissions of the temp directory (TMPDIR) and /dev/shm.';
  switch (step) {
    case 'starting the control plane':
      if (/Go is needed|command not found|build\.sh failed|is missing or not executable/.test(text)) {
        return [
          'kube-apiserver and etcd are built from Go modules on the first run (a few minutes; cached afterwards).',
          'Install Go >= 1.26 and run the demo again, or set KUBEBUILDER_ASSETS to a directory that contains',
          'kube-apiserver and etcd (or TEST_ASSET_KUBE_APISERVER and TEST_ASSET_ETCD to the two binaries).',
        ].join('\n');
      }
      return 'Set KUBEBUILDER_ATTACH_CONTROL_PLANE_OUTPUT=true to see the output of etcd and kube-apiserver.';
    case 'starting the simulator':
    case 'creating volumes':
      return `See the simulator log: ${path.join(runDir, 'element-sim.log')}`;
    case 'templating deploy/samples':
      return 'deploy/samples/ changed in a way the demo does not understand; see the message above.';
    case 'applying the samples':
      return 'The API server rejected a manifest: if the API changed, regenerate the CRDs with `npm run gen:crds` and check deploy/samples/.';
    case 'starting the operator':
      return `See the operator log: ${path.join(runDir, 'operator.log')}`;
    default:
      return undefined;
  }
}
