// Test-only: request/response examples copied from /work/shared/element-api.md (§2.1, §6 F1–F13)
// and the vendor page (seed 000). The keys here are documentation examples, not live credentials.

/** §2.1 cluster key example (docs `startclusterpairing.adoc`, 496 hex chars). */
export const DOC_CLUSTER_KEY =
  '7b22636c7573746572506169724944223a312c22636c75737465725061697255554944223a2231636561313336322d346338662d343631612d626537322d373435363661393533643266222c22636c7573746572556e697175654944223a2278736d36222c226d766970223a223139322e3136382e3133392e313232222c226e616d65223a224175746f54657374322d63307552222c2270617373776f7264223a22695e59686f20492d64774d7d4c67614b222c22727063436f6e6e656374696f6e4944223a3931333134323634392c22757365726e616d65223a225f5f53465f706169725f50597a796647704c7246564432444a42227d';
export const DOC_CLUSTER_KEY_JSON =
  '{"clusterPairID":1,"clusterPairUUID":"1cea1362-4c8f-461a-be72-74566a953d2f","clusterUniqueID":"xsm6","mvip":"192.168.139.122","name":"AutoTest2-c0uR","password":"i^Yho I-dwM}LgaK","rpcConnectionID":913142649,"username":"__SF_pair_PYzyfGpLrFVD2DJB"}';

/** §2.1 volume key example (docs `startvolumepairing.adoc`, 230 hex chars). */
export const DOC_VOLUME_KEY =
  '7b226d766970223a223139322e3136382e3133392e313232222c22766f6c756d654944223a312c22766f6c756d654e616d65223a2254657374222c22766f6c756d655061697255554944223a2236393632346663622d323032652d343332352d613536392d656339633635356337623561227d';
export const DOC_VOLUME_KEY_JSON =
  '{"mvip":"192.168.139.122","volumeID":1,"volumeName":"Test","volumePairUUID":"69624fcb-202e-4325-a569-ec9c655c7b5a"}';

/**
 * The vendor page's CompleteClusterPairing request example (seed 000, line 162): the documented key
 * with one character inserted ("…7573746572555" + "56e69…") and one dropped later, so its bytes
 * are not UTF-8. A decoder must reject it cleanly.
 */
export const SEED_CORRUPTED_CLUSTER_KEY =
  '7b22636c7573746572506169724944223a312c22636c75737465725061697255554944223a2231636561313336322d346338662d343631612d626537322d373435363661393533643266222c22636c75737465725556e697175654944223a2278736d36222c226d766970223a223139322e3136382e3133392e313232222c226e616d65223a224175746f54657374322d6330755222c2270617373776f7264223a22695e59686f20492d64774d7d4c67614b222c22727063436f6e6e656374696f6e4944223a3931333134323634392c22757365726e616d65223a225f5f53465f706169725f50597a796647704c7246564432444a42227d';

/**
 * The vendor page's CompleteVolumePairing request example (seed 000, line 215): a *cluster* key (a docs
 * mistake, element-api.md §2.1), also corrupted: odd length (497 hex chars).
 */
export const SEED_ODD_LENGTH_KEY =
  '7b22636c7573746572506169724944223a312c22636c75737465725061697255554944223a2231636561313336322d346338662d343631612d626537322d373435363661393533643266222c22636c75737465725556e697175654944223a2278736d36222c226d766970223a223139322e3136382e3133392e313232222c226e616d65223a224175746f54657374322d63307552222c2270617373776f7264223a22695e59686f20492d64774d7d4c67614b222c22727063436f6e6e656374696f6e4944223a3931333134323634392c22757365726e616d65223a225f5f53465f706169725f50597a796647704c7246564432444a42227d';

/** F3: PROD's StartClusterPairing key. */
export const F3_CLUSTER_KEY =
  '7b22636c7573746572506169724944223a35352c22636c75737465725061697255554944223a2262393332323437382d333737392d346364332d393038662d326134386632323230326665222c22636c7573746572556e697175654944223a2277637762222c226d766970223a2231302e302e302e3130222c226e616d65223a2250524f44222c2270617373776f7264223a22695e59686f20492d64774d7d4c67614b222c22727063436f6e6e656374696f6e4944223a3931333134323634392c22757365726e616d65223a225f5f53465f706169725f50597a796647704c7246564432444a42227d';
export const F3_CLUSTER_KEY_JSON =
  '{"clusterPairID":55,"clusterPairUUID":"b9322478-3779-4cd3-908f-2a48f22202fe","clusterUniqueID":"wcwb","mvip":"10.0.0.10","name":"PROD","password":"i^Yho I-dwM}LgaK","rpcConnectionID":913142649,"username":"__SF_pair_PYzyfGpLrFVD2DJB"}';

/** F7: PROD volume 158's StartVolumePairing key. */
export const F7_VOLUME_KEY =
  '7b226d766970223a2231302e302e302e3130222c22766f6c756d654944223a3135382c22766f6c756d654e616d65223a2274657374222c22766f6c756d655061697255554944223a2234346466316435652d383639342d346564312d626461662d666137373366623962313635227d';
