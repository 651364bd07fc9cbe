// Builds docs/reference.md from the same CRD definitions as crds/ (crd-generator.ts) and from the
// condition, annotation, finalizer and label constants. Pure: returns Markdown; scripts/gen-docs.ts
// writes it and a unit test fails when the committed file differs.
import { KIND_DEFINITIONS, buildCrd, buildOpenApiSchema } from './crd-generator.ts';
import type { PrinterColumn } from './crd-generator.ts';
import type { JSONSchemaProps } from './crd-schema.ts';
import { API_VERSION, CATEGORY, GROUP, RESOURCES, VERSION } from './group.ts';
import * as annotations from './annotations.ts';
import * as finalizers from './finalizers.ts';
import * as labels from './labels.ts';
import type { ConditionType } from './conditions.ts';
import { READY_REASON_KSTATUS, readyReasons, type KstatusReading } from './kstatus.ts';
import {
  ClusterPairReadyReason,
  DegradedReason,
  ElementClusterReadyReason,
  ReconcilingReason,
  StalledReason,
  TLSVerifiedReason,
  UpToDateReason,
  VolumePairReadyReason,
} from './conditions.ts';

type KindName = (typeof KIND_DEFINITIONS)[number]['names']['kind'];

/** What each condition type means and which reason catalogue applies to which kind. */
export const CONDITION_DOCS: Record<ConditionType, { trueMeans: string; reasons: { kind: KindName; values: Record<string, string> }[] }> = {
  Ready: {
    trueMeans: 'The desired state is reached and healthy. kubectl, Argo CD and Flux read this one.',
    reasons: [
      { kind: 'ElementCluster', values: ElementClusterReadyReason },
      { kind: 'ClusterPair', values: ClusterPairReadyReason },
      { kind: 'VolumePair', values: VolumePairReadyReason },
    ],
  },
  Reconciling: {
    trueMeans:
      'The operator is working toward the spec (kstatus: InProgress); the reason is the Ready reason of the work (see [kstatus](#kstatus)). ' +
      'Written in the same status update that raises `observedGeneration`; False when done, stalled, degraded or paused.',
    reasons: (['ElementCluster', 'ClusterPair', 'VolumePair'] as const).map((kind) => ({ kind, values: ReconcilingReason })),
  },
  Stalled: {
    trueMeans: 'A human must act: nothing is retried until the spec or an annotation changes.',
    reasons: (['ElementCluster', 'ClusterPair', 'VolumePair'] as const).map((kind) => ({ kind, values: StalledReason })),
  },
  Degraded: {
    trueMeans: 'Element replicates badly (or not at all) without having been asked to.',
    reasons: (['ClusterPair', 'VolumePair'] as const).map((kind) => ({ kind, values: DegradedReason })),
  },
  UpToDate: {
    trueMeans: 'Element matches the spec. With managementPolicy Observe, drift is reported here and not corrected.',
    reasons: (['ClusterPair', 'VolumePair'] as const).map((kind) => ({ kind, values: UpToDateReason })),
  },
  TLSVerified: {
    trueMeans: 'The server certificate of the MVIP was verified (CA or pinned fingerprint).',
    reasons: [{ kind: 'ElementCluster', values: TLSVerifiedReason }],
  },
};

