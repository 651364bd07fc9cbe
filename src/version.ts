// The operator's version: package.json's, the one place it is written (the image tag, the Helm
// chart's appVersion and CHANGELOG.md follow it). package.json sits one level above src/ in a
// checkout and above dist/ in the image and the npm package.
import { readFileSync } from 'node:fs';

export function operatorVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}
