// `switchover` (Planned) and `failover` (Forced): set spec.primarySide (and spec.failover) on the
// named VolumePairs or every VolumePair of a ClusterPair, refuse where Argo CD or Flux would revert
// the patch (printing the change to commit), then with --wait follow them until each is on the new
// side or stops with a reason. The decisions are in dr-targets.ts, gitops.ts and dr-progress.ts.
import type { KubeClient } from '../kube/client.ts';
import { isForbidden } from '../kube/errors.ts';
import { CLUSTER_PAIRS, VOLUME_PAIRS } from '../reconcilers/shell/resources.ts';
import type { FlagSpec } from './args.ts';
import { outputFormat, stringFlag } from './args.ts';
import type { CliContext } from './context.ts';
import { CliError } from './context.ts';
import { allDone, isFinished, progressBar, progressLines, progressOf, resultSummary, resultTable } from './dr-progress.ts';
import type { PairProgress, ResultRow } from './dr-progress.ts';
import { DEFAULT_WAIT_TIMEOUT, directionPatch, drRequest, pairKey, pairsOfClusterPair, splitTargets } from './dr-targets.ts';
import type { DrRequest, DrVolumePair, FailoverKind } from './dr-targets.ts';
import { commitSnippet, gitOpsOwner } from './gitops.ts';
import { renderData } from './output.ts';

export const DR_FLAGS: readonly FlagSpec[] = [
  { name: 'cluster-pair', kind: 'string', help: 'Every VolumePair of this ClusterPair (all namespaces, or -n).' },
  { name: 'to', kind: 'string', choices: ['A', 'B'], help: 'The side that becomes the primary: A or B (required).' },
  { name: 'wait', kind: 'boolean', help: 'Follow the pairs until each is Active on the new side or stops with a reason.' },
  { name: 'timeout', kind: 'string', help: `With --wait: give up after this long (default ${DEFAULT_WAIT_TIMEOUT}).` },
  { name: 'force', kind: 'boolean', help: 'Patch VolumePairs that Argo CD or Flux manage (their self-heal may revert it).' },
];

const POLL_INTERVAL_MS = 2_000;

async function readTargets(kube: KubeClient, request: DrRequest, selector: string | undefined): Promise<DrVolumePair[]> {
  if (request.clusterPair !== undefined) {
    if ((await kube.get(CLUSTER_PAIRS, request.clusterPair)) === null) throw new CliError(`clusterpair ${request.clusterPair} not found`);
    const { items } = await kube.listAll<DrVolumePair & { metadata: { name: string } }>(VOLUME_PAIRS, { namespace: request.namespace, labelSelector: selector });
    const pairs = pairsOfClusterPair(items, request.clusterPair);
    if (pairs.length === 0) throw new CliError(`clusterpair ${request.clusterPair} has no VolumePairs${request.namespace ? ` in namespace ${request.namespace}` : ''}${selector ? ` matching ${selector}` : ''}`);
    return pairs;
  }
  return Promise.all(request.names.map(async (name) => {
    const vp = await kube.get<DrVolumePair & { metadata: { name: string } }>(VOLUME_PAIRS, name, request.namespace);
    if (vp === null) throw new CliError(`volumepair ${request.namespace ?? ''}/${name} not found`);
    return vp;
  }));
}

