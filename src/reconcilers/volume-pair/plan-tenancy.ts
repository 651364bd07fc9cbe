// DESIGN §10: a ClusterPair is the admin's grant, a VolumePair a namespace's request under it.
// Which namespaces may use the pair, which Element accounts each may name, and what a VolumePair
// may do (adopt an existing pair, overwrite a used target). Enforced before any call.
import type { ClusterPairView, ObservedVolume, Side } from './plan-types.ts';

type Grant = Pick<ClusterPairView, 'allowedNamespaces' | 'namespaceAccounts'>;

/** allowedNamespaces: absent allows every namespace, an empty list none. */
export function namespaceAllowed(cp: Grant, namespace: string): boolean {
  return cp.allowedNamespaces === undefined || cp.allowedNamespaces.includes(namespace);
}

/** A namespace may use the pair: listed in allowedNamespaces and, when namespaceAccounts is set, there too. */
export function namespaceGranted(cp: Grant, namespace: string): boolean {
  return namespaceAllowed(cp, namespace) && (cp.namespaceAccounts === undefined || cp.namespaceAccounts.some((e) => e.namespace === namespace));
}

/** Why the namespace may not name these volumes (their accounts are not its own), or undefined. */
export function accountRefusal(cp: Grant, namespace: string, volumes: { A: ObservedVolume; B: ObservedVolume }): string | undefined {
  if (cp.namespaceAccounts === undefined) return undefined;
  const entry = cp.namespaceAccounts.find((e) => e.namespace === namespace);
  if (entry === undefined) return `the ClusterPair's namespaceAccounts do not list namespace ${namespace}: it may name no volume`;
  const refused = (['A', 'B'] as const satisfies readonly Side[]).flatMap((side) => {
    const accounts = side === 'A' ? entry.accountsA : entry.accountsB;
    const volume = volumes[side];
    return accounts.includes(volume.accountID) ? [] : [`volume ${volume.volumeID} (side ${side}) belongs to account ${volume.accountID}, not one of [${accounts.join(', ')}]`];
  });
  return refused.length === 0 ? undefined : `namespace ${namespace} may not use it: ${refused.join('; ')}`;
}

/** The namespace may name a volume of this account on this side (always, without namespaceAccounts). */
export function mayName(cp: Grant, namespace: string, side: Side, accountID: number): boolean {
  if (cp.namespaceAccounts === undefined) return true;
  const entry = cp.namespaceAccounts.find((e) => e.namespace === namespace);
  return entry !== undefined && (side === 'A' ? entry.accountsA : entry.accountsB).includes(accountID);
}

/** targetPolicy as it applies to a new pairing: Overwrite only where the ClusterPair allows it. */
export function effectiveTargetPolicy(requested: 'RequireUnused' | 'Overwrite', cp: Pick<ClusterPairView, 'volumePairPolicy'> | undefined): 'RequireUnused' | 'Overwrite' {
  return requested === 'Overwrite' && cp?.volumePairPolicy.allowOverwrite === true ? 'Overwrite' : 'RequireUnused';
}
