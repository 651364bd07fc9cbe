// Release hygiene: the version is written once (package.json) and everything that shows it agrees;
// CHANGELOG.md has a section for it; the Dockerfile labels the image; the npm package holds only
// what a user runs (bin/ and the compiled dist/), never sources, tests or tooling.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { operatorVersion } from './version.ts';

const run = promisify(execFile);
const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; license: string };

describe('release', () => {
  it('reads the version from package.json and prints it with --version', async () => {
    expect(operatorVersion()).toBe(pkg.version);
    const { stdout } = await run(process.execPath, [new URL('bin/elementrepl-operator.mjs', root).pathname, '--version']);
    expect(stdout).toBe(`elementrepl-operator ${pkg.version}\n`);
  });

  it('has a CHANGELOG.md section for the package.json version', () => {
    const headings = read('CHANGELOG.md').split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toContain('## Unreleased');
    expect(headings.some((h) => h === `## ${pkg.version}` || h.startsWith(`## ${pkg.version} - `))).toBe(true);
  });

  it('stamps the version into the kustomize image tag and the chart (version, appVersion)', () => {
    const deployment = parseAllDocuments(read('deploy/base/deployment.yaml')).map((d) => d.toJS() as { kind: string; spec: { template: { spec: { containers: { image: string }[] } } } }).find((d) => d.kind === 'Deployment');
    expect(deployment?.spec.template.spec.containers[0]?.image.split(':').at(-1)).toBe(pkg.version);
    const chart = parse(read('deploy/helm/elementrepl-operator/Chart.yaml')) as { version: string; appVersion: string };
    expect(chart).toMatchObject({ version: pkg.version, appVersion: pkg.version });
  });

  it('labels the image with OCI annotations: source, version from a build argument, licence of package.json', () => {
    const dockerfile = read('Dockerfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^ARG VERSION\b/m);
    expect(runtime).toMatch(/org\.opencontainers\.image\.source="https:\/\/github\.com\/[^"]+"/);
    expect(runtime).toContain('org.opencontainers.image.version="${VERSION}"');
    expect(runtime).toContain(`org.opencontainers.image.licenses="${pkg.license}"`);
  });

  it('packs only the CLI entry points and the compiled operator (npm pack --dry-run)', { timeout: 120_000 }, async () => {
    // dist/ is what the package ships; build it when a checkout has not yet.
    if (!existsSync(new URL('dist/main.js', root))) await run(process.execPath, [new URL('node_modules/typescript/bin/tsc', root).pathname, '-p', 'tsconfig.build.json'], { cwd: root });
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root });
    const files = ((JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files ?? []).map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'bin/elementrepl-operator.mjs', 'bin/check-node.mjs', 'dist/main.js', 'dist/config.js']));
    const unexpected = files.filter((f) => !/^(package\.json|README\.md|CHANGELOG\.md|LICENSE)$/.test(f) && !/^bin\/[^/]+\.mjs$/.test(f) && !/^dist\/.+\.js$/.test(f));
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => /\.test\.|\/testing\/|\.map$|\.ts$/.test(f))).toEqual([]);
  });
});