/** Meaning of every exported annotation, keyed by its value; a missing entry fails generation. */
const ANNOTATION_DOCS: Record<string, { on: string; meaning: string }> = {
  [annotations.PAUSED_ANNOTATION]: {
    on: 'any kind',
    meaning: '`"true"` stops reconciling the resource: no Element call, no status change except Ready (reason `ReconcilePaused`). Any other value, or removing it, resumes.',
  },
  [annotations.REMOVE_PENDING_PAIR_ANNOTATION]: {
    on: 'ClusterPair, VolumePair',
    meaning:
      'Approves removing a pair the operator cannot attribute (`Stalled=True`, reason `UnexplainedPendingPair`): `"<side>:<id>:<token>"` as printed in the Stalled message — ClusterPair: the side and clusterPairID of the pending pair, e.g. `"A:7:3f2a9c1d"`; VolumePair: the side and volume that hold the pair. The token is unique to the incident (`status.incident`): anything else approves nothing, and an approval left in Git never matches a later stray with the same ID (bare IDs or UUIDs of older versions approve nothing).',
  },
  [annotations.APPROVE_RESYNC_ANNOTATION]: {
    on: 'VolumePair',
    meaning:
      'Approves the resync of a volume that became writable outside the operator (`Stalled=True`, reason `ResyncRequired`): `"<side>:<volumeID>:<token>"`, as printed in the Stalled message. The token is unique to the incident: an approval left in Git never matches a later one. The named volume is made a replicationTarget again, and its writes since the split are overwritten from the primary.',
  },
  [annotations.ALLOW_REPAIR_ANNOTATION]: {
    on: 'ClusterPair',
    meaning: '`"true"` allows re-pairing after one cluster removed its half of the cluster pair, which breaks the volume pairs on it (`Degraded=True`, reason `RepairRequired`); their VolumePairs then re-pair the volumes.',
  },
  [annotations.FORCE_DELETE_ANNOTATION]: {
    on: 'any kind',
    meaning: '`"true"` on a resource being deleted drops the finalizer without calling Element (Warning Event `ForceDeleted`). The way out when a site is lost; pairs on a reachable cluster stay as they are.',
  },
  [annotations.ALLOWED_MVIPS_ANNOTATION]: {
    on: 'credentials Secrets',
    meaning:
      'The MVIPs the credentials may be sent to, comma-separated: `host` allows that host on any port, `host:port` only that port (443 when absent; `host` and `host:443` are one MVIP; IPv6 as `[fd00::10]:443`), e.g. `"10.0.0.10,dc1.example.com:443"`. An ElementCluster whose `spec.mvip` is not listed is `Ready=False` (reason `SecretNotAllowed`) and nothing is sent to it. Existing credentials Secrets must be annotated when upgrading (operations.md, Upgrade).',
  },
  [annotations.OWNER_NAME_ANNOTATION]: { on: 'operator-owned Secrets', meaning: 'Name of the ClusterPair or VolumePair that owns the Secret.' },
  [annotations.OWNER_NAMESPACE_ANNOTATION]: { on: 'operator-owned Secrets', meaning: 'Namespace of the owning VolumePair.' },
};

const FINALIZER_DOCS: Record<string, { on: string; meaning: string }> = {
  [finalizers.CLEANUP_FINALIZER]: {
    on: 'ClusterPair, VolumePair',
    meaning: 'Added before the first Element mutation. On deletion the pair is removed from Element per `deletionPolicy` (nothing with `Orphan` or `managementPolicy: Observe`), then the finalizer goes.',
  },
  [finalizers.IN_USE_FINALIZER]: {
    on: 'ElementCluster',
    meaning: 'Kept while a ClusterPair references the ElementCluster, so its credentials stay available for cleaning up.',
  },
};

const LABEL_DOCS: Record<string, string> = {
  [labels.OWNER_UID_LABEL]: '`metadata.uid` of the owning ClusterPair or VolumePair.',
  [labels.OWNER_KIND_LABEL]: '`ClusterPair` or `VolumePair`.',
  [labels.SECRET_ROLE_LABEL]: `What the Secret holds: \`${labels.PAIRING_KEY_ROLE}\`.`,
  [labels.MANAGED_BY_LABEL]: `\`${labels.MANAGED_BY_VALUE}\`.`,
};

/**
 * String values of a module's exports whose names end with `suffix`, e.g. every `*_ANNOTATION`,
 * sorted: Node orders a module namespace by export name, Vite's transform by declaration.
 */
export function exportedValues(module: Record<string, unknown>, suffix: string): string[] {
  return Object.entries(module)
    .filter(([name, value]) => name.endsWith(suffix) && typeof value === 'string')
    .map(([, value]) => value as string)
    .sort();
}

