// What the image ships: the build stage of the Dockerfile is replayed from exactly the files it
// COPYs (after .dockerignore), `npm run build`'s tsc output lands in dist/, and dist/ runs beside
// package.json and the production dependencies only (`npm ls --omit=dev` closure, hard-linked into
// a temporary node_modules, no NODE_PATH): --help of both programs, the simulator serving, and the
// operator syncing against the real API server as a standby. Waits are generous; no speed is asserted.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElementClient } from '../src/element/client.ts';
import { KubeClient, type ResourceType } from '../src/kube/client.ts';
import { loadKubeConfig } from '../src/kube/kubeconfig.ts';
import { createTestNamespace, kubeconfigPath } from './helpers/kube.ts';
import { NODE_BINARY, REPO_ROOT } from './helpers/operator-process.ts';
import { waitFor } from './helpers/volume-pair-env.ts';

const DEV_ONLY = ['vitest', 'typescript', 'eslint', 'pino-pretty', 'fengari', 'fast-check', 'node'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dist-test-'));
const context = path.join(tmp, 'context'); // the build stage's /src
const app = path.join(tmp, 'app'); // the runtime stage's /app
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };

interface Instruction {
  stage: string;
  op: string;
  args: string[];
}

/** FROM/WORKDIR/COPY/RUN/ENTRYPOINT… per stage, with `\` continuations joined. */
function dockerfile(): Instruction[] {
  const text = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  let stage = '';
  const out: Instruction[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const [op = '', ...args] = line.split(/\s+/);
    if (op.toUpperCase() === 'FROM') stage = args[2] ?? args[0] ?? '';
    out.push({ stage, op: op.toUpperCase(), args });
  }
  return out;
}

const GLOB: Record<string, string> = { '**/': '(.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' };

/** .dockerignore semantics: root-anchored globs (`*`, `?`, `**`), a match excludes a directory's contents, `!` re-includes, last match wins. */
function dockerIgnored(): (relative: string) => boolean {
  const patterns = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const rules = patterns.map((p) => {
    const negate = p.startsWith('!');
    const glob = path.posix.normalize(p.slice(negate ? 1 : 0)).replace(/^\/+/, '');
    const source = glob.replace(/\*\*\/|\*\*|\*|\?|[.+^${}()|[\]\\]/g, (t) => GLOB[t] ?? `\\${t}`);
    return { negate, regex: new RegExp(`^${source}(/.*)?$`) };
  });
  return (relative) => rules.reduce((ignored, rule) => (rule.regex.test(relative) ? !rule.negate : ignored), false);
}

function filesUnder(root: string, relative: string): string[] {
  const full = path.join(root, relative);
  if (!statSync(full).isDirectory()) return [relative];
  return readdirSync(full).flatMap((entry) => filesUnder(root, path.posix.join(relative, entry)));
}

/** Hard links when on the same file system (fast, and Node resolves from the link's path), else copies. */
function linkTree(from: string, to: string, skip: (name: string) => boolean = () => false): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const [src, dst] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) linkTree(src, dst);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
    else {
      try {
        linkSync(src, dst);
      } catch {
        copyFileSync(src, dst);
      }
    }
  }
}

