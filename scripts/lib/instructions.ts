// What the demo prints once it is up: how to point kubectl at it, what to try, and how to inject
// faults through the simulator's admin API. Pure.
import path from 'node:path';

export interface InstructionInputs {
  kubeconfigPath: string;
  /** kubectl the harness found or built; undefined when there is none. */
  kubectl: string | undefined;
  adminUrl: string;
  clusterNames: readonly [string, string];
  pairNames: readonly string[];
  volumePairNamespace: string;
  operatorLog: string | undefined;
  simulatorLog: string;
  /** PATH of the user, to tell whether `kubectl` resolves to the one we found. */
  pathVariable?: string;
}

function kubectlSetup(kubectl: string | undefined, pathVariable: string): string[] {
  if (kubectl === undefined) return ['# kubectl was not found: install it, or let the control-plane build make one (no kubectl on PATH → it is built)'];
  const dirs = pathVariable.split(path.delimiter);
  return dirs.includes(path.dirname(kubectl)) ? [] : [`alias kubectl=${kubectl}`];
}

/** Commands with their comments aligned in one column. */
function commented(lines: readonly (readonly [string, string?])[]): string[] {
  const width = Math.max(...lines.filter(([, comment]) => comment).map(([command]) => command.length));
  return lines.map(([command, comment]) => (comment ? `  ${command.padEnd(width)}  # ${comment}` : `  ${command}`));
}

export function renderInstructions(inputs: InstructionInputs): string[] {
  const [a, b] = inputs.clusterNames;
  const ns = inputs.volumePairNamespace === 'default' ? '' : ` -n ${inputs.volumePairNamespace}`;
  const first = inputs.pairNames[0] ?? 'test';
  const last = inputs.pairNames[inputs.pairNames.length - 1] ?? first;
  const admin = inputs.adminUrl;
  const link = JSON.stringify({ a, b });
  const patch = (spec: object) => `kubectl patch evp${ns} ${first} --type merge -p '${JSON.stringify({ spec })}'`;
  return [
    '',
    'The demo is up. In another terminal:',
    '',
    `export KUBECONFIG=${inputs.kubeconfigPath}`,
    ...kubectlSetup(inputs.kubectl, inputs.pathVariable ?? process.env['PATH'] ?? ''),
    '',
    ...commented([
      ['kubectl get elementrepl', 'every ElementCluster, ClusterPair and VolumePair'],
      [`kubectl get evp${ns} -w`, 'watch the VolumePairs'],
      [`kubectl describe evp${ns} ${first}`, 'conditions and Events of one pair'],
      [patch({ mode: 'Sync' }), 'change the replication mode'],
      [patch({ paused: true }), 'pause'],
      [patch({ paused: false }), 'resume'],
      [`kubectl delete evp${ns} ${last}`, 'removes the pair on both clusters (deletionPolicy: Delete)'],
    ]),
    '',
    `Faults, through the simulator's admin API (${admin}):`,
    '',
    ...commented([
      [`curl -s -X POST ${admin}/admin/links/cut -d '${link}'`, 'replication link down: pairs go PausedDisconnected'],
      [`curl -s -X POST ${admin}/admin/links/restore -d '${link}'`, 'and back'],
      [`curl -s -X POST ${admin}/admin/clusters/${b}/down -d '{}'`, `${b}'s management API refuses connections`],
      [`curl -s -X POST ${admin}/admin/clusters/${b}/up -d '{}'`, 'and back'],
      [`curl -s -X POST ${admin}/admin/faults/errors -d '{"cluster":"${a}","method":"ListActivePairedVolumes","name":"xDBConnectionLoss","count":3}'`],
      [`curl -s -X DELETE ${admin}/admin/faults`, 'clear injected errors and latency'],
    ]),
    '',
    `Logs: operator ${inputs.operatorLog ?? '(not started)'}, simulator ${inputs.simulatorLog}`,
  ];
}
