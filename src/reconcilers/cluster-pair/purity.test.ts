/// <reference types="vite/client" />
import { expect, test } from 'vitest';

// The planner is pure (DESIGN §3, STYLE): its files import no Node, network or Kubernetes code, and
// read no clock or randomness (`now` comes in). The shell files (reconcile, observe, execute, …) may.
const sources = import.meta.glob<string>(['./plan*.ts', './match.ts', './status.ts', './decision.ts', './types.ts', '!./*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

test('the ClusterPair planner imports nothing from node:*, undici or @kubernetes/client-node', () => {
  expect(Object.keys(sources)).toContain('./plan.ts');
  for (const [file, text] of Object.entries(sources)) {
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(imports.filter((s) => /^(node:|undici|@kubernetes\/client-node)/.test(s ?? '')), file).toEqual([]);
    expect(text, file).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(/);
  }
});
