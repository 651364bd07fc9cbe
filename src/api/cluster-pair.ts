// ClusterPair: two ElementClusters that must be paired (DESIGN.md §2). Cluster-scoped.
import { z } from 'zod';
import { immutable, withCrd } from './crd-meta.ts';
import { DeletionPolicy, ManagementPolicy, NamespaceName, ObjectMeta, ObjectName, PairingPhase, Timestamp } from './common.ts';
import { Conditions } from './conditions.ts';
import { Incident } from './incidents.ts';

export const ElementClusterRef = z
  .object({ name: ObjectName.describe('Name of the ElementCluster.') })
  .describe('Reference to an ElementCluster.');
export type ElementClusterRef = z.infer<typeof ElementClusterRef>;

function immutableClusterRef(field: string, role: string) {
  return withCrd(ElementClusterRef.describe(`The ElementCluster of side ${role}. Immutable.`), {
    validations: [immutable(field)],
  });
}

const AccountIDs = withCrd(z.array(z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe('An Element account ID.')).max(1024), { listType: 'set' });

export const NamespaceAccounts = z
  .object({
    namespace: NamespaceName.describe('A namespace whose VolumePairs may use this pair.'),
    accountsA: AccountIDs.default([]).describe('Accounts on side A whose volumes the namespace may name.'),
    accountsB: AccountIDs.default([]).describe('Accounts on side B whose volumes the namespace may name.'),
  })
  .describe("The Element accounts a namespace's VolumePairs may use on each side.");
export type NamespaceAccounts = z.infer<typeof NamespaceAccounts>;

export const VolumePairPolicy = z
  .object({
    adoptExisting: z.boolean().default(true).describe('VolumePairs may adopt a volume pair that already exists on Element.'),
    allowOverwrite: z.boolean().default(false).describe('VolumePairs may use targetPolicy: Overwrite for new pairings (it makes a used volume a replicationTarget).'),
  })
  .describe('What the VolumePairs under this ClusterPair may do (DESIGN §10).');
export type VolumePairPolicy = z.infer<typeof VolumePairPolicy>;

export const ClusterPairSpec = withCrd(
  z
    .object({
      clusterARef: immutableClusterRef('clusterARef', 'A, where StartClusterPairing runs'),
      clusterBRef: immutableClusterRef('clusterBRef', 'B, where CompleteClusterPairing runs'),
      allowedNamespaces: withCrd(
        z
          .array(NamespaceName.describe('A namespace name.'))
          .max(256)
          .optional()
          .describe('Namespaces whose VolumePairs may use this pair. All namespaces when absent; none when empty ([]).'),
        { listType: 'set' },
      ),
      namespaceAccounts: withCrd(
        z
          .array(NamespaceAccounts)
          .max(256)
          .optional()
          .describe('Per namespace, the Element accounts whose volumes its VolumePairs may name. When set, a namespace not listed may name no volume.'),
        { listType: 'map', listMapKeys: ['namespace'] },
      ),
      volumePairPolicy: VolumePairPolicy.default({ adoptExisting: true, allowOverwrite: false }),
      deletionPolicy: DeletionPolicy.default('Delete'),
      managementPolicy: ManagementPolicy.default('Manage'),
    })
    .refine((spec) => spec.clusterARef.name !== spec.clusterBRef.name, {
      message: 'clusterARef and clusterBRef must name different ElementClusters',
      path: ['clusterBRef'],
    })
    .describe('The two ElementClusters to pair and what the operator may do with the pair.'),
  {
    validations: [
      {
        rule: 'self.clusterARef.name != self.clusterBRef.name',
        message: 'clusterARef and clusterBRef must name different ElementClusters',
        fieldPath: '.clusterBRef',
      },
    ],
  },
);
export type ClusterPairSpec = z.infer<typeof ClusterPairSpec>;

/** The worse side wins, in this order (DESIGN.md §2). */
export const CONNECTION_STATUS_ORDER = [
  'Connected',
  'Connecting',
  'Unconfigured',
  'Misconfigured',
  'Disconnected',
  'Unknown',
] as const;
export const ConnectionStatus = z
  .enum(CONNECTION_STATUS_ORDER)
  .describe('Connection status of the pair: the worse of both sides (Connected < Connecting < Unconfigured < Misconfigured < Disconnected < Unknown).');
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const ClusterPairSideStatus = z
  .object({
    clusterPairID: z.int().min(0).optional().describe('Local clusterPairID of the pair on this side (differs per side).'),
    status: z.string().optional().describe('Raw pair status on this side as Element reports it, e.g. Connected.'),
    latencyMs: z.int().min(0).optional().describe('Latency to the other cluster in milliseconds, as reported by this side.'),
    remoteClusterName: z.string().optional().describe('Name of the other cluster as this side sees it.'),
    remoteMVIP: z.string().optional().describe('MVIP of the other cluster as this side sees it.'),
    remoteVersion: z.string().optional().describe('Element version of the other cluster as this side sees it.'),
  })
  .describe('The pair as one cluster lists it.');
export type ClusterPairSideStatus = z.infer<typeof ClusterPairSideStatus>;

export const ClusterPairPairing = z
  .object({
    phase: PairingPhase,
    startedAt: Timestamp.describe('When the intent was written.'),
    highestPairIDOnA: z
      .int()
      .min(0)
      .describe('Highest clusterPairID on side A before StartClusterPairing: a pending pair above it is ours.'),
    pendingPairIDOnA: z
      .int()
      .min(0)
      .optional()
      .describe('The pending pair StartClusterPairing created on side A, recorded when its key was deleted before the pairing finished (paused): it may be left on Element.'),
  })
  .describe('Write-ahead intent recorded before StartClusterPairing, so that a pending pair is attributable after a crash.');
export type ClusterPairPairing = z.infer<typeof ClusterPairPairing>;

export const ClusterPairStatus = z
  .object({
    observedGeneration: z.int().min(0).optional().describe('metadata.generation this status was computed from.'),
    clusterPairUUID: z.string().optional().describe('clusterPairUUID of the pair, identical on both clusters: the identity of the pair.'),
    sideA: ClusterPairSideStatus.optional(),
    sideB: ClusterPairSideStatus.optional(),
    connectionStatus: ConnectionStatus.optional(),
    latencyMs: z
      .int()
      .min(0)
      .optional()
      .describe('Latency in milliseconds of the worse side: the higher of sideA.latencyMs and sideB.latencyMs (absent when neither side reports one).'),
    pairing: ClusterPairPairing.optional(),
    incident: Incident.optional().describe(
      'A pending pair nothing explains (UnexplainedPendingPair), while it lasts: approve its removal with `elementrepl.io/remove-pending-pair: "<side>:<id>:<token>"`.',
    ),
    conditions: Conditions.optional(),
  })
  .describe('Observed state of the cluster pair.');
export type ClusterPairStatus = z.infer<typeof ClusterPairStatus>;

export const ClusterPair = z
  .object({
    apiVersion: z.string().optional().describe('APIVersion of the object.'),
    kind: z.string().optional().describe('Kind of the object.'),
    metadata: ObjectMeta,
    spec: ClusterPairSpec,
    status: ClusterPairStatus.optional(),
  })
  .describe('ClusterPair declares that two ElementClusters are paired for replication.');
export type ClusterPair = z.infer<typeof ClusterPair>;
