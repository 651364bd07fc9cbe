// Builds the Argo CD health checks of deploy/argocd/ (and the argocd-cm example of docs/gitops.md)
// from one Lua template. The three kinds share the mapping of conditions onto Argo CD's health
// states; what differs per kind is data (HEALTH_CHECKS). Pure: returns text; scripts/gen-argocd.ts
// writes it and a unit test fails when a committed file differs. The Lua stays within what both
// Argo CD's gopher-lua (5.1) and Lua 5.3 offer.
import { PAUSED_ANNOTATION } from './annotations.ts';
import { ConditionType } from './conditions.ts';
import { API_VERSION, CLUSTER_PAIR, ELEMENT_CLUSTER, GROUP, VOLUME_PAIR, type Kind } from './group.ts';

export interface HealthCheck {
  readonly kind: Kind;
  /** What Degraded=True means for this kind, said in the script's header; omitted when nothing specific. */
  readonly degradedExample?: string;
  /**
   * A boolean spec field that asks for a pause: once Ready=True while it is true, the pause is
   * reached and the resource is Suspended rather than Healthy.
   */
  readonly pauseField?: { readonly field: string; readonly means: string; readonly message: string };
  /** A condition whose False is noted in the Healthy message (`name` is its Lua local). */
  readonly noteWhenFalse?: { readonly condition: ConditionType; readonly name: string };
}

/** In the order docs/gitops.md shows them (the order of application). */
export const HEALTH_CHECKS: readonly HealthCheck[] = [
  { kind: ELEMENT_CLUSTER.kind, noteWhenFalse: { condition: ConditionType.TLSVerified, name: 'tls' } },
  { kind: CLUSTER_PAIR.kind, degradedExample: 'for example volume pairs to repair' },
  { kind: VOLUME_PAIR.kind, degradedExample: 'replicating badly', pauseField: { field: 'paused', means: 'replication paused as requested', message: 'Replication is paused as requested' } },
];

/** A True one of these wins over Ready, in this order. */
const DEGRADING: readonly ConditionType[] = [ConditionType.Stalled, ConditionType.Degraded];

export function healthScriptName(kind: Kind): string {
  return `health-${kind.toLowerCase()}.lua`;
}

/** The argocd-cm key Argo CD reads a kind's health check from. */
export function healthConfigKey(kind: Kind): string {
  return `resource.customizations.health.${GROUP}_${kind}`;
}

function header(check: HealthCheck): string[] {
  const pause = check.pauseField ? `, or ${check.pauseField.means} (spec.${check.pauseField.field})` : '';
  const degraded = check.degradedExample ? ` (${check.degradedExample})` : '';
  const note = check.noteWhenFalse ? ` (the message notes ${check.noteWhenFalse.condition}=False)` : '';
  return [
    `-- Argo CD health check for ${API_VERSION} ${check.kind} (element-replication-operator).`,
    `-- Suspended: reconciling paused by annotation${pause}.`,
    '-- Progressing: no status yet, or the status is older than the spec (observedGeneration).',
    `-- Degraded: Stalled=True (a human must act) or Degraded=True${degraded}.`,
    '-- Progressing: Reconciling=True for the current generation (the operator is working toward the spec), even if Ready=True.',
    `-- Healthy: Ready=True for the current generation${note}. Progressing otherwise.`,
  ];
}

/** The branch taken when Ready=True for the current generation and nothing degrades. */
function whenReady(check: HealthCheck): string[] {
  const lines: string[] = [];
  if (check.pauseField) {
    const { field, message } = check.pauseField;
    lines.push(
      `  if obj.spec ~= nil and obj.spec.${field} == true then`,
      '    hs.status = "Suspended"',
      `    hs.message = "${message} (spec.${field}): " .. describe(ready)`,
      '    return hs',
      '  end',
    );
  }
  lines.push('  hs.status = "Healthy"', '  hs.message = describe(ready)');
  if (check.noteWhenFalse) {
    const { condition, name } = check.noteWhenFalse;
    lines.push(
      `  local ${name} = condition(obj.status.conditions, "${condition}")`,
      `  if ${name} ~= nil and ${name}.status == "False" then`,
      `    hs.message = hs.message .. " (${condition}=False: " .. (${name}.reason or "NoReason") .. ")"`,
      '  end',
    );
  }
  lines.push('  return hs');
  return lines;
}

