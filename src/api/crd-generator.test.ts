/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { KIND_DEFINITIONS, buildCrd, buildOpenApiSchema, generateCrdFiles } from './crd-generator.ts';
import type { JSONSchemaProps } from './crd-schema.ts';
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from './group.ts';

// Vite reads the committed files; src/api itself stays free of node:* imports.
const committed = import.meta.glob<string>('../../crds/*.yaml', { query: '?raw', import: 'default', eager: true });

type Node = { path: string; schema: JSONSchemaProps };

function walk(schema: JSONSchemaProps, path = ''): Node[] {
  const nodes: Node[] = [{ path, schema }];
  for (const [key, child] of Object.entries(schema.properties ?? {})) nodes.push(...walk(child, `${path}.${key}`));
  if (schema.items) nodes.push(...walk(schema.items, `${path}[]`));
  if (schema.additionalProperties) nodes.push(...walk(schema.additionalProperties, `${path}{}`));
  return nodes;
}

function schemaOf(names: { kind: string }): JSONSchemaProps {
  const kind = KIND_DEFINITIONS.find((k) => k.names.kind === names.kind);
  if (!kind) throw new Error(names.kind);
  return buildOpenApiSchema(kind);
}

function at(schema: JSONSchemaProps, path: string): JSONSchemaProps {
  const node = walk(schema).find((n) => n.path === path);
  if (!node) throw new Error(`no node at ${path}`);
  return node.schema;
}

describe.each(KIND_DEFINITIONS.map((k) => [k.names.kind, k] as const))('%s CRD', (_kind, kind) => {
  const schema = buildOpenApiSchema(kind);
  const nodes = walk(schema);

  test('is structural: every node has a type; nothing forbids or preserves unknown fields', () => {
    for (const { path, schema: node } of nodes) {
      expect(node.type, `type at ${path || '(root)'}`).toBeDefined();
      expect(node.additionalProperties, `additionalProperties at ${path}`).not.toBe(false);
      expect(node['x-kubernetes-preserve-unknown-fields'], `preserve-unknown-fields at ${path}`).toBeUndefined();
    }
  });

  test('every field under spec and status has a description', () => {
    const fields = nodes.filter((n) => n.path.startsWith('.spec') || n.path.startsWith('.status'));
    expect(fields.length).toBeGreaterThan(10);
    for (const { path, schema: node } of fields) expect(node.description, `description at ${path}`).toMatch(/\S/);
  });

  test('required names only existing properties', () => {
    for (const { path, schema: node } of nodes) {
      for (const key of node.required ?? []) expect(Object.keys(node.properties ?? {}), `required ${key} at ${path}`).toContain(key);
    }
  });

  test('conditions are a map list of metav1.Condition keyed by type', () => {
    const conditions = at(schema, '.status.conditions');
    expect(conditions['x-kubernetes-list-type']).toBe('map');
    expect(conditions['x-kubernetes-list-map-keys']).toEqual(['type']);
    expect(conditions.items?.required).toEqual(['type', 'status', 'lastTransitionTime', 'reason', 'message']);
    expect(at(schema, '.status.conditions[].status').enum).toEqual(['True', 'False', 'Unknown']);
    expect(at(schema, '.status.observedGeneration')).toMatchObject({ type: 'integer', format: 'int64' });
  });

  test('names, scope, category, status subresource, printer columns', () => {
    const crd = buildCrd(kind) as { spec: { names: object; scope: string; versions: { subresources: object; additionalPrinterColumns: { name: string; jsonPath: string }[] }[] } };
    const [version] = crd.spec.versions;

    expect(crd.spec.names).toMatchObject({ plural: kind.names.plural, shortNames: kind.names.shortNames, categories: ['elementrepl'] });
    expect(crd.spec.scope).toBe(kind.names.scope);
    expect(version?.subresources).toEqual({ status: {} });
    expect(version?.additionalPrinterColumns.find((c) => c.name === 'READY')?.jsonPath).toBe('.status.conditions[?(@.type=="Ready")].status');
    expect(version?.additionalPrinterColumns.at(-2)?.name).toBe('AGE');
  });
});

