// Builds the CustomResourceDefinitions of crds/ from the zod schemas. Pure: returns file names
// and texts; scripts/gen-crds.ts writes them and a unit test compares them with crds/.
import { z } from 'zod';
import { stringify } from 'yaml';
import { CATEGORY, CLUSTER_PAIR, ELEMENT_CLUSTER, GROUP, VERSION, VOLUME_PAIR, crdName, type ResourceNames } from './group.ts';
import { toCrdSchema, type JSONSchemaProps } from './crd-schema.ts';
import { ElementCluster, ElementClusterSpec, ElementClusterStatus } from './element-cluster.ts';
import { ClusterPair, ClusterPairSpec, ClusterPairStatus } from './cluster-pair.ts';
import { VolumePair, VolumePairSpec, VolumePairStatus } from './volume-pair.ts';

export type PrinterColumn = {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
};

type KindDefinition = {
  names: ResourceNames;
  object: z.ZodType;
  spec: z.ZodType;
  status: z.ZodType;
  printerColumns: PrinterColumn[];
};

const READY: PrinterColumn = {
  name: 'READY',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: 'Status of the Ready condition.',
};
const REASON: PrinterColumn = {
  name: 'REASON',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
  description: 'Reason of the Ready condition (docs/troubleshooting.md).',
};
const AGE: PrinterColumn = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const KIND_DEFINITIONS: readonly KindDefinition[] = [
  {
    names: ELEMENT_CLUSTER,
    object: ElementCluster,
    spec: ElementClusterSpec,
    status: ElementClusterStatus,
    printerColumns: [
      { name: 'MVIP', type: 'string', jsonPath: '.spec.mvip', description: 'Management virtual IP.' },
      { name: 'CLUSTER', type: 'string', jsonPath: '.status.clusterName', description: 'Element cluster name.' },
      { name: 'VERSION', type: 'string', jsonPath: '.status.elementVersion', description: 'Element version.' },
      READY,
      REASON,
      AGE,
      { name: 'UUID', type: 'string', jsonPath: '.status.clusterUUID', description: 'Element cluster UUID.', priority: 1 },
    ],
  },
  {
    names: CLUSTER_PAIR,
    object: ClusterPair,
    spec: ClusterPairSpec,
    status: ClusterPairStatus,
    printerColumns: [
      { name: 'A', type: 'string', jsonPath: '.spec.clusterARef.name', description: 'ElementCluster of side A.' },
      { name: 'B', type: 'string', jsonPath: '.spec.clusterBRef.name', description: 'ElementCluster of side B.' },
      { name: 'STATUS', type: 'string', jsonPath: '.status.connectionStatus', description: 'Connection status (worse side).' },
      { name: 'LATENCY(MS)', type: 'integer', jsonPath: '.status.latencyMs', description: 'Latency in milliseconds of the worse side (status.latencyMs).' },
      READY,
      REASON,
      AGE,
      { name: 'UUID', type: 'string', jsonPath: '.status.clusterPairUUID', description: 'clusterPairUUID.', priority: 1 },
    ],
  },
  {
    names: VOLUME_PAIR,
    object: VolumePair,
    spec: VolumePairSpec,
    status: VolumePairStatus,
    printerColumns: [
      { name: 'PAIR', type: 'string', jsonPath: '.spec.clusterPairRef.name', description: 'ClusterPair.' },
      { name: 'A-VOL', type: 'integer', jsonPath: '.status.sideA.volumeID', description: 'Resolved volume ID on side A.' },
      { name: 'B-VOL', type: 'integer', jsonPath: '.status.sideB.volumeID', description: 'Resolved volume ID on side B.' },
      { name: 'PRIMARY', type: 'string', jsonPath: '.status.primarySide', description: 'The side the operator established as the source (status.primarySide).' },
      { name: 'MODE', type: 'string', jsonPath: '.spec.mode', description: 'Requested replication mode.' },
      { name: 'STATE', type: 'string', jsonPath: '.status.replicationState', description: 'Replication state on the source.' },
      { name: 'PAUSED', type: 'boolean', jsonPath: '.spec.paused', description: 'Replication paused on request.' },
      { name: 'LAG(S)', type: 'integer', jsonPath: '.status.replicationLagSeconds', description: 'Replication lag in seconds (status.replicationLagSeconds, refreshed at most every 5 minutes; the metric has every poll).' },
      READY,
      REASON,
      AGE,
      { name: 'UUID', type: 'string', jsonPath: '.status.volumePairUUID', description: 'volumePairUUID.', priority: 1 },
    ],
  },
];

export function buildOpenApiSchema(kind: KindDefinition): JSONSchemaProps {
  const description = z.globalRegistry.get(kind.object)?.description;
  return {
    ...(description === undefined ? {} : { description }),
    type: 'object',
    properties: {
      apiVersion: {
        description: 'APIVersion defines the versioned schema of this representation of an object.',
        type: 'string',
      },
      kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
      metadata: { type: 'object' },
      spec: toCrdSchema(kind.spec, 'spec'),
      status: toCrdSchema(kind.status, 'status'),
    },
    required: ['spec'],
  };
}

export function buildCrd(kind: KindDefinition): Record<string, unknown> {
  const { names } = kind;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(names) },
    spec: {
      group: GROUP,
      names: {
        kind: names.kind,
        listKind: names.listKind,
        plural: names.plural,
        singular: names.singular,
        shortNames: [...names.shortNames],
        categories: [CATEGORY],
      },
      scope: names.scope,
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: kind.printerColumns,
          schema: { openAPIV3Schema: buildOpenApiSchema(kind) },
        },
      ],
    },
  };
}

export type GeneratedFile = { name: string; content: string };

const HEADER = '# Generated by `npm run gen:crds` from src/api. Do not edit.\n';

export function crdFileName(names: ResourceNames): string {
  return `${GROUP}_${names.plural}.yaml`;
}

/** Every file of crds/, in a stable order with stable content. */
export function generateCrdFiles(): GeneratedFile[] {
  const crds = KIND_DEFINITIONS.map((kind) => ({
    name: crdFileName(kind.names),
    content: HEADER + stringify(buildCrd(kind), { lineWidth: 0 }),
  }));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: crds.map((file) => file.name),
  };
  return [...crds, { name: 'kustomization.yaml', content: HEADER + stringify(kustomization) }];
}