function documented<T>(docs: Record<string, T>, values: string[], what: string): [string, T][] {
  return values.map((value) => {
    const doc = docs[value];
    if (doc === undefined) throw new Error(`docs-generator: no description for ${what} ${value}`);
    return [value, doc];
  });
}

const cell = (text: string): string => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
const code = (text: string): string => `\`${text}\``;
const row = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: string[], rows: string[][]): string =>
  [row(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');

/** GitHub's heading anchor of a reason heading in troubleshooting.md (`### \`Reason\``). */
export const reasonAnchor = (reason: string): string => reason.toLowerCase();

function typeOf(schema: JSONSchemaProps, path: string): string {
  if (path === 'status.conditions') return '[]Condition';
  if (schema.type === 'array') return `[]${schema.items ? typeOf(schema.items, `${path}[]`) : 'unknown'}`;
  if (schema.type === 'object' && schema.additionalProperties) return `map[string]${typeOf(schema.additionalProperties, `${path}{}`)}`;
  return schema.format ? `${schema.type ?? 'unknown'} (${schema.format})` : (schema.type ?? 'unknown');
}

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  if (min !== undefined && max !== undefined) return `${unit} ${min}–${max}`;
  if (min !== undefined) return `${unit} ≥ ${min}`;
  if (max !== undefined) return `${unit} ≤ ${max}`;
  return undefined;
}

function validationOf(schema: JSONSchemaProps, required: boolean): string {
  const parts: (string | undefined)[] = [
    required ? 'required' : undefined,
    schema.enum ? `one of ${schema.enum.map((v) => code(String(v))).join(', ')}` : undefined,
    range(schema.minLength, schema.maxLength, 'length'),
    schema.pattern ? `pattern ${code(schema.pattern)}` : undefined,
    schema.minimum !== undefined ? `${schema.exclusiveMinimum ? '>' : '≥'} ${schema.minimum}` : undefined,
    schema.maximum !== undefined ? `${schema.exclusiveMaximum ? '<' : '≤'} ${schema.maximum}` : undefined,
    range(schema.minItems, schema.maxItems, 'items'),
    schema['x-kubernetes-list-type'] === 'set' ? 'items unique (list type set)' : undefined,
    schema['x-kubernetes-list-type'] === 'map' ? `one item per ${(schema['x-kubernetes-list-map-keys'] ?? []).map(code).join(', ')} (list type map)` : undefined,
    ...(schema['x-kubernetes-validations'] ?? []).map((r) => `CEL ${code(r.rule)}: ${r.message}`),
  ];
  return parts.filter((p) => p !== undefined).join('<br>');
}

function defaultOf(schema: JSONSchemaProps): string {
  return schema.default === undefined ? '' : code(typeof schema.default === 'string' ? schema.default : JSON.stringify(schema.default));
}

/** One row per field, depth first, in declaration order; conditions are documented once, apart. */
function fieldRows(schema: JSONSchemaProps, path: string, required: boolean): string[][] {
  const description = path === 'status.conditions' ? `${schema.description ?? ''} See [Conditions](#conditions).` : (schema.description ?? '');
  const rows = [[code(path), typeOf(schema, path), defaultOf(schema), validationOf(schema, required), description]];
  if (path === 'status.conditions') return rows;
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    rows.push(...fieldRows(child, `${path}.${key}`, schema.required?.includes(key) ?? false));
  }
  if (schema.items && schema.items.type === 'object') rows.push(...fieldRows(schema.items, `${path}[]`, false));
  return rows;
}

const FIELD_HEAD = ['Field', 'Type', 'Default', 'Validation', 'Description'];

function printerColumns(columns: readonly PrinterColumn[]): string {
  return table(
    ['Column', 'JSONPath', 'Shown', 'Description'],
    columns.map((c) => [c.name, code(c.jsonPath), c.priority ? '`-o wide`' : 'always', c.description ?? '']),
  );
}

