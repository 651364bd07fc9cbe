// The method registry and GetAPI, which lists the methods of the requested endpoint version
// (element-api.md §1.7, F1).
import { compareVersions, supportedVersions } from './identity.ts';
import type { CallContext, MethodSpec, MethodTable } from './method-types.ts';
import { accountMethods } from './methods-accounts.ts';
import { clusterInfoMethods } from './methods-cluster-info.ts';
import { clusterPairMethods } from './methods-cluster-pairs.ts';
import { statsMethods } from './methods-stats.ts';
import { volumeMethods } from './methods-volumes.ts';
import { volumePairMethods } from './methods-volume-pairs.ts';

function methodsAt(version: string): string[] {
  return Object.entries(METHODS)
    .filter(([, spec]) => compareVersions(spec.since, version) <= 0)
    .map(([name]) => name)
    .sort();
}

function getAPI({ cluster, endpointVersion }: CallContext): Record<string, unknown> {
  return {
    [endpointVersion]: methodsAt(endpointVersion),
    currentVersion: cluster.apiVersion,
    supportedVersions: supportedVersions(cluster.apiVersion),
  };
}

export const METHODS: MethodTable = {
  GetAPI: { since: '1.0', mutating: false, handler: getAPI },
  ...clusterInfoMethods,
  ...accountMethods,
  ...volumeMethods,
  ...clusterPairMethods,
  ...volumePairMethods,
  ...statsMethods,
};

/** The method as offered at `endpointVersion`, or undefined (→ xUnknownAPIMethod). */
export function lookupMethod(name: string, endpointVersion: string, enforceVersions: boolean): MethodSpec | undefined {
  if (!Object.hasOwn(METHODS, name)) return undefined;
  const spec = METHODS[name];
  if (!spec) return undefined;
  if (enforceVersions && compareVersions(spec.since, endpointVersion) > 0) return undefined;
  return spec;
}
