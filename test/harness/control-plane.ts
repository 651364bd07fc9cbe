// An envtest-style control plane for integration tests: a real etcd and kube-apiserver on free
// loopback ports, generated certificates, a kubeconfig, and the project's CRDs installed.
// See /work/shared/reference/envtest.md (the recipe) and test/control-plane/README.md (numbers).
import http from 'node:http';
import net from 'node:net';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApiClient, credentialsFromKubeconfig, type ApiClient } from './api-client.ts';
import { repoRoot, resolveBinaries, type Binaries } from './binaries.ts';
import { installCrdsFrom } from './crds.ts';
import { ADMIN, files, writePlaneCertificates, writeUserKubeconfig } from './credentials.ts';
import {
  cleanupOrphanRuns, killGroupNow, registerCleanup, spawnManaged, stopManaged, tailLog, writePidFile, type ManagedProcess,
} from '../../scripts/lib/process-group.ts';

export const RUN_DIR_PREFIX = 'elementrepl-cp-';

/**
 * Kills etcd/kube-apiserver left behind by a harness process that died without cleaning up (its
 * owner pid is gone) and removes their run dirs; those of live owners (other test runs) stay.
 */
export function cleanupOrphans(parents: string[]): string[] {
  return parents.flatMap((parent) => cleanupOrphanRuns(parent, RUN_DIR_PREFIX));
}

export interface ControlPlaneOptions {
  /** CRDs to install once ready; default `<repo>/crds`; null installs none. */
  crdDirectory?: string | null;
  /** Per start of etcd + kube-apiserver; default 60 s (envtest's 20 s is too short on 2 cores). */
  startTimeoutMs?: number;
  /** Grace period between SIGTERM and SIGKILL; default 15 s. */
  stopTimeoutMs?: number;
  binaries?: Binaries;
  /** Progress lines; default: stderr. */
  log?: (message: string) => void;
  /** Copy etcd/kube-apiserver output to stderr; default KUBEBUILDER_ATTACH_CONTROL_PLANE_OUTPUT=true. */
  attachOutput?: boolean;
}

export interface ControlPlane {
  readonly kubeconfigPath: string;
  readonly apiServerUrl: string;
  /** CA that signed the API server's certificate. */
  readonly caPem: string;
  readonly runDir: string;
  readonly binaries: Binaries;
  /** Admin (system:masters) client. */
  readonly client: ApiClient;
  pids(): { etcd: number | undefined; kubeApiServer: number | undefined };
  stop(): Promise<void>;
  /** Stops and starts kube-apiserver on the same port with the same certificates and etcd data. */
  restartApiServer(): Promise<void>;
  stopApiServer(): Promise<void>;
  startApiServer(): Promise<void>;
  /** Mints a client certificate (CN = name, O = groups); returns the path of a kubeconfig for it. */
  addUser(name: string, groups?: string[]): Promise<string>;
  installCrds(dir: string): Promise<string[]>;
}

