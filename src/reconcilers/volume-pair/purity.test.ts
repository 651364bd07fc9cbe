/// <reference types="vite/client" />
import { expect, test } from 'vitest';

// The planner is pure (DESIGN §3, STYLE): its files import no Node, network or Kubernetes code, and
// read no clock or randomness (`now` comes in). The shell files (reconcile, observe, execute,
// key-secret, controller, shell-types) may.
const PLANNER = ['plan', 'analyze', 'claims', 'converge', 'create', 'delete', 'health', 'live', 'resolve', 'safety', 'status', 'types', 'verdict', 'views'];
const sources = import.meta.glob<string>(['./*.ts', '!./*.test.ts'], { query: '?raw', import: 'default', eager: true });

test('the VolumePair planner imports nothing from node:*, undici, @kubernetes/client-node or the shell', () => {
  const planner = Object.entries(sources).filter(([file]) => PLANNER.some((name) => file === `./${name}.ts`));
  expect(planner.map(([file]) => file).sort()).toEqual(PLANNER.map((name) => `./${name}.ts`).sort());
  for (const [file, text] of planner) {
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
    expect(imports.filter((s) => /^(node:|undici|@kubernetes\/client-node)|\/kube\/|\/element\/client|observation-cache/.test(s)), file).toEqual([]);
    expect(imports.filter((s) => /\.\/(reconcile|observe|execute|key-secret|controller|shell-types)\.ts$/.test(s)), file).toEqual([]);
    expect(text, file).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(/);
  }
});
