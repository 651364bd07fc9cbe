/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ElementCluster } from './element-cluster.ts';
import { ClusterPair } from './cluster-pair.ts';
import { VolumePair } from './volume-pair.ts';
import { API_VERSION } from './group.ts';
import { ALLOWED_MVIPS_ANNOTATION } from './annotations.ts';
import { mvipAllowedBy } from './mvip.ts';

const files = import.meta.glob<string>('../../deploy/samples/*.yaml', { query: '?raw', import: 'default', eager: true });

type Doc = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> }; [k: string]: unknown };

const docs: { file: string; doc: Doc }[] = Object.entries(files).flatMap(([file, text]) =>
  parseAllDocuments(text).map((d) => ({ file: file.replace('../../deploy/samples/', ''), doc: d.toJS() as Doc })),
);
const ofKind = (kind: string) => docs.filter((d) => d.doc.kind === kind);

const schemas = { ElementCluster, ClusterPair, VolumePair } as const;

describe('deploy/samples', () => {
  test.each(docs.filter((d) => d.doc.kind !== 'Secret' && d.doc.kind !== 'Kustomization').map((d) => [d.file, d.doc.kind, d.doc] as const))(
    '%s: %s parses with the zod schema',
    (_file, kind, doc) => {
      const schema = schemas[kind as keyof typeof schemas];
      expect(schema, `unknown kind ${kind}`).toBeDefined();
      expect(doc.apiVersion).toBe(API_VERSION);
      const result = schema.safeParse(doc);
      expect(result.error?.issues ?? []).toEqual([]);
    },
  );

  test('two ElementClusters, each with a credentials Secret holding username and a placeholder password', () => {
    const clusters = ofKind('ElementCluster').map((d) => ElementCluster.parse(d.doc));
    const secrets = ofKind('Secret').map((d) => d.doc as Doc & { stringData?: Record<string, string> });

    expect(clusters.map((c) => c.metadata.name)).toEqual(['dc1', 'dc2']);
    for (const cluster of clusters) {
      expect(cluster.spec.mvip).toMatch(/^10\./);
      const ref = cluster.spec.credentialsSecretRef;
      const secret = secrets.find((s) => s.metadata?.name === ref.name && s.metadata?.namespace === ref.namespace);
      expect(secret?.stringData).toEqual({ username: 'admin', password: 'REPLACE-ME' });
      // Credentials go only where their Secret allows (SecretNotAllowed otherwise).
      expect(mvipAllowedBy(secret?.metadata?.annotations?.[ALLOWED_MVIPS_ANNOTATION], cluster.spec.mvip)).toBe(true);
    }
  });

  test('a ClusterPair of the two clusters and VolumePairs by ID and by name on it', () => {
    const [pair] = ofKind('ClusterPair').map((d) => ClusterPair.parse(d.doc));
    const volumePairs = ofKind('VolumePair').map((d) => VolumePair.parse(d.doc));

    expect(pair?.spec).toMatchObject({ clusterARef: { name: 'dc1' }, clusterBRef: { name: 'dc2' } });
    expect(volumePairs.every((v) => v.spec.clusterPairRef.name === pair?.metadata.name)).toBe(true);
    expect(volumePairs.some((v) => v.spec.sideA.volumeID !== undefined && v.spec.sideB.volumeID !== undefined)).toBe(true);
    expect(volumePairs.some((v) => v.spec.sideA.volumeName !== undefined && v.spec.sideB.accountID !== undefined)).toBe(true);
  });

  test('the kustomization lists every sample file', () => {
    const [kustomization] = docs.filter((d) => d.file === 'kustomization.yaml');
    const listed = (kustomization?.doc as { resources?: string[] } | undefined)?.resources ?? [];

    expect([...listed].sort()).toEqual(
      Object.keys(files)
        .map((f) => f.replace('../../deploy/samples/', ''))
        .filter((f) => f !== 'kustomization.yaml')
        .sort(),
    );
  });
});