export function generateHealthScript(check: HealthCheck): string {
  const degrading = DEGRADING.map((type) => `"${type}"`).join(', ');
  return `${[
    ...header(check),
    'local hs = {}',
    '',
    'local function condition(conditions, conditionType)',
    '  for _, c in ipairs(conditions) do',
    '    if c.type == conditionType then',
    '      return c',
    '    end',
    '  end',
    '  return nil',
    'end',
    '',
    'local function describe(c)',
    '  local reason = c.reason or "NoReason"',
    '  if c.message ~= nil and c.message ~= "" then',
    '    return reason .. ": " .. c.message',
    '  end',
    '  return reason',
    'end',
    '',
    'local annotations = obj.metadata.annotations',
    `if annotations ~= nil and annotations["${PAUSED_ANNOTATION}"] == "true" then`,
    '  hs.status = "Suspended"',
    `  hs.message = "Reconciling is paused by the annotation ${PAUSED_ANNOTATION}"`,
    '  return hs',
    'end',
    '',
    'if obj.status == nil or obj.status.conditions == nil then',
    '  hs.status = "Progressing"',
    '  hs.message = "Waiting for the operator to report status"',
    '  return hs',
    'end',
    '',
    'local generation = obj.metadata.generation',
    `local ready = condition(obj.status.conditions, "${ConditionType.Ready}")`,
    'local stale = generation ~= nil and obj.status.observedGeneration ~= nil and obj.status.observedGeneration ~= generation',
    'if generation ~= nil and ready ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration ~= generation then',
    '  stale = true',
    'end',
    'if stale then',
    '  hs.status = "Progressing"',
    '  hs.message = "Waiting for the operator to observe the latest spec"',
    '  return hs',
    'end',
    '',
    `for _, conditionType in ipairs({ ${degrading} }) do`,
    '  local c = condition(obj.status.conditions, conditionType)',
    '  if c ~= nil and c.status == "True" then',
    '    hs.status = "Degraded"',
    '    hs.message = conditionType .. ": " .. describe(c)',
    '    return hs',
    '  end',
    'end',
    '',
    `local reconciling = condition(obj.status.conditions, "${ConditionType.Reconciling}")`,
    'if reconciling ~= nil and reconciling.status == "True" and (generation == nil or reconciling.observedGeneration == nil or reconciling.observedGeneration == generation) then',
    '  hs.status = "Progressing"',
    `  hs.message = "${ConditionType.Reconciling}: " .. describe(reconciling)`,
    '  return hs',
    'end',
    '',
    'if ready ~= nil and ready.status == "True" then',
    ...whenReady(check),
    'end',
    '',
    'hs.status = "Progressing"',
    'if ready ~= nil then',
    '  hs.message = describe(ready)',
    'else',
    '  hs.message = "Waiting for the Ready condition"',
    'end',
    'return hs',
  ].join('\n')}\n`;
}

/** deploy/argocd/: one file per kind. */
export function generateHealthScripts(): { name: string; content: string }[] {
  return HEALTH_CHECKS.map((check) => ({ name: healthScriptName(check.kind), content: generateHealthScript(check) }));
}

/** The argocd-cm ConfigMap of docs/gitops.md that embeds every script (YAML, without the fence). */
export function generateArgoCdConfigMap(): string {
  const indent = (text: string) => text.split('\n').map((line) => (line === '' ? line : `    ${line}`)).join('\n');
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: argocd-cm',
    '  namespace: argocd',
    '  labels:',
    '    app.kubernetes.io/name: argocd-cm',
    '    app.kubernetes.io/part-of: argocd',
    'data:',
    ...HEALTH_CHECKS.map((check) => `  ${healthConfigKey(check.kind)}: |\n${indent(generateHealthScript(check))}`.trimEnd()),
    '',
  ].join('\n');
}

/** Replaces the argocd-cm example of docs/gitops.md (the ```yaml block naming argocd-cm) with the generated one. */
export function updateGitopsDoc(doc: string): string {
  const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].filter((m) => /^kind: ConfigMap$/m.test(m[1] ?? '') && /^ {2}name: argocd-cm$/m.test(m[1] ?? ''));
  const [block] = blocks;
  if (blocks.length !== 1 || block?.index === undefined) throw new Error(`docs/gitops.md: expected one argocd-cm ConfigMap block, found ${blocks.length}`);
  const start = block.index + '```yaml\n'.length;
  return doc.slice(0, start) + generateArgoCdConfigMap() + doc.slice(start + (block[1] ?? '').length);
}
