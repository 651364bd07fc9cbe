// `doctor`: is the install healthy? CRDs installed and current (against crds/ of this package),
// an operator leading (its Lease), ElementClusters Ready, the operator allowed to read the Secrets
// its ElementClusters reference (a SubjectAccessReview for its identity), and credentials Secrets
// annotated for their MVIPs. Each failure comes with its fix; exit 1 when any check fails.
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import type { ElementCluster } from '../api/index.ts';
import type { KubeClient, ResourceType } from '../kube/client.ts';
import { isForbidden } from '../kube/errors.ts';
import { OPERATOR_LEASE_NAME } from '../kube/lease.ts';
import { getSecret } from '../kube/secrets.ts';
import { referencedSecrets } from '../reconcilers/element-cluster/access.ts';
import { ELEMENT_CLUSTERS } from '../reconcilers/shell/resources.ts';
import { UsageError, outputFormat, stringFlag } from './args.ts';
import type { FlagSpec } from './args.ts';
import type { CliContext } from './context.ts';
import { annotationCheck, crdCheck, elementClusterCheck, failed, leaderCheck } from './doctor-checks.ts';
import type { CheckResult, LeaseView } from './doctor-checks.ts';
import { renderData, renderTable } from './output.ts';

export const DOCTOR_FLAGS: readonly FlagSpec[] = [
  { name: 'operator-service-account', kind: 'string', help: 'ServiceAccount the operator runs as, in the operator namespace (default elementrepl-operator).' },
  { name: 'operator-user', kind: 'string', help: 'Check this user instead of the ServiceAccount (an operator run outside the cluster).' },
];

const CRDS: ResourceType = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false };
const LEASES: ResourceType = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true };
const SARS: ResourceType = { group: 'authorization.k8s.io', version: 'v1', plural: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false };
const CRD_DIR = new URL('../../crds/', import.meta.url);

type PackagedCrd = Parameters<typeof crdCheck>[1];

function packagedCrds(): PackagedCrd[] {
  return readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').map((f) => parse(readFileSync(new URL(f, CRD_DIR), 'utf8')) as PackagedCrd);
}

async function crdChecks(kube: KubeClient): Promise<CheckResult[]> {
  return Promise.all(packagedCrds().map(async (crd) => {
    try {
      return crdCheck(crd.metadata.name, crd, await kube.get(CRDS, crd.metadata.name));
    } catch (error) {
      if (isForbidden(error)) return { check: `CRD ${crd.metadata.name}`, verdict: 'warn' as const, detail: 'you may not read CustomResourceDefinitions: not checked' };
      throw error;
    }
  }));
}

async function leaseCheck(kube: KubeClient, namespace: string): Promise<CheckResult> {
  try {
    const lease = await kube.get<{ metadata: { name: string }; spec?: LeaseView }>(LEASES, OPERATOR_LEASE_NAME, namespace);
    return leaderCheck(namespace, OPERATOR_LEASE_NAME, lease === null ? null : (lease.spec ?? {}), new Date());
  } catch (error) {
    if (isForbidden(error)) return { check: 'operator leader', verdict: 'warn', detail: `you may not read Leases in ${namespace}: not checked` };
    throw error;
  }
}

interface Subject {
  user: string;
  groups: string[];
  label: string;
}

async function mayRead(kube: KubeClient, subject: Subject, namespace: string, name: string): Promise<CheckResult> {
  const check = `operator may read Secret ${namespace}/${name}`;
  try {
    const review = await kube.review<{ status?: { allowed?: boolean } }>(SARS, {
      user: subject.user, groups: subject.groups, resourceAttributes: { verb: 'get', resource: 'secrets', namespace, name },
    });
    if (review.status?.allowed === true) return { check, verdict: 'ok', detail: `${subject.label} may get it` };
    return {
      check, verdict: 'fail', detail: `${subject.label} may not get it`,
      fix: `grant ${subject.label} get on secrets in ${namespace} (a Role and RoleBinding, see docs/security.md), or move the Secret to the operator namespace`,
    };
  } catch (error) {
    if (isForbidden(error)) return { check, verdict: 'warn', detail: 'you may not create SubjectAccessReviews: cannot check what the operator may read' };
    throw error;
  }
}

