// GitOps ownership (pure): a VolumePair that Argo CD or Flux applies from Git would have a patched
// spec.primarySide reverted by self-heal, so the DR commands refuse to patch it (without --force)
// and print the change to commit instead.
import { stringify } from 'yaml';
import type { DrVolumePair, FailoverKind, Side } from './dr-targets.ts';

export interface GitOpsOwner {
  tool: 'Argo CD' | 'Flux';
  /** What gave it away and the application/kustomization named, for the message. */
  evidence: string;
}

const ARGO_TRACKING_ID = 'argocd.argoproj.io/tracking-id';
const ARGO_INSTANCE = 'argocd.argoproj.io/instance';
const APP_INSTANCE = 'app.kubernetes.io/instance';
const FLUX_LABELS = ['kustomize.toolkit.fluxcd.io/name', 'helm.toolkit.fluxcd.io/name'] as const;

/**
 * Argo CD tracks with the annotation `argocd.argoproj.io/tracking-id` (annotation tracking) or a
 * label, `argocd.argoproj.io/instance` when configured so. The default label,
 * `app.kubernetes.io/instance`, alone is not taken as Argo's: Helm sets the same label on
 * everything it installs; it only names the application when the tracking annotation is there too.
 * Flux labels what it applies with the name of its Kustomization or HelmRelease.
 */
export function gitOpsOwner(metadata: DrVolumePair['metadata']): GitOpsOwner | undefined {
  const labels = metadata.labels ?? {};
  const annotations = metadata.annotations ?? {};
  const trackingId = annotations[ARGO_TRACKING_ID];
  if (trackingId !== undefined) {
    const app = labels[APP_INSTANCE] ?? trackingId.split(':')[0];
    return { tool: 'Argo CD', evidence: `application ${app} (annotation ${ARGO_TRACKING_ID})` };
  }
  const instance = labels[ARGO_INSTANCE];
  if (instance !== undefined) return { tool: 'Argo CD', evidence: `application ${instance} (label ${ARGO_INSTANCE})` };
  for (const label of FLUX_LABELS) {
    const name = labels[label];
    if (name === undefined) continue;
    const namespace = labels[label.replace(/\/name$/, '/namespace')];
    const kind = label.startsWith('kustomize') ? 'Kustomization' : 'HelmRelease';
    return { tool: 'Flux', evidence: `${kind} ${namespace ? `${namespace}/` : ''}${name} (label ${label})` };
  }
  return undefined;
}

/** The change to commit, one YAML document per VolumePair: only the fields that change. */
export function commitSnippet(volumePairs: readonly DrVolumePair[], to: Side, failover: FailoverKind): string {
  return volumePairs
    .map((vp) =>
      stringify({
        apiVersion: 'elementrepl.io/v1alpha1',
        kind: 'VolumePair',
        metadata: { name: vp.metadata.name, ...(vp.metadata.namespace ? { namespace: vp.metadata.namespace } : {}) },
        spec: { primarySide: to, failover },
      }),
    )
    .join('---\n');
}
