// Planner steps in words (pure): each Element call as "<ElementCluster> volume <id>: <Method> …",
// each Kubernetes write the operator would make as a short phrase.
import type { Step as ClusterPairStep } from '../reconcilers/cluster-pair/plan-types.ts';
import type { ObservedVolume, Step as VolumePairStep } from '../reconcilers/volume-pair/plan-types.ts';

export type Described =
  | { kind: 'element'; cluster: string; method: string; text: string }
  | { kind: 'kubernetes'; text: string }
  | { kind: 'none' };

type Names = { A: string; B: string };

const KUBE_WRITES: Record<string, string> = {
  addFinalizer: 'add the cleanup finalizer',
  dropFinalizer: 'remove the cleanup finalizer',
  writeIntent: 'record the pairing intent in status',
  clearIntent: 'clear the pairing intent',
  deleteKeySecret: 'delete the pairing-key Secret',
};

function element(cluster: string, method: string, text: string): Described {
  return { kind: 'element', cluster, method, text: text.startsWith(':') ? `${cluster}${text}` : `${cluster} ${text}` };
}

export function describeVolumePairStep(step: VolumePairStep, names: Names, volume: (side: 'A' | 'B', id: number) => ObservedVolume | undefined): Described {
  const where = (_side: 'A' | 'B', id: number) => `volume ${id}:`;
  switch (step.kind) {
    case 'none':
      return { kind: 'none' };
    case 'modifyVolumeAccess': {
      const v = volume(step.side, step.volumeID);
      const never = step.access === 'replicationTarget' && v !== undefined && (v.lastAccessTime === undefined || v.lastAccessTime === null || v.lastAccessTime === '') ? ' (never accessed)' : '';
      return element(names[step.side], 'ModifyVolume', `${where(step.side, step.volumeID)} ModifyVolume access=${step.access}${never}`);
    }
    case 'startVolumePairing':
      return element(names[step.side], 'StartVolumePairing', `${where(step.side, step.volumeID)} StartVolumePairing ${step.mode}`);
    case 'completeVolumePairing':
      return element(names[step.side], 'CompleteVolumePairing', `${where(step.side, step.volumeID)} CompleteVolumePairing`);
    case 'removeVolumePair':
      return element(names[step.side], 'RemoveVolumePair', `${where(step.side, step.volumeID)} RemoveVolumePair (${step.why})`);
    case 'growVolume':
      return element(names[step.side], 'ModifyVolume', `${where(step.side, step.volumeID)} ModifyVolume totalSize=${step.totalSize}`);
    case 'modifyVolumePair': {
      const change = 'mode' in step.change ? `mode=${step.change.mode}` : `pausedManual=${step.change.pausedManual}`;
      return element(names[step.side], 'ModifyVolumePair', `${where(step.side, step.volumeID)} ModifyVolumePair ${change}`);
    }
    default:
      return { kind: 'kubernetes', text: KUBE_WRITES[step.kind] ?? step.kind };
  }
}

export function describeClusterPairStep(step: ClusterPairStep, names: Names): Described[] {
  switch (step.kind) {
    case 'none':
      return [{ kind: 'none' }];
    case 'startPairing':
      return [element(names.A, 'StartClusterPairing', ': StartClusterPairing')];
    case 'completePairing':
      return [element(names.B, 'CompleteClusterPairing', ': CompleteClusterPairing')];
    case 'removePendingPair':
    case 'removeHalf':
      return [element(names[step.side], 'RemoveClusterPair', `: RemoveClusterPair ${step.clusterPairID}`)];
    case 'removeBoth':
      return (['A', 'B'] as const).flatMap((side) => {
        const id = step.clusterPairIDs[side];
        return id === undefined ? [] : [element(names[side], 'RemoveClusterPair', `: RemoveClusterPair ${id}`)];
      });
    default:
      return [{ kind: 'kubernetes', text: KUBE_WRITES[step.kind] ?? step.kind }];
  }
}
