// Installs CustomResourceDefinitions from a directory of YAML files (create, or update on
// conflict) and waits until each is Established and its resources are served by discovery:
// Established alone can precede discovery by a moment, and clients fail in between.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ApiClient, ApiResponse } from './api-client.ts';

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string; resourceVersion?: string };
  spec: { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] };
}

interface CrdStatus {
  status?: { conditions?: { type: string; status: string }[] };
}

export function readCrds(dir: string): Crd[] {
  if (!existsSync(dir)) return [];
  const crds: Crd[] = [];
  const yamlFiles = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !/^kustomization\.ya?ml$/.test(f))
    .sort();
  for (const file of yamlFiles) {
    for (const doc of parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as Partial<Crd> | null;
      if (value?.kind === 'CustomResourceDefinition') crds.push(value as Crd);
    }
  }
  return crds;
}

function fail(what: string, response: ApiResponse): never {
  throw new Error(`${what}: HTTP ${response.status} ${response.text.slice(0, 500)}`);
}

async function createOrUpdate(client: ApiClient, crd: Crd): Promise<void> {
  const created = await client.request('POST', CRD_PATH, crd);
  if (created.status === 201) return;
  if (created.status !== 409) fail(`create CRD ${crd.metadata.name}`, created);
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await client.request('GET', `${CRD_PATH}/${crd.metadata.name}`);
    if (current.status !== 200) fail(`get CRD ${crd.metadata.name}`, current);
    const resourceVersion = (current.body as Crd).metadata.resourceVersion;
    const updated = await client.request('PUT', `${CRD_PATH}/${crd.metadata.name}`, {
      ...crd,
      metadata: { ...crd.metadata, resourceVersion },
    });
    if (updated.status === 200) return;
    if (updated.status !== 409) fail(`update CRD ${crd.metadata.name}`, updated);
  }
  throw new Error(`update CRD ${crd.metadata.name}: still conflicting after 5 attempts`);
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitReady(client: ApiClient, crd: Crd, timeoutMs: number): Promise<void> {
  const name = crd.metadata.name;
  await until(`CRD ${name} to be Established`, timeoutMs, async () => {
    const response = await client.request('GET', `${CRD_PATH}/${name}`);
    const conditions = (response.body as CrdStatus | undefined)?.status?.conditions ?? [];
    const isTrue = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
    return response.status === 200 && isTrue('Established') && isTrue('NamesAccepted');
  });
  for (const version of crd.spec.versions.filter((v) => v.served)) {
    const groupVersion = `${crd.spec.group}/${version.name}`;
    await until(`${crd.spec.names.plural} in discovery of ${groupVersion}`, timeoutMs, async () => {
      const response = await client.request('GET', `/apis/${groupVersion}`);
      const resources = (response.body as { resources?: { name: string }[] } | undefined)?.resources ?? [];
      return response.status === 200 && resources.some((r) => r.name === crd.spec.names.plural);
    });
  }
}

/** Installs every CRD found in `dir` (a missing or empty dir installs nothing); returns their names. */
export async function installCrdsFrom(client: ApiClient, dir: string, timeoutMs = 30_000): Promise<string[]> {
  const crds = readCrds(dir);
  for (const crd of crds) await createOrUpdate(client, crd);
  await Promise.all(crds.map((crd) => waitReady(client, crd, timeoutMs)));
  return crds.map((crd) => crd.metadata.name);
}
