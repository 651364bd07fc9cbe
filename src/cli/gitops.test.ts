import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { commitSnippet, gitOpsOwner } from './gitops.ts';

describe('gitOpsOwner', () => {
  test('Argo CD: the tracking annotation (with the application from app.kubernetes.io/instance) or the instance label', () => {
    expect(gitOpsOwner({ name: 'x', labels: { 'app.kubernetes.io/instance': 'site-db' }, annotations: { 'argocd.argoproj.io/tracking-id': 'site-db:elementrepl.io/VolumePair:db/x' } }))
      .toEqual({ tool: 'Argo CD', evidence: 'application site-db (annotation argocd.argoproj.io/tracking-id)' });
    expect(gitOpsOwner({ name: 'x', annotations: { 'argocd.argoproj.io/tracking-id': 'apps:elementrepl.io/VolumePair:db/x' } })?.evidence).toContain('application apps');
    expect(gitOpsOwner({ name: 'x', labels: { 'argocd.argoproj.io/instance': 'site' } })).toEqual({ tool: 'Argo CD', evidence: 'application site (label argocd.argoproj.io/instance)' });
  });

  test('Flux: the Kustomization or HelmRelease labels', () => {
    expect(gitOpsOwner({ name: 'x', labels: { 'kustomize.toolkit.fluxcd.io/name': 'dr', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } }))
      .toEqual({ tool: 'Flux', evidence: 'Kustomization flux-system/dr (label kustomize.toolkit.fluxcd.io/name)' });
    expect(gitOpsOwner({ name: 'x', labels: { 'helm.toolkit.fluxcd.io/name': 'db' } })).toEqual({ tool: 'Flux', evidence: 'HelmRelease db (label helm.toolkit.fluxcd.io/name)' });
  });

  test('not owned: no labels, or only the label Helm sets on everything', () => {
    expect(gitOpsOwner({ name: 'x' })).toBeUndefined();
    expect(gitOpsOwner({ name: 'x', labels: { 'app.kubernetes.io/instance': 'db', 'app.kubernetes.io/managed-by': 'Helm' } })).toBeUndefined();
  });
});

describe('commitSnippet', () => {
  test('one document per VolumePair with only the fields to change', () => {
    const text = commitSnippet([{ metadata: { name: 'a', namespace: 'db', labels: { x: 'y' } }, spec: { mode: 'Async' } }, { metadata: { name: 'b', namespace: 'web' } }], 'B', 'Forced');
    const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
    expect(docs).toEqual([
      { apiVersion: 'elementrepl.io/v1alpha1', kind: 'VolumePair', metadata: { name: 'a', namespace: 'db' }, spec: { primarySide: 'B', failover: 'Forced' } },
      { apiVersion: 'elementrepl.io/v1alpha1', kind: 'VolumePair', metadata: { name: 'b', namespace: 'web' }, spec: { primarySide: 'B', failover: 'Forced' } },
    ]);
  });
});