export const F7_VOLUME_KEY_JSON =
  '{"mvip":"10.0.0.10","volumeID":158,"volumeName":"test","volumePairUUID":"44df1d5e-8694-4ed1-bdaf-fa773fb9b165"}';

export const PAIR_UUID = 'b9322478-3779-4cd3-908f-2a48f22202fe';
export const VOLUME_PAIR_UUID = '44df1d5e-8694-4ed1-bdaf-fa773fb9b165';

export const SUPPORTED_VERSIONS = [
  '1.0', '2.0', '3.0', '4.0', '5.0', '5.1', '6.0', '7.0', '7.1', '7.2', '7.3', '7.4', '8.0', '8.1', '8.2', '8.3', '8.4', '8.5',
  '8.6', '8.7', '9.0', '9.1', '9.2', '9.3', '9.4', '9.5', '9.6', '10.0', '10.1', '10.2', '10.3', '10.4', '10.5', '10.6',
  '10.7', '11.0', '11.1', '11.3', '11.5', '11.7', '11.8', '12.0', '12.2', '12.3', '12.5',
];

/** F1: GetAPI result; the method list is keyed by the requested endpoint version. */
export function getApiResult(requestedVersion: string): Record<string, unknown> {
  return { [requestedVersion]: ['CompleteClusterPairing', 'ListClusterPairs', '…'], currentVersion: '12.5', supportedVersions: SUPPORTED_VERSIONS };
}

/** F4: the pending pair on PROD before completion. */
export const F4_PENDING_PAIR = {
  clusterName: '', clusterPairID: 55, clusterPairUUID: PAIR_UUID, clusterUUID: '', latency: 0, mvip: '', status: 'Unconfigured', version: '',
};

/** F5: PROD's view once connected. */
export const F5_CONNECTED_PAIR_ON_PROD = {
  clusterName: 'DR', clusterPairID: 55, clusterPairUUID: PAIR_UUID, clusterUUID: 'bgn0', latency: 1, mvip: '10.0.1.10', status: 'Connected', version: '12.5.0.897',
};

/** F7: the pending volume pair on PROD 158. */
export const F7_PENDING_VOLUME_PAIR = {
  clusterPairID: 0,
  remoteReplication: {
    mode: 'Async', pauseLimit: 3145728000, remoteServiceID: 14, resumeDetails: '',
    snapshotReplication: { state: 'Unconfigured', stateDetails: '' }, state: 'Unconfigured', stateDetails: '',
  },
  remoteSliceID: 0, remoteVolumeID: 0, remoteVolumeName: '', volumePairUUID: VOLUME_PAIR_UUID,
};

/** F9: PROD volume 158 after sync, exactly as captured (unknown fields included). */
export function f9Volume(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access: 'readWrite', accountID: 1, attributes: {}, blockSize: 4096,
    createTime: '2024-04-02T13:03:02Z', currentProtectionScheme: 'doubleHelix', deleteTime: '',
    enable512e: true, enableSnapMirrorReplication: false, fifoSize: 24,
    iqn: 'iqn.2010-01.com.solidfire:wcwb.test.158', lastAccessTime: null, lastAccessTimeIO: null,
    minFifoSize: 0, name: 'test', previousProtectionScheme: null, purgeTime: '',
    qos: {
      burstIOPS: 15000, burstTime: 60,
      curve: { '1048576': 15000, '131072': 1950, '16384': 270, '262144': 3900, '32768': 500, '4096': 100, '524288': 7600, '65536': 1000, '8192': 160 },
      maxIOPS: 15000, minIOPS: 50,
    },
    qosPolicyID: null,
    scsiEUIDeviceID: '776377620000009ef47acc0100000000', scsiNAADeviceID: '6f47acc100000000776377620000009e',
    sliceCount: 1, status: 'active', totalSize: 2000683008, virtualVolumeID: null,
    volumeAccessGroups: [], volumeConsistencyGroupUUID: 'e6b28e75-c21c-4bad-8a2e-056bcec14e4c',
    volumeID: 158,
    volumePairs: [
      {
        clusterPairID: 55,
        remoteReplication: {
          mode: 'Async', pauseLimit: 3145728000, remoteServiceID: 14, resumeDetails: '',
          snapshotReplication: { state: 'Idle', stateDetails: '' }, state: 'Active', stateDetails: '',
        },
        remoteSliceID: 260, remoteVolumeID: 260, remoteVolumeName: 'testr', volumePairUUID: VOLUME_PAIR_UUID,
      },
    ],
    volumeUUID: '4b31894c-b3d4-4dbc-a438-d60aa96f7c49',
    ...overrides,
  };
}

/** §1.3 / F2: what a cluster sends for bad credentials. */
export const UNAUTHORIZED_HTML = '<html><head><title>401 Unauthorized.</title></head></html>';