function kindSection(kind: (typeof KIND_DEFINITIONS)[number]): string {
  const schema = buildOpenApiSchema(kind);
  const crd = buildCrd(kind) as { metadata: { name: string } };
  const { names } = kind;
  const spec = schema.properties?.['spec'];
  const status = schema.properties?.['status'];
  if (!spec || !status) throw new Error(`docs-generator: ${names.kind} has no spec or status`);
  return [
    `## ${names.kind}`,
    schema.description ?? '',
    table(['', ''], [
      ['CRD', code(crd.metadata.name)],
      ['Scope', names.scope === 'Cluster' ? 'cluster-scoped' : 'namespaced'],
      ['Plural / singular', `${code(names.plural)} / ${code(names.singular)}`],
      ['Short names', names.shortNames.map(code).join(', ')],
      ['Categories', code(CATEGORY)],
      ['Subresources', '`status`'],
    ]),
    `Printer columns (\`kubectl get ${names.shortNames[0] ?? names.plural}\`):`,
    printerColumns(kind.printerColumns),
    `### ${names.kind} spec`,
    table(FIELD_HEAD, fieldRows(spec, 'spec', schema.required?.includes('spec') ?? false)),
    `### ${names.kind} status`,
    'Written only by the operator (status subresource).',
    table(FIELD_HEAD, fieldRows(status, 'status', false)),
  ].join('\n\n');
}

function conditionsSection(): string {
  const first = KIND_DEFINITIONS[0];
  const condition = first ? buildOpenApiSchema(first).properties?.['status']?.properties?.['conditions']?.items : undefined;
  if (!condition) throw new Error('docs-generator: no condition schema');
  const fields = Object.entries(condition.properties ?? {}).flatMap(([key, child]) =>
    fieldRows(child, key, condition.required?.includes(key) ?? false),
  );
  const types = (Object.keys(CONDITION_DOCS) as ConditionType[]).map((type) => {
    const doc = CONDITION_DOCS[type];
    return [code(type), [...new Set(doc.reasons.map((r) => r.kind))].join(', '), doc.trueMeans];
  });
  const reasonTables = (Object.keys(CONDITION_DOCS) as ConditionType[]).flatMap((type) => {
    const byValues = new Map<Record<string, string>, KindName[]>();
    for (const { kind, values } of CONDITION_DOCS[type].reasons) byValues.set(values, [...(byValues.get(values) ?? []), kind]);
    return [...byValues].map(([values, kinds]) => {
      const reasons = [...new Set(Object.values(values))];
      const links = reasons.map((r) => `[${code(r)}](troubleshooting.md#${reasonAnchor(r)})`).join(', ');
      return [code(type), kinds.join(', '), links];
    });
  });
  return [
    '## Conditions',
    'Every kind reports `metav1.Condition`s in `status.conditions`, one per type, each with the `observedGeneration` it was computed from. ' +
      'Types and reasons are stable API: automation may switch on them. Messages are free text for humans and never contain keys or credentials.',
    '### Condition fields',
    table(FIELD_HEAD, fields),
    '### Condition types',
    table(['Type', 'Kinds', 'True means'], types),
    '### Reasons',
    'Each reason links to its entry in [troubleshooting.md](troubleshooting.md): what it means, what to check, what to do.',
    table(['Condition', 'Kinds', 'Reasons'], reasonTables),
    kstatusSection(),
  ].join('\n\n');
}

/** How the reference names each reading (with what cli-utils kstatus then reports). */
export const READING_TEXT: Record<KstatusReading, string> = {
  Reconciling: 'Reconciling (InProgress)',
  Stalled: 'Stalled (Failed)',
  Current: 'Current',
  Neither: 'neither (InProgress: Ready=False)',
};

