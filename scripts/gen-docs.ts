// Writes docs/reference.md from the zod schemas in src/api (see src/api/docs-generator.ts).
// Usage: npm run gen:docs
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateReference } from '../src/api/docs-generator.ts';

const dir = join(import.meta.dirname, '..', 'docs');
await mkdir(dir, { recursive: true });
await writeFile(join(dir, 'reference.md'), generateReference());
console.log('wrote docs/reference.md');
