/// <reference types="vite/client" />
import { expect, test } from 'vitest';

// The planner is pure (DESIGN §3, STYLE): everything here but the I/O shell stays plain JavaScript.
const sources = import.meta.glob<string>(['./*.ts', '!./*.test.ts', '!./reconcile*.ts', '!./key-secret*.ts'], {
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