/** Ready=False reason → what kstatus (Flux, `kubectl wait`-style tools) reads, from READY_REASON_KSTATUS. */
function kstatusSection(): string {
  const rows = RESOURCES.flatMap(({ kind }) => {
    const table: Readonly<Record<string, KstatusReading>> = READY_REASON_KSTATUS[kind];
    return readyReasons(kind).map((reason) => [kind, code(reason), READING_TEXT[table[reason] ?? 'Reconciling']]);
  });
  return [
    '### kstatus',
    'kstatus (sigs.k8s.io/cli-utils: Flux health checks, `kubectl wait`-style tools) reads a `status.observedGeneration` behind `metadata.generation` as InProgress, ' +
      '`Reconciling=True` as InProgress, `Stalled=True` as Failed, and otherwise Ready: `True` as Current, `False` as InProgress (cli-utils v0.37.2, checked on live objects by test/kstatus.test.ts). ' +
      'Every Ready=False reason maps to exactly one of: `Reconciling=True` (work in progress, or waiting for something that may come by itself), ' +
      '`Stalled=True` (a human must act), or neither. Ready=True reasons read Current. ' +
      '**A resource with `Degraded=True` is neither: kstatus reads its Ready=False as InProgress**, so Flux `wait` waits on it until its timeout and then fails the sync; it is never Failed, because the fault (a cut link, an unrequested pause) may heal by itself. ' +
      'Alert on Degraded (deploy/monitoring) or use Argo CD health, which reports it. ' +
      'A paused resource (annotation `elementrepl.io/paused`) is neither Reconciling nor Stalled (reason `ReconcilePaused`). ' +
      'A resource the operator has not written yet (no status) reads Current: a known kstatus limitation (kubernetes-sigs/cli-utils#632).',
    table(['Kind', 'Ready reason', 'kstatus reads'], rows),
  ].join('\n\n');
}

function metadataSection(): string {
  const annotationRows = documented(ANNOTATION_DOCS, exportedValues(annotations, '_ANNOTATION'), 'annotation').map(([key, doc]) => [code(key), doc.on, doc.meaning]);
  const finalizerRows = documented(FINALIZER_DOCS, exportedValues(finalizers, '_FINALIZER'), 'finalizer').map(([key, doc]) => [code(key), doc.on, doc.meaning]);
  const labelRows = documented(LABEL_DOCS, exportedValues(labels, '_LABEL'), 'label').map(([key, doc]) => [code(key), doc]);
  return [
    '## Annotations',
    'The operator never writes labels or annotations of its resources (GitOps tools see no drift); these are set by people. Only the exact string `"true"` counts as true.',
    table(['Annotation', 'On', 'Meaning'], annotationRows),
    '## Finalizers',
    table(['Finalizer', 'On', 'Meaning'], finalizerRows),
    '## Operator-owned Secrets',
    `Pairing keys live only in Secrets the operator creates in its own namespace, of type ${code(labels.PAIRING_KEY_SECRET_TYPE)}, ` +
      `with the key in data key ${code(labels.PAIRING_KEY_DATA_KEY)}. They carry these labels (and the owner annotations above):`,
    table(['Label', 'Value'], labelRows),
  ].join('\n\n');
}

export function generateReference(): string {
  const kinds = KIND_DEFINITIONS.map((k) => k.names.kind);
  return [
    '<!-- Generated by `npm run gen:docs` from src/api. Do not edit. -->',
    '# API reference',
    `API group ${code(GROUP)}, version ${code(VERSION)}: every manifest starts with ${code(`apiVersion: ${API_VERSION}`)}. ` +
      `\`kubectl get ${CATEGORY}\` lists all kinds; \`kubectl explain <kind>.spec\` shows the same descriptions. ` +
      'Defaults and validation are enforced by the API server (CRD schema and CEL rules), so a rejected manifest never reaches the operator.',
    `Contents: ${[...kinds, 'Conditions', 'Annotations', 'Finalizers', 'Operator-owned Secrets'].map((s) => `[${s}](#${s.toLowerCase().replace(/ /g, '-')})`).join(' · ')}`,
    ...KIND_DEFINITIONS.map(kindSection),
    conditionsSection(),
    metadataSection(),
  ].join('\n\n') + '\n';
}