const defaultLog = (message: string) => process.stderr.write(`[control-plane] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

class PortInUseError extends Error {}

function runDirParent(): string {
  try {
    accessSync('/dev/shm', constants.W_OK); // tmpfs: etcd's writes never touch a disk
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function etcdHealthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/health`, { agent: false, timeout: 2000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(res.statusCode === 200 && text.includes('"health":"true"')));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Polls `check` every 100 ms; fails early when `proc` exits (port race → PortInUseError). */
async function waitFor(proc: ManagedProcess, what: string, deadline: number, check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (proc.hasExited()) {
      const log = tailLog(proc);
      if (log.includes('address already in use')) throw new PortInUseError(`${proc.name}: address already in use`);
      throw new Error(`${proc.name} exited while waiting for ${what}; last log lines:\n${log}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last ${proc.name} log lines:\n${tailLog(proc)}`);
    await sleep(100);
  }
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? defaultLog;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const attachOutput = options.attachOutput ?? process.env['KUBEBUILDER_ATTACH_CONTROL_PLANE_OUTPUT'] === 'true';
  const began = Date.now();
  const binaries = options.binaries ?? (await resolveBinaries());

  const parent = runDirParent();
  for (const dir of cleanupOrphans([...new Set([parent, os.tmpdir()])])) log(`removed orphaned run dir ${dir}`);
  const runDir = mkdtempSync(path.join(parent, RUN_DIR_PREFIX));
  let etcd: ManagedProcess | undefined;
  let apiServer: ManagedProcess | undefined;
  let stopping: Promise<void> | undefined;

  const stopApiServer = async () => {
    if (apiServer) await stopManaged(apiServer, stopTimeoutMs);
  };
  const stop = () => {
    stopping ??= (async () => {
      await stopApiServer();
      if (etcd) await stopManaged(etcd, stopTimeoutMs);
      rmSync(runDir, { recursive: true, force: true });
      unregister(); // only now: until here the exit handler must still be able to kill and remove
      log(`stopped; removed ${runDir}`);
    })();
    return stopping;
  };
  const unregister = registerCleanup({
    stop,
    killNow() {
      killGroupNow(apiServer);
      killGroupNow(etcd);
      rmSync(runDir, { recursive: true, force: true });
    },
  });
  const recordPids = () => writePidFile(runDir, [etcd, apiServer].filter((p): p is ManagedProcess => p !== undefined));

  try {
    log(`run dir ${runDir}`);
    const caPem = await writePlaneCertificates(runDir);
    const certFile = (name: string) => path.join(runDir, name);
    let apiPort = 0;
    let etcdUrl = '';
    let kubeconfigPath = '';
    let client: ApiClient | undefined;

    const apiServerArgs = () => [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${runDir}`,
      `--tls-cert-file=${certFile(files.serverCert)}`,
      `--tls-private-key-file=${certFile(files.serverKey)}`,
      `--client-ca-file=${certFile(files.clientCa)}`,
      `--service-account-issuer=https://127.0.0.1:${apiPort}/`,
      `--service-account-key-file=${certFile(files.serviceAccountPublic)}`,
      `--service-account-signing-key-file=${certFile(files.serviceAccountPrivate)}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      '--allow-privileged=true',
      '--disable-admission-plugins=ServiceAccount', // no SA controller runs: no default SA would appear
      '--endpoint-reconciler-type=none', // no "kubernetes" Service endpoint pointing at loopback
    ];

    const launchApiServer = async (admin: ApiClient, deadline: number) => {
      const since = Date.now();
      apiServer = spawnManaged({ name: 'kube-apiserver', command: binaries.kubeApiServer, args: apiServerArgs(), runDir, attachOutput });
      recordPids();
      await waitFor(apiServer, 'kube-apiserver /readyz', deadline, async () => (await admin.request('GET', '/readyz', undefined, 5000)).status === 200);
      // The default namespace is created by a post-start hook shortly after readiness.
      await waitFor(apiServer, 'namespace default', deadline, async () => (await admin.request('GET', '/api/v1/namespaces/default', undefined, 5000)).status === 200);
      log(`kube-apiserver ready on https://127.0.0.1:${apiPort} after ${seconds(since)}`);
    };

    for (let attempt = 1; ; attempt++) {
      const deadline = Date.now() + startTimeoutMs;
      const [clientPort, peerPort, port] = (await freePorts(3)) as [number, number, number];
      apiPort = port;
      etcdUrl = `http://127.0.0.1:${clientPort}`;
      const peerUrl = `http://127.0.0.1:${peerPort}`;
      kubeconfigPath = await writeUserKubeconfig({
        runDir, server: `https://127.0.0.1:${apiPort}`, ...ADMIN, fileName: files.adminKubeconfig,
      });
      client = createApiClient(credentialsFromKubeconfig(kubeconfigPath));
      try {
        const since = Date.now();
        etcd = spawnManaged({
          name: 'etcd',
          command: binaries.etcd,
          args: [
            `--data-dir=${path.join(runDir, 'etcd')}`,
            `--listen-client-urls=${etcdUrl}`,
            `--advertise-client-urls=${etcdUrl}`,
            `--listen-peer-urls=${peerUrl}`,
            `--initial-advertise-peer-urls=${peerUrl}`,
            `--initial-cluster=default=${peerUrl}`,
            '--unsafe-no-fsync=true',
          ],
          runDir,
          attachOutput,
        });
        recordPids();
        const etcdProc = etcd;
        await waitFor(etcdProc, 'etcd /health', deadline, () => etcdHealthy(etcdUrl));
        log(`etcd ready on ${etcdUrl} after ${seconds(since)}`);
        await launchApiServer(client, deadline);
        break;
      } catch (error) {
        await stopApiServer();
        if (etcd) await stopManaged(etcd, stopTimeoutMs);
        if (!(error instanceof PortInUseError) || attempt >= 5) throw error;
        log(`${error.message}; retrying with other ports (attempt ${attempt + 1})`);
        rmSync(path.join(runDir, 'etcd'), { recursive: true, force: true });
        apiServer = etcd = undefined;
      }
    }

    const admin = client;
    const startApiServer = async () => {
      if (apiServer && !apiServer.hasExited()) return;
      // Same port: another process may grab it meanwhile; retry a few times before giving up.
      for (let attempt = 1; ; attempt++) {
        try {
          await launchApiServer(admin, Date.now() + startTimeoutMs);
          return;
        } catch (error) {
          await stopApiServer();
          if (!(error instanceof PortInUseError) || attempt >= 10) throw error;
          await sleep(500);
        }
      }
    };
    const installCrds = async (dir: string) => {
      const since = Date.now();
      const names = await installCrdsFrom(admin, dir);
      log(names.length > 0 ? `installed ${names.length} CRDs from ${dir} after ${seconds(since)}: ${names.join(', ')}` : `no CRDs in ${dir}`);
      return names;
    };

    const crdDirectory = options.crdDirectory === undefined ? path.join(repoRoot, 'crds') : options.crdDirectory;
    if (crdDirectory !== null) await installCrds(crdDirectory);
    log(`ready after ${seconds(began)}; kubeconfig ${kubeconfigPath}`);

    return {
      kubeconfigPath,
      apiServerUrl: `https://127.0.0.1:${apiPort}`,
      caPem,
      runDir,
      binaries,
      client: admin,
      pids: () => ({ etcd: etcd?.pid, kubeApiServer: apiServer && !apiServer.hasExited() ? apiServer.pid : undefined }),
      stop,
      stopApiServer,
      startApiServer,
      async restartApiServer() {
        await stopApiServer();
        await startApiServer();
      },
      addUser: (name, groups = []) => writeUserKubeconfig({ runDir, server: `https://127.0.0.1:${apiPort}`, name, groups }),
      installCrds,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
