/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

// One shape for every kind (docs/dev/architecture.md): each kind's folder holds its planner,
// `plan.ts` and `plan-*.ts`, which imports only planner files and pure shared modules (DESIGN §3,
// STYLE; src/layering.test.ts checks no Node, network or Kubernetes code is reachable) and reads no
// clock or randomness (`now` comes in); the set is derived from the naming rule. Shared code lives
// in shell/ and the top of src/reconcilers/; no kind's folder imports from another kind's folder.
const KINDS = ['element-cluster', 'cluster-pair', 'volume-pair'] as const;
const sources = import.meta.glob<string>(['./*/*.ts', '!./*/*.test.ts'], { query: '?raw', import: 'default', eager: true });

/** Modules outside a kind's folder that a planner may import. */
const PURE_SHARED = [/^\.\.\/\.\.\/api\//, /^\.\.\/\.\.\/element\/states\.ts$/, /^\.\.\/shell\/plan\.ts$/, /^\.\.\/sides\.ts$/, /^\.\.\/cluster-view\.ts$/];

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

function filesOf(kind: string): [string, string][] {
  return Object.entries(sources).filter(([file]) => file.startsWith(`./${kind}/`));
}

const isPlanner = (file: string): boolean => /(^|\/)plan(-[a-z0-9-]+)?\.ts$/.test(file);

/** Imports a planner file may not have. */
function impureImports(text: string): string[] {
  return importsOf(text).filter((spec) => (spec.startsWith('./') ? !isPlanner(spec) : !PURE_SHARED.some((rule) => rule.test(spec))));
}

describe.each(KINDS)('%s', (kind) => {
  it('has a planner (plan.ts) whose files import only planner files and pure shared modules', () => {
    const planner = filesOf(kind).filter(([file]) => isPlanner(file));
    expect(planner.map(([file]) => file)).toContain(`./${kind}/plan.ts`);
    for (const [file, text] of planner) {
      expect(impureImports(text), file).toEqual([]);
      expect(text, file).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(/);
    }
  });

  it("imports nothing from another kind's folder", () => {
    const others = KINDS.filter((k) => k !== kind);
    for (const [file, text] of filesOf(kind)) {
      const crossing = importsOf(text).filter((spec) => others.some((other) => spec.includes(`/${other}/`)));
      expect(crossing, file).toEqual([]);
    }
  });
});

it('the checks can fail: a shell import or a clock in a planner is caught', () => {
  expect(impureImports("import { observe } from './observe.ts';\nimport x from '../observation-cache.ts';")).toEqual(['./observe.ts', '../observation-cache.ts']);
  expect(impureImports("import { plan } from '../shell/plan.ts';\nimport type { A } from './plan-types.ts';")).toEqual([]);
});