async function secretChecks(kube: KubeClient, clusters: readonly ElementCluster[], operatorNamespace: string, subject: Subject): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const seen = new Set<string>();
  for (const ec of clusters) {
    for (const ref of referencedSecrets(ec, operatorNamespace)) {
      const key = `${ref.namespace}/${ref.name}`;
      if (!seen.has(key)) {
        seen.add(key);
        results.push(await mayRead(kube, subject, ref.namespace, ref.name));
      }
    }
    const [credentials] = referencedSecrets(ec, operatorNamespace);
    if (credentials === undefined) continue;
    const where = `${credentials.namespace}/${credentials.name}`;
    try {
      const secret = await getSecret(kube, credentials.namespace, credentials.name);
      results.push(secret === null
        ? { check: `credentials ${where} for ${ec.metadata.name}`, verdict: 'fail', detail: 'not found', fix: `create Secret ${where} with keys username and password (deploy/samples/)` }
        : annotationCheck(ec.metadata.name, ec.spec.mvip, where, secret.metadata.annotations));
    } catch (error) {
      if (!isForbidden(error)) throw error;
      results.push({ check: `credentials ${where} for ${ec.metadata.name}`, verdict: 'warn', detail: 'you may not read it: annotation not checked' });
    }
  }
  return results;
}

export async function runDoctor(context: CliContext): Promise<number> {
  if (context.positionals.length > 0) throw new UsageError(`doctor takes no arguments, got "${context.positionals[0] ?? ''}"`);
  const kube = context.kube();
  const namespace = context.operatorNamespace();
  const user = stringFlag(context.flags, 'operator-user');
  const account = stringFlag(context.flags, 'operator-service-account') ?? 'elementrepl-operator';
  const subject: Subject = user !== undefined
    ? { user, groups: [], label: `user ${user}` }
    : { user: `system:serviceaccount:${namespace}:${account}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`], label: `ServiceAccount ${namespace}/${account}` };

  const results: CheckResult[] = [...(await crdChecks(kube)), await leaseCheck(kube, namespace)];
  let clusters: ElementCluster[] = [];
  try {
    clusters = (await kube.listAll<ElementCluster>(ELEMENT_CLUSTERS, { labelSelector: stringFlag(context.flags, 'selector') })).items;
    if (clusters.length === 0) results.push({ check: 'ElementClusters', verdict: 'warn', detail: 'none found' });
  } catch (error) {
    if (!isForbidden(error)) throw error;
    results.push({ check: 'ElementClusters', verdict: 'warn', detail: 'you may not list ElementClusters: not checked' });
  }
  for (const ec of clusters) {
    results.push(elementClusterCheck({ name: ec.metadata.name, mvip: ec.spec.mvip, ready: ec.status?.conditions?.find((c) => c.type === 'Ready') }));
  }
  results.push(...(await secretChecks(kube, clusters, namespace, subject)));

  const format = outputFormat(context.flags);
  const bad = failed(results);
  if (format !== 'table') {
    context.stdout.write(renderData(format, { healthy: !bad, checks: results }));
  } else {
    const table = renderTable([
      { header: 'CHECK', value: (r: CheckResult) => r.check },
      { header: 'RESULT', value: (r: CheckResult) => ({ ok: 'OK', fail: 'FAIL', warn: 'NOT CHECKED' })[r.verdict] },
      { header: 'DETAIL', value: (r: CheckResult) => r.detail },
    ], results);
    const fixes = results.filter((r) => r.verdict === 'fail' && r.fix).map((r) => `  ${r.check}: ${r.fix ?? ''}`);
    context.stdout.write(`${table}${fixes.length > 0 ? `\nFixes:\n${fixes.join('\n')}\n` : ''}\n${bad ? 'Some checks failed.' : 'All checks passed.'}\n`);
  }
  return bad ? 1 : 0;
}
