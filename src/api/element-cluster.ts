// ElementCluster: how to reach one Element cluster (DESIGN.md §2). Cluster-scoped.
import { z } from 'zod';
import { withCrd } from './crd-meta.ts';
import { NamespaceName, ObjectMeta, ObjectName, Timestamp } from './common.ts';
import { Conditions } from './conditions.ts';

const MVIP_PATTERN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)(:[0-9]{1,5})?$/;
const SHA256_FINGERPRINT_PATTERN = /^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/;

export const CredentialsSecretRef = z
  .object({
    name: ObjectName.describe('Name of the Secret holding the keys `username` and `password` of an Element cluster admin.'),
    namespace: NamespaceName.optional().describe(
      "Namespace of the Secret; defaults to the operator's namespace. Other namespaces need an extra RoleBinding for the operator.",
    ),
  })
  .describe('The Secret with the Element cluster admin credentials. A change of the Secret reconnects.');
export type CredentialsSecretRef = z.infer<typeof CredentialsSecretRef>;

export const CASecretRef = z
  .object({
    name: ObjectName.describe('Name of the Secret holding the PEM CA bundle.'),
    namespace: NamespaceName.optional().describe("Namespace of the Secret; defaults to the operator's namespace."),
    key: z.string().min(1).max(253).default('ca.crt').describe('Key of the CA bundle in the Secret.'),
  })
  .describe('Verify the server certificate against the CA bundle in this Secret.');
export type CASecretRef = z.infer<typeof CASecretRef>;

export const ElementClusterTLS = withCrd(
  z
    .object({
      caSecretRef: CASecretRef.optional(),
      pinnedSHA256: z
        .string()
        .regex(SHA256_FINGERPRINT_PATTERN)
        .optional()
        .describe(
          'Accept exactly the server certificate with this SHA-256 fingerprint (AB:CD:… form). Element certificates are self-signed and often lack an IP SAN, so pinning is the usual choice.',
        ),
      serverName: z
        .string()
        .min(1)
        .max(253)
        .optional()
        .describe('Name used for SNI and certificate verification instead of the MVIP host.'),
      insecureSkipVerify: z
        .boolean()
        .default(false)
        .describe('Skip certificate verification. Allowed, loudly: a Warning Event and TLSVerified=False.'),
    })
    .refine((tls) => [tls.caSecretRef !== undefined, tls.pinnedSHA256 !== undefined, tls.insecureSkipVerify].filter(Boolean).length <= 1, {
      message: 'caSecretRef, pinnedSHA256 and insecureSkipVerify are mutually exclusive',
    })
    .describe('How the server certificate of the MVIP is verified. Without it, the system trust store is used.'),
  {
    validations: [
      {
        rule: '[has(self.caSecretRef), has(self.pinnedSHA256), has(self.insecureSkipVerify) && self.insecureSkipVerify].filter(x, x).size() <= 1',
        message: 'caSecretRef, pinnedSHA256 and insecureSkipVerify are mutually exclusive',
      },
    ],
  },
);
export type ElementClusterTLS = z.infer<typeof ElementClusterTLS>;

export const ElementClusterSpec = z
  .object({
    mvip: z
      .string()
      .min(1)
      .max(260)
      .regex(MVIP_PATTERN)
      .describe('Management virtual IP or host name of the cluster, optionally with :port (443 when absent).'),
    apiVersion: z
      .string()
      .regex(/^[0-9]+\.[0-9]+$/)
      .optional()
      .describe('Element JSON-RPC API version to use, e.g. "12.5"; negotiated with GetAPI when absent.'),
    credentialsSecretRef: CredentialsSecretRef,
    tls: ElementClusterTLS.optional(),
  })
  .describe('How to reach the Element cluster.');
export type ElementClusterSpec = z.infer<typeof ElementClusterSpec>;

export const ElementClusterStatus = z
  .object({
    observedGeneration: z.int().min(0).optional().describe('metadata.generation this status was computed from.'),
    clusterName: z.string().optional().describe('Cluster name reported by GetClusterInfo.'),
    clusterUniqueID: z.string().optional().describe('Four-character unique ID of the cluster (GetClusterInfo uniqueID).'),
    clusterUUID: z
      .string()
      .optional()
      .describe(
        'UUID of the first cluster seen at the MVIP. If the MVIP later answers as another cluster (another UUID, or another uniqueID when either UUID is missing), mutation stops (Ready=False, IdentityMismatch).',
      ),
    clusterMVIP: z
      .string()
      .optional()
      .describe("The cluster's own MVIP as GetClusterInfo reports it (may differ from spec.mvip, e.g. a DNS name or a port); pairs that name this cluster by MVIP are matched against both."),
    elementVersion: z.string().optional().describe('Element software version of the cluster.'),
    apiVersion: z.string().optional().describe('JSON-RPC API version in use.'),
    lastContactTime: Timestamp.optional().describe('Last time the cluster answered a call.'),
    conditions: Conditions.optional(),
  })
  .describe('Observed state of the Element cluster.');
export type ElementClusterStatus = z.infer<typeof ElementClusterStatus>;

export const ElementCluster = z
  .object({
    apiVersion: z.string().optional().describe('APIVersion of the object.'),
    kind: z.string().optional().describe('Kind of the object.'),
    metadata: ObjectMeta,
    spec: ElementClusterSpec,
    status: ElementClusterStatus.optional(),
  })
  .describe('ElementCluster tells the operator how to reach one NetApp Element cluster: its MVIP, credentials and TLS trust.');
export type ElementCluster = z.infer<typeof ElementCluster>;