/** Environment of a production start: no NODE_PATH/NODE_OPTIONS, no KUBECONFIG. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['NODE_PATH', 'NODE_OPTIONS', 'KUBECONFIG']) delete env[name];
  return env;
}

function runNode(args: string[]) {
  return spawnSync(NODE_BINARY, args, { cwd: app, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
}

const instructions = dockerfile();
const ignored = dockerIgnored();
let build: ReturnType<typeof spawnSync>;

beforeAll(() => {
  // The build stage: its COPY sources (what the context sends), node_modules as its `npm ci` leaves it, `npm run build`.
  for (const { args } of instructions.filter((i) => i.stage === 'build' && i.op === 'COPY' && !i.args[0]?.startsWith('--from'))) {
    for (const source of args.slice(0, -1)) {
      for (const file of filesUnder(REPO_ROOT, source).filter((f) => !ignored(f))) {
        mkdirSync(path.dirname(path.join(context, file)), { recursive: true });
        copyFileSync(path.join(REPO_ROOT, file), path.join(context, file));
      }
    }
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(context, 'node_modules'));
  build = spawnSync('npm', ['run', 'build'], { cwd: context, encoding: 'utf8', timeout: 180_000 });

  // The runtime stage: production dependencies, dist/, package.json (its "type": "module" makes dist/*.js ESM).
  const closure = spawnSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (closure.status !== 0) throw new Error(`npm ls --omit=dev failed: ${closure.stderr}`);
  for (const dir of closure.stdout.split('\n').filter((l) => l.startsWith(path.join(REPO_ROOT, 'node_modules')))) {
    // Nested node_modules are listed on their own when production needs them.
    linkTree(dir, path.join(app, path.relative(REPO_ROOT, dir)), (name) => name === 'node_modules');
  }
  if (build.status === 0) linkTree(path.join(context, 'dist'), path.join(app, 'dist'));
  copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(app, 'package.json'));
}, 240_000);

const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

describe('the Dockerfile', () => {
  it('COPYs from the context only files that exist and .dockerignore keeps, and leaves node_modules and dist/ out', () => {
    const copies = instructions.filter((i) => i.op === 'COPY' && !i.args[0]?.startsWith('--from'));
    expect(copies.length).toBeGreaterThan(0);
    for (const { args } of copies) {
      for (const source of args.slice(0, -1)) {
        expect(existsSync(path.join(REPO_ROOT, source)), source).toBe(true);
        expect(ignored(source), `${source} is in .dockerignore`).toBe(false);
      }
    }
    for (const local of ['node_modules', 'node_modules/x/index.js', 'dist/main.js', 'test/deploy.test.ts']) expect(ignored(local), local).toBe(true);
  });

  it("builds from exactly those files: the build stage's dist is what the runtime stage copies and starts", () => {
    expect(build.status, `${String(build.stdout)}${String(build.stderr)}`).toBe(0);
    const buildConfig = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { outDir: string } };
    const workdir = (stage: string) => instructions.filter((i) => i.stage === stage && i.op === 'WORKDIR').at(-1)?.args[0];
    const fromBuild = instructions.find((i) => i.stage === 'runtime' && i.op === 'COPY' && i.args[0] === '--from=build');
    expect(fromBuild?.args.slice(1)).toEqual([path.posix.join(workdir('build') ?? '', buildConfig.compilerOptions.outDir), './dist']);
    expect(instructions.find((i) => i.stage === 'deps' && i.op === 'RUN')?.args.join(' ')).toMatch(/^npm ci --omit=dev/);
    const entrypoint = JSON.parse(instructions.find((i) => i.op === 'ENTRYPOINT')?.args.join(' ') ?? '[]') as string[];
    expect(workdir('runtime')).toBe('/app');
    expect(existsSync(path.join(app, entrypoint[1] ?? 'missing'))).toBe(true);
    for (const from of instructions.filter((i) => i.op === 'FROM')) expect(from.args[0]).toMatch(/node(js)?:?24/);
  });
});

describe('dist/', () => {
  it('holds every source module compiled, and no test file or test-support module', () => {
    const dist = filesUnder(app, 'dist').map((f) => f.slice('dist/'.length));
    expect(dist.filter((f) => /\.(test|spec)\.js(\.map)?$/.test(f))).toEqual([]);
    expect(dist.filter((f) => /(^|\/)testing\//.test(f))).toEqual([]);
    const sources = filesUnder(path.join(REPO_ROOT, 'src'), '.')
      .map((f) => path.posix.normalize(f))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !/(^|\/)testing\//.test(f));
    expect(sources.filter((f) => !dist.includes(f.replace(/\.ts$/, '.js')))).toEqual([]);
  });

  it('loads nothing from a test helper or a dev dependency on the way from its entry points', () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, spec = ''] of readFileSync(file, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)) {
        if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
        else if (!spec.startsWith('node:')) bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
      }
    };
    visit(path.join(app, 'dist', 'main.js'));
    visit(path.join(app, 'dist', 'simulator', 'cli.js'));
    expect([...seen].filter((f) => /[/\\]testing[/\\]/.test(f))).toEqual([]);
    expect([...bare].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });
});

describe('dist/ with production dependencies only', () => {
  it('finds every production dependency beside dist/ and none of the dev-only packages on its lookup path', () => {
    // Node's package lookup from dist/: node_modules of dist/ and of every directory above it.
    const ancestors = (dir: string): string[] => (path.dirname(dir) === dir ? [dir] : [dir, ...ancestors(path.dirname(dir))]);
    const lookup = (name: string) => ancestors(path.join(app, 'dist')).map((d) => path.join(d, 'node_modules', name)).filter((p) => existsSync(p));
    for (const name of Object.keys(pkg.dependencies)) expect(lookup(name), name).toEqual([path.join(app, 'node_modules', name)]);
    for (const name of DEV_ONLY) {
      expect(name in pkg.devDependencies, name).toBe(true);
      expect(lookup(name), name).toEqual([]);
    }
  });

  it('node dist/main.js --help and node dist/simulator/cli.js --help exit 0 with their help', () => {
    const operator = runNode(['dist/main.js', '--help']);
    expect(operator.status, operator.stderr).toBe(0);
    expect(operator.stdout).toMatch(/^Usage: elementrepl-operator \[flags\]/);
    expect(operator.stdout).toContain('--leader-elect');
    const sim = runNode(['dist/simulator/cli.js', '--help']);
    expect(sim.status, sim.stderr).toBe(0);
    expect(sim.stdout).toMatch(/^Usage: element-sim/);
  });

  it('the simulator serves and stops cleanly', async () => {
    const proc = start(['dist/simulator/cli.js', '--clusters', 'PROD']);
    const line = await waitFor(async () => proc.output().split('\n').find((l) => l.startsWith('{"adminUrl"')), (l) => l !== undefined, 'the JSON line');
    const { caFile, clusters } = JSON.parse(line as string) as { caFile: string; clusters: { mvip: string; username: string; password: string }[] };
    const client = new ElementClient({ ...clusters[0]!, tls: { caPem: readFileSync(caFile, 'utf8') } });
    expect(await client.getClusterInfo()).toMatchObject({ name: 'PROD' });
    await client.close();
    expect(await proc.stop()).toBe(0);
  });

  it('the operator syncs its informers against the API server as a standby and stops cleanly on SIGTERM', async () => {
    const namespace = await createTestNamespace('dist');
    // Someone else holds the Lease for an hour: this process only reads, it never reconciles.
    const now = new Date().toISOString().replace(/Z$/, '000Z'); // MicroTime
    await admin().create(LEASES, { metadata: { name: 'elementrepl-operator-leader', namespace }, spec: { holderIdentity: 'dist-test-holder', leaseDurationSeconds: 3600, acquireTime: now, renewTime: now } });
    const proc = start(['dist/main.js', `--kubeconfig=${kubeconfigPath()}`, '--leader-elect', `--operator-namespace=${namespace}`, '--metrics-bind-address=0', '--health-probe-bind-address=127.0.0.1:0']);
    const listening = await waitFor(async () => proc.output().split('\n').find((l) => l.includes('"http server listening"')), (l) => l !== undefined, 'the probe server');
    const probes = `http://${(JSON.parse(listening as string) as { address: string }).address}`;
    await waitFor(() => fetch(`${probes}/readyz`).then((r) => r.status), (status) => status === 200, `/readyz 200; output: ${proc.output()}`);
    await waitFor(async () => proc.output(), (out) => out.includes('"leader":"dist-test-holder"'), 'the standby to see the holder');
    expect(await proc.stop()).toBe(0);
    expect(proc.output()).toContain('"msg":"stopped"');
    expect(proc.output()).not.toContain('"level":50');
  });
});

const LEASES: ResourceType = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true };
const admin = () => new KubeClient(loadKubeConfig({ kubeconfig: kubeconfigPath() }).kubeConfig);

/** A production-like start from the runtime dir; output captured; stop() sends SIGTERM and resolves with the exit code. */
function start(args: string[]) {
  const child = spawn(NODE_BINARY, args, { cwd: app, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  children.add(child);
  return {
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

