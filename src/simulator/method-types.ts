// What a JSON-RPC method handler sees and returns. Handlers are synchronous: once the simulated
// latency has elapsed a call applies atomically, like one Element transaction.
import type { ClusterRecord } from './model.ts';
import type { ParamReader } from './params.ts';
import type { SimWorld } from './world.ts';

export interface CallContext {
  world: SimWorld;
  cluster: ClusterRecord;
  /** The version in the request path, "major.minor". */
  endpointVersion: string;
  params: ParamReader;
}

export interface MethodSpec {
  /** First API version that offers the method (SDK `since`). */
  since: string;
  /** Mutating calls mark the state for saving. */
  mutating: boolean;
  handler: (ctx: CallContext) => Record<string, unknown>;
}

export type MethodTable = Record<string, MethodSpec>;
