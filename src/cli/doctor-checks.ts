// The verdicts of `doctor` (pure): each check's result from what was read, with the fix for a
// failure. `warn` is a check that could not be made (missing permission), never a failure.
import { mvipAllowedBy } from '../api/mvip.ts';
import { ALLOWED_MVIPS_ANNOTATION } from '../api/annotations.ts';
import { stableJson } from './stable-json.ts';

export type Verdict = 'ok' | 'fail' | 'warn';

export interface CheckResult {
  check: string;
  verdict: Verdict;
  detail: string;
  fix?: string;
}

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: unknown };
}

interface Crd {
  metadata: { name: string };
  spec?: { versions?: CrdVersion[] };
  status?: { conditions?: { type?: string; status?: string }[] };
}

/** One CRD: installed, Established, and with the versions and schemas of the packaged file. */
export function crdCheck(name: string, packaged: Crd, live: Crd | null): CheckResult {
  const check = `CRD ${name}`;
  const fix = 'kubectl apply --server-side -k crds/ (from this package)';
  if (live === null) return { check, verdict: 'fail', detail: 'not installed', fix };
  const established = live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
  if (!established) return { check, verdict: 'fail', detail: 'installed but not Established', fix: 'kubectl describe crd ' + name };
  const shape = (crd: Crd) => stableJson((crd.spec?.versions ?? []).map((v) => ({ name: v.name, served: v.served, storage: v.storage, schema: v.schema?.openAPIV3Schema })));
  if (shape(packaged) !== shape(live)) return { check, verdict: 'fail', detail: 'differs from the CRD in this package (an older or newer operator version?)', fix };
  return { check, verdict: 'ok', detail: 'installed, Established, current' };
}

export interface LeaseView {
  holderIdentity?: string | undefined;
  renewTime?: string | undefined;
  leaseDurationSeconds?: number | undefined;
}

export function leaderCheck(namespace: string, leaseName: string, lease: LeaseView | null, now: Date): CheckResult {
  const check = 'operator leader';
  const fix = `start the operator (kubectl -n ${namespace} get deploy,pods; it runs with --leader-elect in ${namespace})`;
  if (lease === null) return { check, verdict: 'fail', detail: `no Lease ${namespace}/${leaseName}: no operator has run with leader election in ${namespace}`, fix };
  if (!lease.holderIdentity) return { check, verdict: 'fail', detail: `Lease ${namespace}/${leaseName} has no holder (the last leader released it)`, fix };
  const renewed = lease.renewTime === undefined ? Number.NaN : Date.parse(lease.renewTime);
  const expires = renewed + (lease.leaseDurationSeconds ?? 15) * 1000;
  if (!(expires >= now.getTime())) {
    const ago = Number.isNaN(renewed) ? 'never renewed' : `last renewed ${Math.round((now.getTime() - renewed) / 1000)}s ago`;
    return { check, verdict: 'fail', detail: `Lease ${namespace}/${leaseName} of ${lease.holderIdentity} expired (${ago})`, fix };
  }
  return { check, verdict: 'ok', detail: `${lease.holderIdentity} leads (Lease ${namespace}/${leaseName})` };
}

export interface ElementClusterView {
  name: string;
  mvip: string;
  ready?: { status?: string; reason?: string; message?: string } | undefined;
}

export function elementClusterCheck(ec: ElementClusterView): CheckResult {
  const check = `ElementCluster ${ec.name}`;
  if (ec.ready?.status === 'True') return { check, verdict: 'ok', detail: `Ready, MVIP ${ec.mvip} reachable` };
  const reason = ec.ready?.reason ?? 'NotObservedYet';
  return {
    check, verdict: 'fail',
    detail: `not Ready (${reason}${ec.ready?.message ? `: ${ec.ready.message}` : ''})`,
    fix: `see docs/troubleshooting.md#${reason.toLowerCase()}; kubectl describe elementcluster ${ec.name}`,
  };
}

export function annotationCheck(cluster: string, mvip: string, secret: string, annotations: Readonly<Record<string, string>> | undefined): CheckResult {
  const check = `credentials ${secret} for ${cluster}`;
  if (mvipAllowedBy(annotations?.[ALLOWED_MVIPS_ANNOTATION], mvip)) return { check, verdict: 'ok', detail: `allows MVIP ${mvip}` };
  const [namespace, name] = secret.split('/');
  return {
    check, verdict: 'fail',
    detail: `does not list MVIP ${mvip} in ${ALLOWED_MVIPS_ANNOTATION}: the operator will not send these credentials`,
    fix: `kubectl -n ${namespace} annotate secret ${name} --overwrite ${ALLOWED_MVIPS_ANNOTATION}=${mvip}`,
  };
}

export function failed(results: readonly CheckResult[]): boolean {
  return results.some((r) => r.verdict === 'fail');
}
