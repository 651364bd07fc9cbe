// Builders for planner tests: a source volume 158 on cluster dc1 (clusterPairID 55) and a target
// volume 260 on dc2 (clusterPairID 61), as in element-api.md F7–F9.
import type { VolumePairSpec, VolumePairStatus } from '../../api/index.ts';
import type {
  ClusterPairView,
  ObservedVolume,
  ObservedVolumePair,
  PairingIntent,
  VolumePairPlan,
  PlanInput,
  SideObservation,
  VolumePairView,
} from './plan-types.ts';

export const NOW = '2026-03-01T12:00:00Z';
export const UUID = '44df1d5e-8694-4ed1-bdaf-fa773fb9b165';
export const OTHER_UUID = '69624fcb-202e-4325-a569-ec9c655c7b5a';
export const SRC = 158;
export const TGT = 260;
export const CP = { A: 55, B: 61 };
export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

export function vol(volumeID: number, overrides: Partial<ObservedVolume> = {}): ObservedVolume {
  return {
    volumeID,
    name: `vol-${volumeID}`,
    accountID: 1,
    access: 'readWrite',
    totalSize: GIB,
    enable512e: true,
    lastAccessTime: null,
    status: 'active',
    deleteTime: '',
    volumePairs: [],
    ...overrides,
  };
}

export function vpair(
  clusterPairID: number,
  remoteVolumeID: number,
  state = 'Active',
  extra: { uuid?: string; mode?: string; snapshot?: string } = {},
): ObservedVolumePair {
  return {
    clusterPairID,
    remoteVolumeID,
    volumePairUUID: extra.uuid ?? UUID,
    remoteReplication: { mode: extra.mode ?? 'Async', state, snapshotReplication: { state: extra.snapshot ?? 'Idle' } },
  };
}

export const pending = (uuid = UUID): ObservedVolumePair => ({
  clusterPairID: 0,
  remoteVolumeID: 0,
  volumePairUUID: uuid,
  remoteReplication: { mode: 'Async', state: 'Unconfigured' },
});

/** An established, healthy pair: 158 readWrite on A, 260 replicationTarget on B. */
export function pairedVolumes(sState = 'Active', tState = sState, mode = 'Async'): { a: ObservedVolume; b: ObservedVolume } {
  return {
    a: vol(SRC, { volumePairs: [vpair(CP.A, TGT, sState, { mode })] }),
    b: vol(TGT, { access: 'replicationTarget', volumePairs: [vpair(CP.B, SRC, tState, { mode })] }),
  };
}

export const intentA: PairingIntent = { phase: 'Starting', startedAt: NOW, sourceSide: 'A', sourceVolumeID: SRC };

export const ownedStatus: VolumePairStatus = { sideA: { volumeID: SRC }, sideB: { volumeID: TGT } };

export interface Scenario {
  a?: ObservedVolume | ObservedVolume[] | 'unreachable';
  b?: ObservedVolume | ObservedVolume[] | 'unreachable';
  spec?: Partial<VolumePairSpec>;
  status?: VolumePairStatus;
  vp?: Partial<Omit<VolumePairView, 'spec' | 'status'>>;
  cp?: Partial<ClusterPairView> | 'missing';
  key?: boolean;
  claims?: PlanInput['claims'];
}

function side(v: Scenario['a']): SideObservation {
  if (v === 'unreachable') return { reachable: false, message: 'ElementCluster dc is not Ready' };
  if (v === undefined) return { reachable: true, candidates: [] };
  return { reachable: true, candidates: Array.isArray(v) ? v : [v] };
}

export function scenario(s: Scenario = {}): PlanInput {
  const spec: VolumePairSpec = {
    clusterPairRef: { name: 'dc1-dc2' },
    sideA: { volumeID: SRC },
    sideB: { volumeID: TGT },
    primarySide: 'A',
    failover: 'Planned',
    mode: 'Async',
    paused: false,
    targetPolicy: 'RequireUnused',
    targetSizePolicy: 'Grow',
    deletionPolicy: 'Delete',
    managementPolicy: 'Manage',
    ...s.spec,
  };
  const cp: ClusterPairView | undefined =
    s.cp === 'missing'
      ? undefined
      : { paired: true, connected: true, clusterPairIDs: CP, managementPolicy: 'Manage', allowRepair: false, volumePairPolicy: { adoptExisting: true, allowOverwrite: false }, ...s.cp };
  return {
    now: NOW,
    volumePair: {
      namespace: 'db',
      name: 'pg',
      generation: 3,
      creationTimestamp: '2026-02-01T00:00:00Z',
      annotations: {},
      deleting: false,
      hasFinalizer: true,
      ...s.vp,
      spec,
      status: s.status ?? {},
    },
    clusterPair: cp,
    sides: { A: side(s.a ?? vol(SRC)), B: side(s.b ?? vol(TGT)) },
    elementClusters: { A: 'dc1', B: 'dc2' },
    claims: s.claims ?? [],
    keySecretExists: s.key ?? false,
  };
}

export function condition(plan: VolumePairPlan, type: string): { status: string; reason: string; message: string } | undefined {
  return plan.status.conditions?.find((c) => c.type === type);
}
