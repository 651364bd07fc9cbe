// Writes crds/ from the zod schemas in src/api (see src/api/crd-generator.ts).
// Usage: npm run gen:crds
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateCrdFiles } from '../src/api/crd-generator.ts';

const dir = join(import.meta.dirname, '..', 'crds');
await mkdir(dir, { recursive: true });
const files = generateCrdFiles();
const wanted = new Set(files.map((file) => file.name));
// Drop files of kinds that no longer exist, so crds/ always equals the generator's output.
for (const name of await readdir(dir)) {
  if (name.endsWith('.yaml') && !wanted.has(name)) await rm(join(dir, name));
}
for (const file of files) await writeFile(join(dir, file.name), file.content);
console.log(`wrote ${files.length} files to crds/`);
