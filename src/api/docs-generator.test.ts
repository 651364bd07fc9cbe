/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import { CONDITION_DOCS, READING_TEXT, exportedValues, generateReference, reasonAnchor } from './docs-generator.ts';
import { KIND_DEFINITIONS, buildOpenApiSchema } from './crd-generator.ts';
import type { JSONSchemaProps } from './crd-schema.ts';
import * as conditions from './conditions.ts';
import * as annotations from './annotations.ts';
import * as finalizers from './finalizers.ts';
import * as labels from './labels.ts';
import { READY_REASON_KSTATUS, readyReasons, type KstatusReading } from './kstatus.ts';
import { RESOURCES } from './group.ts';

// Vite reads the committed files; src/api itself stays free of node:* imports.
const docs = import.meta.glob<string>('../../docs/*.md', { query: '?raw', import: 'default', eager: true });
const doc = (name: string): string => docs[`../../docs/${name}`] ?? '';

const reference = generateReference();

/** Every reason catalogue conditions.ts exports (`…Reason` objects). */
const reasonObjects = Object.entries(conditions).filter(
  ([name, value]) => name.endsWith('Reason') && typeof value === 'object' && value !== null,
) as [string, Record<string, string>][];
const allReasons = [...new Set(reasonObjects.flatMap(([, values]) => Object.values(values)))];

function fieldPaths(schema: JSONSchemaProps, path: string): string[] {
  if (path === 'status.conditions') return [path];
  return [
    path,
    ...Object.entries(schema.properties ?? {}).flatMap(([key, child]) => fieldPaths(child, `${path}.${key}`)),
    ...(schema.items?.type === 'object' ? fieldPaths(schema.items, `${path}[]`) : []),
  ];
}

describe('docs/reference.md', () => {
  test('is up to date with src/api (run `npm run gen:docs` when this fails)', () => {
    expect(doc('reference.md')).toBe(reference);
  });

  test.each(KIND_DEFINITIONS.map((k) => [k.names.kind, k] as const))('%s: every spec and status field has a row', (_kind, kind) => {
    const schema = buildOpenApiSchema(kind);
    const paths = ['spec', 'status'].flatMap((top) => fieldPaths(schema.properties?.[top] ?? {}, top));
    expect(paths.length).toBeGreaterThan(8);
    const section = reference.split(`## ${kind.names.kind}\n`)[1]?.split(/^## /m)[0] ?? '';
    for (const path of paths) expect(section, path).toContain(`| \`${path}\` |`);
  });

  test('rows carry type, default, enum, CEL and description', () => {
    const row = (path: string) => reference.split('\n').find((line) => line.startsWith(`| \`${path}\` |`)) ?? '';
    expect(row('spec.mode')).toBe(
      '| `spec.mode` | string | `Async` | one of `Async`, `Sync`, `SnapshotsOnly` | Element replication mode: Async, Sync or SnapshotsOnly. |',
    );
    expect(row('spec.paused')).toContain('| boolean | `false` |');
    expect(row('spec.clusterPairRef')).toContain('required<br>CEL `self == oldSelf`: clusterPairRef is immutable');
    expect(row('spec.tls.caSecretRef.key')).toContain('| `ca.crt` |');
    // A pipe inside a pattern must not split the table cell.
    expect(row('spec.mvip')).toContain('\\|[A-Za-z0-9]');
    expect(row('status.lastContactTime')).toContain('| string (date-time) |');
  });

  test('every condition type is documented, with a reason catalogue for each kind it applies to', () => {
    expect(Object.keys(CONDITION_DOCS).sort()).toEqual(Object.values(conditions.ConditionType).sort());
    const used = new Set(Object.values(CONDITION_DOCS).flatMap((d) => d.reasons.map((r) => r.values)));
    for (const [name, values] of reasonObjects) expect(used.has(values), `${name} is not in CONDITION_DOCS`).toBe(true);
  });

  test('every reason is listed and links to troubleshooting.md', () => {
    expect(allReasons.length).toBeGreaterThan(30);
    for (const reason of allReasons) expect(reference).toContain(`[\`${reason}\`](troubleshooting.md#${reasonAnchor(reason)})`);
  });

  test('the kstatus table lists every Ready=False reason of every kind with its reading, and says what Degraded reads', () => {
    const section = reference.slice(reference.indexOf('### kstatus'));
    expect(section).toContain('Degraded=True');
    for (const kind of RESOURCES.map((r) => r.kind)) {
      const table: Record<string, string> = READY_REASON_KSTATUS[kind];
      for (const reason of readyReasons(kind)) {
        const row = section.split('\n').find((line) => line.startsWith(`| ${kind} | \`${reason}\` |`));
        expect(row, `${kind} ${reason}`).toBeDefined();
        expect(row).toContain(`| ${READING_TEXT[table[reason] as KstatusReading]} |`);
      }
    }
  });

  test('every annotation, finalizer and Secret label is documented', () => {
    const keys = [
      ...exportedValues(annotations, '_ANNOTATION'),
      ...exportedValues(finalizers, '_FINALIZER'),
      ...exportedValues(labels, '_LABEL'),
    ];
    expect(keys).toHaveLength(14);
    for (const key of keys) expect(reference).toContain(`| \`${key}\` |`);
  });

  test('exportedValues picks string exports by suffix only', () => {
    expect(exportedValues({ A_LABEL: 'a', B_LABEL: 1, C_OTHER: 'c', fn_LABEL: () => 'x' }, '_LABEL')).toEqual(['a']);
  });
});

describe('docs/troubleshooting.md', () => {
  test('has an entry (### `Reason`) for every reason in conditions.ts', () => {
    const headings = new Set([...doc('troubleshooting.md').matchAll(/^### `([A-Za-z]+)`$/gm)].map((m) => m[1]));
    const missing = allReasons.filter((reason) => !headings.has(reason));
    expect(missing).toEqual([]);
  });
});

describe('docs/README.md', () => {
  test('links every document of docs/', () => {
    const index = doc('README.md');
    const pages = Object.keys(docs).map((p) => p.replace('../../docs/', '')).filter((p) => p !== 'README.md');
    expect(pages.length).toBeGreaterThanOrEqual(6);
    for (const page of pages) expect(index).toContain(`(${page})`);
  });
});
