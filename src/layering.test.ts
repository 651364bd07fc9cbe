// VS Code's layering rule, for us (CONTRACTS.md, STYLE.md): code that needs only plain JavaScript —
// the API schemas, the planners, the work queue and the rate limiter — never imports Node, the
// network or the Kubernetes client, not even through a local import of a local import.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

const SRC = dirname(new URL(import.meta.url).pathname);
const FORBIDDEN = /^(node:|undici(\/|$)|@kubernetes\/client-node(\/|$))/;
const BUILTINS = new Set(builtinModules);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] as string);
  // `import type` is erased at run time and cannot pull Node in.
  const typeOnly = new Set([...text.matchAll(/^\s*(?:import|export)\s+type\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]));
  return specifiers.filter((s) => !typeOnly.has(s));
}

/** Every forbidden import reachable from `file` through relative imports, as `via → specifier`. */
function forbiddenReachable(file: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (current: string, chain: string[]) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const specifier of importsOf(current)) {
      if (specifier.startsWith('.')) {
        visit(resolve(dirname(current), specifier), [...chain, relative(SRC, current)]);
      } else if (FORBIDDEN.test(specifier) || BUILTINS.has(specifier.split('/')[0] as string)) {
        found.push([...chain, relative(SRC, current), specifier].join(' → '));
      }
    }
  };
  visit(file, []);
  return found;
}

const isSource = (path: string) => path.endsWith('.ts') && !path.endsWith('.test.ts');
const pureFiles = [
  ...filesUnder(join(SRC, 'api')).filter(isSource),
  ...filesUnder(join(SRC, 'reconcilers')).filter((p) => isSource(p) && /\/plan[^/]*\.ts$/.test(p)),
  join(SRC, 'controller', 'queue.ts'),
  join(SRC, 'controller', 'backoff.ts'),
];

describe('layering', () => {
  it('covers the API schemas, the planners, the queue and the rate limiter', () => {
    const names = pureFiles.map((p) => relative(SRC, p));
    expect(names).toEqual(expect.arrayContaining(['controller/queue.ts', 'controller/backoff.ts', 'api/index.ts']));
    expect(names.some((n) => n.startsWith('reconcilers/') && n.endsWith('/plan.ts'))).toBe(true);
  });

  it.each(pureFiles.map((p) => [relative(SRC, p), p]))('%s imports no node:*, undici or client-node, directly or indirectly', (_name, file) => {
    expect(forbiddenReachable(file)).toEqual([]);
  });

  it('detects a forbidden import through a chain of local imports', () => {
    // The check itself must be able to fail: src/kube/client.ts imports client-node and undici.
    expect(forbiddenReachable(join(SRC, 'kube', 'client.ts')).length).toBeGreaterThan(0);
    expect(forbiddenReachable(join(SRC, 'kube', 'secrets.ts')).some((c) => c.startsWith('kube/secrets.ts → kube/client.ts'))).toBe(true);
  });
});
