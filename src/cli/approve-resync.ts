// `approve-resync VOLUMEPAIR`: show what a resync overwrites, ask (or --yes), then write the
// approval annotation with the incident's token. Without a terminal to ask on and without --yes it
// refuses (exit 2): an unattended approval must be explicit.
import { createInterface } from 'node:readline/promises';
import { APPROVE_RESYNC_ANNOTATION } from '../api/index.ts';
import { isForbidden } from '../kube/errors.ts';
import { CLUSTER_PAIRS, VOLUME_PAIRS } from '../reconcilers/shell/resources.ts';
import type { FlagSpec } from './args.ts';
import { UsageError, booleanFlag } from './args.ts';
import type { CliContext } from './context.ts';
import { CliError } from './context.ts';
import type { DrVolumePair } from './dr-targets.ts';
import { clusterOfSide, resyncIncident, resyncSummary } from './resync-summary.ts';

export const APPROVE_RESYNC_FLAGS: readonly FlagSpec[] = [
  { name: 'yes', short: 'y', kind: 'boolean', help: 'Approve without asking (scripts).' },
];

async function confirm(context: CliContext, question: string): Promise<boolean> {
  const stdin = context.stdin as NodeJS.ReadableStream;
  const rl = createInterface({ input: stdin, output: process.stderr });
  try {
    const answer = await rl.question(question, { signal: context.signal });
    return /^(y|yes)$/i.test(answer.trim());
  } catch {
    return false;
  } finally {
    rl.close();
  }
}

export async function runApproveResync(context: CliContext): Promise<number> {
  if (context.positionals.length !== 1) throw new UsageError('approve-resync takes exactly one VolumePair name');
  if (booleanFlag(context.flags, 'all-namespaces')) throw new UsageError('approve-resync works on one VolumePair: use -n, not -A');
  const name = context.positionals[0] as string;
  const yes = booleanFlag(context.flags, 'yes');
  const kube = context.kube();
  const namespace = context.namespace();
  const vp = await kube.get<DrVolumePair & { metadata: { name: string } }>(VOLUME_PAIRS, name, namespace);
  if (vp === null) throw new CliError(`volumepair ${namespace}/${name} not found`);
  const incident = resyncIncident(vp);
  if (typeof incident === 'string') throw new CliError(incident);

  const clusterPairName = vp.spec?.clusterPairRef?.name;
  // The ElementCluster names only explain; a user who may not read ClusterPairs still approves.
  const clusterPair = clusterPairName === undefined ? null : await kube.get<{ metadata: { name: string }; spec?: Record<string, unknown> }>(CLUSTER_PAIRS, clusterPairName).catch(() => null);
  context.stdout.write(resyncSummary(vp, incident, { A: clusterOfSide(clusterPair, 'A'), B: clusterOfSide(clusterPair, 'B') }));
  if (incident.alreadyApproved) {
    context.stdout.write('Already approved; the operator resyncs it at its next poll.\n');
    return 0;
  }
  if (!yes) {
    if (context.stdin?.isTTY !== true) throw new UsageError('refusing to approve without confirmation: no terminal to ask on; pass --yes to approve from a script');
    if (!(await confirm(context, `Overwrite volume ${incident.volumeID} on side ${incident.side}? [y/N] `))) {
      context.stderr.write('error: not approved; nothing written\n');
      return 1;
    }
  }
  try {
    // Replaces any earlier value: an approval of an older incident approves nothing anyway.
    await kube.mergePatch(VOLUME_PAIRS, name, { metadata: { annotations: { [APPROVE_RESYNC_ANNOTATION]: incident.approval } } }, { namespace });
  } catch (error) {
    if (isForbidden(error)) throw new CliError(`you may not patch volumepair ${namespace}/${name}: ${error instanceof Error ? error.message : ''}`);
    throw error;
  }
  context.stdout.write(`Approved: ${APPROVE_RESYNC_ANNOTATION}="${incident.approval}" written. The operator demotes volume ${incident.volumeID} at its next poll (Event Resynced); remove the annotation afterwards (and keep it out of Git).\n`);
  return 0;
}