async function readAgain(kube: KubeClient, keys: readonly string[], signal: AbortSignal): Promise<Map<string, DrVolumePair | null>> {
  // One list per namespace instead of a get per pair: a whole site is hundreds of pairs.
  const namespaces = [...new Set(keys.map((k) => k.slice(0, k.indexOf('/'))))];
  const found = new Map<string, DrVolumePair>();
  for (const namespace of namespaces) {
    const { items } = await kube.listAll<DrVolumePair & { metadata: { name: string } }>(VOLUME_PAIRS, { namespace, signal });
    for (const vp of items) found.set(pairKey(vp), vp);
  }
  return new Map(keys.map((k) => [k, found.get(k) ?? null]));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Polls until every pair is done or stopped, the deadline passes or Ctrl-C; the last progress. */
async function follow(context: CliContext, request: DrRequest, keys: string[], generations: Map<string, number>, show: boolean): Promise<{ progress: PairProgress[]; timedOut: boolean }> {
  const kube = context.kube();
  const tty = context.stdout.isTTY === true;
  const deadline = Date.now() + request.timeoutMs;
  let previous: PairProgress[] = [];
  for (;;) {
    const progress = progressOf(await readAgain(kube, keys, context.signal), request.to, generations);
    if (show) {
      if (tty) context.stdout.write(`\r${progressBar(progress, request.to)}\x1b[K`);
      else for (const line of progressLines(previous, progress)) context.stdout.write(`${line}\n`);
    }
    previous = progress;
    const finished = isFinished(progress);
    if (finished || Date.now() >= deadline || context.signal.aborted) {
      if (show && tty) context.stdout.write('\n');
      return { progress, timedOut: !finished && !context.signal.aborted };
    }
    await sleep(POLL_INTERVAL_MS, context.signal);
  }
}

export function drCommand(failover: FailoverKind): (context: CliContext) => Promise<number> {
  return async (context) => {
    const request = drRequest(context.flags, context.positionals, () => context.namespace());
    const format = outputFormat(context.flags);
    const table = format === 'table';
    const kube = context.kube();
    const targets = await readTargets(kube, request, stringFlag(context.flags, 'selector'));
    const { patch, already } = splitTargets(targets, request.to);
    for (const vp of already) if (table) context.stdout.write(`${pairKey(vp)}: already on ${request.to}, not patched\n`);

    const owned = patch.flatMap((vp) => {
      const owner = gitOpsOwner(vp.metadata);
      return owner === undefined ? [] : [{ vp, owner }];
    });
    if (owned.length > 0 && !request.force) {
      context.stdout.write(`# ${owned.length} VolumePair(s) are applied by GitOps; commit this change instead:\n${commitSnippet(owned.map((o) => o.vp), request.to, failover)}`);
      const first = owned[0] as (typeof owned)[number];
      context.stderr.write(
        `error: refusing to patch: ${pairKey(first.vp)} is managed by ${first.owner.tool} (${first.owner.evidence})${owned.length > 1 ? ` and ${owned.length - 1} more` : ''}; self-heal would revert it. Commit the change printed above, or pass --force; nothing was patched\n`,
      );
      return 1;
    }
    for (const { vp, owner } of owned) context.stderr.write(`warning: ${pairKey(vp)} is managed by ${owner.tool} (${owner.evidence}): commit the change too, or self-heal reverts it\n`);

    const generations = new Map<string, number>();
    for (const vp of patch) {
      try {
        const patched = await kube.mergePatch<DrVolumePair & { metadata: { name: string } }>(VOLUME_PAIRS, vp.metadata.name, directionPatch(request.to, failover), { namespace: vp.metadata.namespace });
        if (patched.metadata.generation !== undefined) generations.set(pairKey(vp), patched.metadata.generation);
      } catch (error) {
        if (isForbidden(error)) throw new CliError(`you may not patch volumepair ${pairKey(vp)} (${generations.size} of ${patch.length} patched): ${error instanceof Error ? error.message : ''}`);
        throw error;
      }
      if (table) context.stdout.write(`${pairKey(vp)}: spec.primarySide=${request.to} failover=${failover}\n`);
    }

    const alreadyKeys = new Set(already.map(pairKey));
    if (!request.wait) {
      if (table) context.stdout.write(`${patch.length} patched, ${already.length} already on ${request.to}. Follow with: kubectl elementrepl status${request.namespace ? ` -n ${request.namespace}` : ' -A'}\n`);
      else context.stdout.write(renderData(format, { to: request.to, failover, patched: patch.map(pairKey), already: [...alreadyKeys] }));
      return 0;
    }
    const keys = targets.map(pairKey);
    const { progress, timedOut } = await follow(context, request, keys, generations, table);
    const rows: ResultRow[] = progress.map((p) => (alreadyKeys.has(p.key) ? { ...p, already: true } : p));
    const ok = allDone(progress);
    if (!table) {
      context.stdout.write(renderData(format, { to: request.to, failover, done: ok, timedOut, items: rows }));
      return ok ? 0 : 1;
    }
    context.stdout.write(`${resultTable(rows)}${resultSummary(rows, request.to)}\n`);
    if (timedOut) context.stderr.write(`error: timed out after ${stringFlag(context.flags, 'timeout') ?? DEFAULT_WAIT_TIMEOUT}; the operator goes on (see kubectl elementrepl status)\n`);
    else if (context.signal.aborted) context.stderr.write('error: interrupted; the operator goes on (see kubectl elementrepl status)\n');
    else if (!ok) context.stderr.write(`error: ${rows.filter((r) => r.phase === 'stopped').length} VolumePair(s) stopped; see REASON and MESSAGE above\n`);
    return ok ? 0 : 1;
  };
}
