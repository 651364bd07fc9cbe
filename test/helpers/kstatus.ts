// The real kstatus library (sigs.k8s.io/cli-utils, what Flux's health checks run) over live
// objects: test/kstatus/build.sh builds a small Go helper once (cached by version outside the
// repository; KSTATUS_COMPUTE names a prebuilt one), and each call feeds it objects as read from
// the API server. Tests compare its verdict with what our conditions mean (src/api/kstatus.ts).
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '../../src/controller/object.ts';
import type { KubeClient, ResourceType } from '../../src/kube/client.ts';
import { REPO_ROOT } from './operator-process.ts';

/** kstatus' statuses (status.Status in cli-utils). */
export type KstatusStatus = 'InProgress' | 'Failed' | 'Current' | 'Terminating' | 'NotFound' | 'Unknown';

export interface KstatusResult {
  status: KstatusStatus;
  message: string;
}

const BUILD_SCRIPT = path.join(REPO_ROOT, 'test', 'kstatus', 'build.sh');
let binary: Promise<string> | undefined;

/** Path of the helper; builds it on first use (minutes when cold, instant from the cache). */
export function kstatusBinary(): Promise<string> {
  binary ??= promisify(execFile)('bash', [BUILD_SCRIPT], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 }).then(({ stdout }) => {
    const built = stdout.trim().split('\n').pop() ?? '';
    if (!built) throw new Error(`${BUILD_SCRIPT} printed no binary path`);
    return built;
  });
  return binary;
}

/** kstatus' Compute for each object, in order. */
export async function computeKstatus(objects: readonly object[]): Promise<KstatusResult[]> {
  const bin = await kstatusBinary();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`kstatus-compute exited ${code}: ${stderr}`));
      const results = JSON.parse(stdout) as KstatusResult[];
      if (results.length !== objects.length) return reject(new Error(`kstatus-compute: ${results.length} results for ${objects.length} objects`));
      resolve(results);
    });
    child.stdin.end(JSON.stringify(objects));
  });
}

/** One live object read from the API server and the library's verdict on exactly that object. */
export interface KstatusSnapshot<T> {
  object: T;
  kstatus: KstatusResult;
}

/** Reads the object and computes its kstatus; null when it does not exist. */
export async function liveKstatus<T extends KubeObject>(kube: KubeClient, resource: ResourceType, name: string, namespace?: string): Promise<KstatusSnapshot<T> | null> {
  const object = await kube.get<T>(resource, name, namespace);
  if (!object) return null;
  const [kstatus] = await computeKstatus([object]);
  return { object, kstatus: kstatus! };
}
