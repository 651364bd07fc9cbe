// Starts a local control plane (etcd + kube-apiserver + the project's CRDs) for manual use:
//   npm run control-plane [-- --crds <dir> | --no-crds]
// Prints exactly one JSON line {"kubeconfig": "<path>"} on stdout once ready (progress goes to
// stderr) and stops everything on Ctrl-C or SIGTERM.
import { parseArgs } from 'node:util';
import { startControlPlane, type ControlPlane } from '../test/harness/control-plane.ts';

const { values } = parseArgs({
  options: {
    crds: { type: 'string' },
    'no-crds': { type: 'boolean', default: false },
  },
});

let plane: ControlPlane | undefined;
let stopping = false;
const exitCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

function onSignal(signal: NodeJS.Signals): void {
  if (!plane) {
    // Still starting: exit now; the harness's exit handler kills whatever it had started.
    process.exit(exitCodes[signal] ?? 1);
  }
  if (stopping) return;
  stopping = true;
  process.stderr.write(`[control-plane] ${signal}: stopping\n`);
  void plane.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[control-plane] stop failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  plane = await startControlPlane({ crdDirectory: values['no-crds'] ? null : values.crds });
} catch (error) {
  process.stderr.write(`[control-plane] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ kubeconfig: plane.kubeconfigPath })}\n`);
process.stderr.write(`[control-plane] try: kubectl --kubeconfig ${plane.kubeconfigPath} get crds   (Ctrl-C stops)\n`);
// Under `npm run`, a SIGTERM to npm reaches only `sh -c` (dash does not forward it), which leaves
// this process orphaned: treat the loss of the parent like SIGTERM. Otherwise just stay alive.
const parentPid = process.ppid;
const launchedByNpm = process.env['npm_lifecycle_event'] === 'control-plane';
setInterval(() => {
  if (launchedByNpm && process.ppid !== parentPid) onSignal('SIGTERM');
}, 1000);
