// The objects `plan -f` reads: YAML or JSON files, a file or the files of a directory (not
// recursive, like kubectl -f DIR), several documents per file, `kind: List` unwrapped.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CliError } from './context.ts';

export interface Manifest {
  kind: string;
  apiVersion: string;
  /** `file` or `file#2` for the second document. */
  source: string;
  object: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown; [key: string]: unknown };
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function filesOf(target: string): string[] {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new CliError(`${target}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [target];
  return readdirSync(target).filter((f) => EXTENSIONS.has(path.extname(f))).sort().map((f) => path.join(target, f));
}

function unwrap(value: unknown): unknown[] {
  if (value === null || typeof value !== 'object') return [];
  const object = value as { kind?: unknown; items?: unknown };
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) return object.items.flatMap(unwrap);
  return [value];
}

export function loadManifests(targets: readonly string[]): Manifest[] {
  const manifests: Manifest[] = [];
  for (const file of targets.flatMap(filesOf)) {
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    docs.forEach((doc, index) => {
      if (doc.errors.length > 0) throw new CliError(`${file}: not valid YAML/JSON: ${doc.errors[0]?.message ?? ''}`.split('\n')[0] as string);
      const source = docs.length > 1 ? `${file}#${index + 1}` : file;
      for (const item of unwrap(doc.toJS())) {
        const object = item as Manifest['object'];
        const kind = typeof object['kind'] === 'string' ? object['kind'] : '';
        const apiVersion = typeof object['apiVersion'] === 'string' ? object['apiVersion'] : '';
        if (kind === '') throw new CliError(`${source}: an object without kind`);
        manifests.push({ kind, apiVersion, source, object });
      }
    });
  }
  return manifests;
}
