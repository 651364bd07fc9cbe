/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import { generateArgoCdConfigMap, generateHealthScripts, HEALTH_CHECKS, updateGitopsDoc } from './argocd-health.ts';
import { RESOURCES } from './group.ts';

// Vite reads the committed files; src/api itself stays free of node:* imports.
const committed = import.meta.glob<string>('../../deploy/argocd/*', { query: '?raw', import: 'default', eager: true });
const gitopsDoc = Object.values(import.meta.glob<string>('../../docs/gitops.md', { query: '?raw', import: 'default', eager: true }))[0] ?? '';

describe('deploy/argocd/', () => {
  test('is up to date with src/api/argocd-health.ts (run `npm run gen:argocd` when this fails)', () => {
    const generated = Object.fromEntries(generateHealthScripts().map((f) => [`../../deploy/argocd/${f.name}`, f.content]));

    expect(committed).toEqual(generated);
  });

  test('there is a health check for every kind', () => {
    expect(HEALTH_CHECKS.map((c) => c.kind).sort()).toEqual(RESOURCES.map((r) => r.kind).sort());
  });

  test('the kinds differ only where their data says so', () => {
    const [ec, cp, vp] = generateHealthScripts().map((f) => f.content);

    expect(ec).toContain('local tls = condition(obj.status.conditions, "TLSVerified")');
    expect(cp).not.toContain('TLSVerified');
    expect(vp).toContain('if obj.spec ~= nil and obj.spec.paused == true then');
    expect(cp).not.toContain('obj.spec');
    expect(ec).not.toContain('obj.spec');
  });
});

describe('docs/gitops.md', () => {
  test('embeds the generated argocd-cm example (run `npm run gen:argocd` when this fails)', () => {
    expect(gitopsDoc).toContain(`\`\`\`yaml\n${generateArgoCdConfigMap()}\`\`\`\n`);
    expect(updateGitopsDoc(gitopsDoc)).toBe(gitopsDoc);
  });

  test('updating replaces only the argocd-cm block, and refuses a page without one', () => {
    const page = 'intro\n```yaml\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata: {}\n```\n\n```yaml\nkind: Kustomization\n```\n';

    expect(updateGitopsDoc(page)).toBe(`intro\n\`\`\`yaml\n${generateArgoCdConfigMap()}\`\`\`\n\n\`\`\`yaml\nkind: Kustomization\n\`\`\`\n`);
    expect(() => updateGitopsDoc('no example here\n')).toThrow(/found 0/);
  });
});