describe('kind specifics', () => {
  test('printer columns, in order', () => {
    const columns = (kind: typeof ELEMENT_CLUSTER | typeof CLUSTER_PAIR | typeof VOLUME_PAIR) =>
      KIND_DEFINITIONS.find((k) => k.names.kind === kind.kind)
        ?.printerColumns.filter((c) => c.priority === undefined)
        .map((c) => c.name);

    expect(columns(ELEMENT_CLUSTER)).toEqual(['MVIP', 'CLUSTER', 'VERSION', 'READY', 'REASON', 'AGE']);
    expect(columns(CLUSTER_PAIR)).toEqual(['A', 'B', 'STATUS', 'LATENCY(MS)', 'READY', 'REASON', 'AGE']);
    expect(columns(VOLUME_PAIR)).toEqual(['PAIR', 'A-VOL', 'B-VOL', 'PRIMARY', 'MODE', 'STATE', 'PAUSED', 'LAG(S)', 'READY', 'REASON', 'AGE']);
  });

  test('REASON is the Ready reason on every kind; LATENCY(MS) is the worse side (status.latencyMs)', () => {
    for (const kind of KIND_DEFINITIONS) {
      expect(kind.printerColumns.find((c) => c.name === 'REASON')?.jsonPath, kind.names.kind).toBe('.status.conditions[?(@.type=="Ready")].reason');
    }
    const latency = KIND_DEFINITIONS.find((k) => k.names.kind === 'ClusterPair')?.printerColumns.find((c) => c.name === 'LATENCY(MS)');
    expect(latency).toMatchObject({ type: 'integer', jsonPath: '.status.latencyMs' });
  });

  test('defaults live in the schema', () => {
    const vp = schemaOf(VOLUME_PAIR);
    const cp = schemaOf(CLUSTER_PAIR);
    const ec = schemaOf(ELEMENT_CLUSTER);

    expect(at(vp, '.spec.mode').default).toBe('Async');
    expect(at(vp, '.spec.paused').default).toBe(false);
    expect(at(vp, '.spec.primarySide').default).toBe('A');
    expect(at(vp, '.spec.targetPolicy').default).toBe('RequireUnused');
    expect(at(vp, '.spec.deletionPolicy').default).toBe('Delete');
    expect(at(vp, '.spec.managementPolicy').default).toBe('Manage');
    expect(at(cp, '.spec.deletionPolicy').default).toBe('Delete');
    expect(at(cp, '.spec.managementPolicy').default).toBe('Manage');
    expect(at(ec, '.spec.tls.insecureSkipVerify').default).toBe(false);
    expect(at(ec, '.spec.tls.caSecretRef.key').default).toBe('ca.crt');
  });

  test('enums, minimums and required fields', () => {
    const vp = schemaOf(VOLUME_PAIR);

    expect(at(vp, '.spec.mode').enum).toEqual(['Async', 'Sync', 'SnapshotsOnly']);
    expect(at(vp, '.spec.targetPolicy').enum).toEqual(['RequireUnused', 'Overwrite']);
    expect(at(vp, '.spec.sideA.volumeID')).toMatchObject({ type: 'integer', format: 'int64', minimum: 1 });
    expect(at(vp, '.spec.sideB.accountID')).toMatchObject({ minimum: 1 });
    expect(at(vp, '.spec').required).toEqual(['clusterPairRef', 'sideA', 'sideB']);
    expect(vp.required).toEqual(['spec']);
    expect(at(schemaOf(CLUSTER_PAIR), '.spec').required).toEqual(['clusterARef', 'clusterBRef']);
    expect(at(schemaOf(ELEMENT_CLUSTER), '.spec').required).toEqual(['mvip', 'credentialsSecretRef']);
  });

  test('CEL rules: immutability, exactly one volume selector, different clusters', () => {
    const rules = (schema: JSONSchemaProps, path: string) => at(schema, path)['x-kubernetes-validations']?.map((r) => r.rule) ?? [];
    const vp = schemaOf(VOLUME_PAIR);
    const cp = schemaOf(CLUSTER_PAIR);

    for (const side of ['.spec.sideA', '.spec.sideB']) {
      expect(rules(vp, side)).toEqual(['has(self.volumeID) != has(self.volumeName)', 'has(self.volumeName) == has(self.accountID)', 'self == oldSelf']);
    }
    expect(rules(vp, '.spec.clusterPairRef')).toEqual(['self == oldSelf']);
    expect(rules(cp, '.spec.clusterARef')).toEqual(['self == oldSelf']);
    expect(rules(cp, '.spec.clusterBRef')).toEqual(['self == oldSelf']);
    expect(rules(cp, '.spec')).toEqual(['self.clusterARef.name != self.clusterBRef.name']);
    expect(at(vp, '.spec.sideA')['x-kubernetes-validations']?.at(-1)?.message).toBe('sideA is immutable');
  });
});

describe('crds/', () => {
  test('is up to date with src/api (run `npm run gen:crds` when this fails)', () => {
    const generated = Object.fromEntries(generateCrdFiles().map((f) => [`../../crds/${f.name}`, f.content]));

    expect(committed).toEqual(generated);
  });

  test('every generated file is valid YAML and the kustomization lists the three CRDs', () => {
    const files = generateCrdFiles();
    const kustomization = parse(files.find((f) => f.name === 'kustomization.yaml')?.content ?? '') as { resources: string[] };

    for (const file of files) expect(() => parse(file.content)).not.toThrow();
    expect(kustomization.resources).toEqual([
      'elementrepl.io_elementclusters.yaml',
      'elementrepl.io_clusterpairs.yaml',
      'elementrepl.io_volumepairs.yaml',
    ]);
  });
});
