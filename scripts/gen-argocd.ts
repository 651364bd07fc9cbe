// Writes deploy/argocd/*.lua and the argocd-cm example of docs/gitops.md from one template
// (see src/api/argocd-health.ts).
// Usage: npm run gen:argocd
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateHealthScripts, updateGitopsDoc } from '../src/api/argocd-health.ts';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'deploy', 'argocd');
await mkdir(dir, { recursive: true });
const files = generateHealthScripts();
const wanted = new Set(files.map((file) => file.name));
// Drop scripts of kinds that no longer exist, so deploy/argocd/ always equals the generator's output.
for (const name of await readdir(dir)) {
  if (name.endsWith('.lua') && !wanted.has(name)) await rm(join(dir, name));
}
for (const file of files) await writeFile(join(dir, file.name), file.content);
const gitops = join(root, 'docs', 'gitops.md');
await writeFile(gitops, updateGitopsDoc(await readFile(gitops, 'utf8')));
console.log(`wrote ${files.length} files to deploy/argocd/ and the argocd-cm example of docs/gitops.md`);
