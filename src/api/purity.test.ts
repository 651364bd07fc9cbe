/// <reference types="vite/client" />
import { expect, test } from 'vitest';

// src/api is shared by the operator, the simulator, scripts and tests: plain JavaScript only.
const sources = import.meta.glob<string>(['./*.ts', '!./*.test.ts'], { query: '?raw', import: 'default', eager: true });

test('src/api imports nothing from node:*, undici or @kubernetes/client-node', () => {
  expect(Object.keys(sources).length).toBeGreaterThan(5);
  for (const [file, text] of Object.entries(sources)) {
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(imports.filter((s) => /^(node:|undici|@kubernetes\/client-node)/.test(s ?? '')), file).toEqual([]);
  }
});
