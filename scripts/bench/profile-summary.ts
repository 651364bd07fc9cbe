// Summarizes a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): time by package or source
// folder, the hottest functions by self time, and the project's functions by inclusive time.
//   ./node_modules/.bin/node scripts/bench/profile-summary.ts DIR/CPU.….cpuprofile [rows]
// Sample times are wall time on the main thread; "(idle)" is time spent waiting for I/O.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = pathToFileURL(path.resolve(import.meta.dirname, '../..')).href + '/';

function shortUrl(url: string): string {
  return url.replace(ROOT, '').replace(/^.*node_modules\//, 'node_modules/');
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
}

/** `node_modules/<package>`, `src/<folder>`, `node:<module>` or the V8 pseudo-frame. */
function groupOf(node: ProfileNode): string {
  const url = shortUrl(node.callFrame.url);
  if (url.startsWith('node_modules/')) {
    const parts = url.split('/');
    return parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/');
  }
  if (url.startsWith('src/')) return url.split('/').slice(0, 3).join('/');
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url || node.callFrame.functionName || '(native)';
}

export function summarizeProfile(profile: Profile, rows = 25): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
  const self = new Map<string, number>();
  const groups = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);
  for (const [id, t] of selfTime) {
    const node = byId.get(id)!;
    add(self, frameName(node), t);
    add(groups, groupOf(node), t);
    const seen = new Set<string>(); // recursion counts once
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = frameName(byId.get(cur)!);
      if (!seen.has(name)) add(inclusive, name, t);
      seen.add(name);
    }
  }
  const top = (map: Map<string, number>, filter: (key: string) => boolean = () => true) =>
    [...map].filter(([key]) => filter(key)).sort((a, b) => b[1] - a[1]).slice(0, rows)
      .map(([key, t]) => `${(t / 1000).toFixed(0).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${key}`);
  return [
    `sampled ${(total / 1e6).toFixed(1)} s of the main thread`,
    '--- self time by package / source folder', ...top(groups),
    '--- self time by function', ...top(self),
    '--- inclusive time, functions under src/', ...top(inclusive, (key) => / src\//.test(key)),
  ];
}

if (import.meta.main) {
  const [file, rows] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node scripts/bench/profile-summary.ts FILE.cpuprofile [rows]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  process.stdout.write(`${summarizeProfile(profile, rows ? Number(rows) : 25).join('\n')}\n`);
}
