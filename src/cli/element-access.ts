// Read-only Element clients for `plan`, one per ElementCluster that exists in the cluster. The
// connection comes from the live ElementCluster and its Secrets, by the operator's own rules
// (element-cluster/access.ts: credentials only to an MVIP the Secret's allowed-mvips annotation
// lists, CA or pin from the spec); an MVIP written in the plan's files is never dialled. A cluster
// that answers with another identity than the ElementCluster recorded is not used either.
import type { ElementCluster } from '../api/index.ts';
import { ElementClient } from '../element/client.ts';
import type { KubeClient } from '../kube/client.ts';
import { readAccess } from '../reconcilers/element-cluster/access.ts';
import { describeFailure } from '../reconcilers/shell/failure.ts';
import { CliError } from './context.ts';
import { ReadOnlyElement } from './read-only-element.ts';
import type { ElementReads } from './read-only-element.ts';

export type ClusterAccess = { kind: 'ok'; client: ReadOnlyElement; mvip: string } | { kind: 'unavailable'; message: string };

export interface ElementAccessOptions {
  kube: KubeClient;
  operatorNamespace: string;
  /** Live ElementClusters by name. */
  elementClusters: ReadonlyMap<string, ElementCluster>;
  /** --credentials EC=NAMESPACE/NAME: read with this Secret (e.g. a read-only Element account) instead of the ElementCluster's own. */
  credentials?: ReadonlyMap<string, { namespace: string; name: string }>;
  /** Tests: another client factory. */
  connect?: (options: ConstructorParameters<typeof ElementClient>[0]) => ElementReads;
}

const TIMEOUTS = { connectMs: 5_000, headersMs: 15_000, bodyMs: 15_000 };

export class ElementAccess {
  readonly #options: ElementAccessOptions;
  readonly #resolved = new Map<string, Promise<ClusterAccess>>();

  constructor(options: ElementAccessOptions) {
    this.#options = options;
  }

  /** The access to one ElementCluster, resolved once. Throws CliError when the user may not read its Secrets. */
  get(name: string): Promise<ClusterAccess> {
    let access = this.#resolved.get(name);
    if (access === undefined) {
      access = this.#resolve(name);
      this.#resolved.set(name, access);
    }
    return access;
  }

  async #resolve(name: string): Promise<ClusterAccess> {
    const { kube, operatorNamespace, elementClusters } = this.#options;
    const live = elementClusters.get(name);
    const override = this.#options.credentials?.get(name);
    // The same rules apply to an override: the Secret must allow the live MVIP.
    const cluster = live === undefined || override === undefined ? live : { ...live, spec: { ...live.spec, credentialsSecretRef: override } };
    if (cluster === undefined) {
      return { kind: 'unavailable', message: `ElementCluster ${name} does not exist in the cluster (plan only connects to ElementClusters that exist, never to an MVIP from the files)` };
    }
    const access = await readAccess(kube, cluster, operatorNamespace);
    if (access.kind === 'problem') {
      if (access.problem.reason === 'SecretForbidden') {
        const secret = /Secret (\S+)/.exec(access.problem.message)?.[1] ?? 'its credentials Secret';
        throw new CliError(
          `you may not read Secret ${secret} (credentials of ElementCluster ${name}); plan reads Element with the credentials the operator uses: ` +
            'ask for get on that Secret, ideally one holding a read-only Element account',
        );
      }
      return { kind: 'unavailable', message: `ElementCluster ${name}: ${access.problem.reason}: ${access.problem.message}` };
    }
    const options = { ...access.options, timeouts: TIMEOUTS };
    const client = new ReadOnlyElement(this.#options.connect?.(options) ?? new ElementClient(options));
    const recorded = cluster.status?.clusterUniqueID;
    try {
      const info = await client.getClusterInfo();
      if (recorded !== undefined && info.uniqueID !== recorded) {
        await client.close();
        return { kind: 'unavailable', message: `ElementCluster ${name}: MVIP ${options.mvip} answers as cluster ${info.uniqueID}, not the recorded ${recorded}; not used` };
      }
    } catch (error) {
      await client.close().catch(() => undefined);
      return { kind: 'unavailable', message: `ElementCluster ${name}: cannot read MVIP ${options.mvip}: ${describeFailure(error)}` };
    }
    return { kind: 'ok', client, mvip: options.mvip };
  }

  async closeAll(): Promise<void> {
    const all = await Promise.all([...this.#resolved.values()].map((p) => p.catch(() => undefined)));
    await Promise.all(all.map((a) => (a?.kind === 'ok' ? a.client.close().catch(() => undefined) : undefined)));
  }
}
