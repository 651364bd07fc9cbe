// One JSON-RPC call against one cluster: envelope checks, call counting, latency, injected errors,
// the handler, and the optional "drop the response after applying" fault. Never throws: every
// failure becomes an Element error object (HTTP 200, code 500).
import type { Logger } from 'pino';
import { SimError } from './errors.ts';
import type { FaultStore } from './faults.ts';
import { lookupMethod } from './methods.ts';
import type { ClusterRecord } from './model.ts';
import { ParamReader } from './params.ts';
import type { SimWorld } from './world.ts';

export type RpcOutcome = { kind: 'respond'; body: string } | { kind: 'drop' };

export interface DispatchDeps {
  world: SimWorld;
  faults: FaultStore;
  log: Logger;
}

type RequestId = unknown;

const respond = (id: RequestId, payload: { result: Record<string, unknown> } | { error: SimError }): RpcOutcome => ({
  kind: 'respond',
  body: JSON.stringify('result' in payload ? { id, result: payload.result } : { id, error: payload.error.toJSON() }),
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function typeName(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 60) ?? String(value);
}

export async function dispatchRpc(deps: DispatchDeps, cluster: ClusterRecord, endpointVersion: string, body: string): Promise<RpcOutcome> {
  const { world, faults, log } = deps;
  const names = world.behaviour.errorNames;
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    return respond(null, { error: new SimError(names.invalidJson, 'The request body is not valid JSON.') });
  }
  if (Array.isArray(request)) {
    return respond(null, { error: new SimError(names.invalidRequest, 'Batch requests are not supported.') });
  }
  if (typeof request !== 'object' || request === null) {
    return respond(null, { error: new SimError(names.invalidRequest, 'The request must be a JSON object.') });
  }
  const envelope = request as Record<string, unknown>;
  const id = envelope.id ?? null;
  const method = envelope.method;
  if (typeof method !== 'string') {
    const error = method === undefined || method === null
      ? new SimError('xMissingParameter', 'Missing member=[method]')
      : new SimError('xInvalidParameterType', `method: Invalid type: expected string but found ${typeName(method)}`);
    return respond(id, { error });
  }
  const rawParams = envelope.params ?? {};
  if (typeof rawParams !== 'object' || rawParams === null || Array.isArray(rawParams)) {
    return respond(id, { error: new SimError('xInvalidParameterType', `params: Invalid type: expected object but found ${typeName(rawParams)}`) });
  }

  faults.count(cluster.name, method);
  const latency = faults.latencyFor(cluster.name, method);
  if (latency > 0) await sleep(latency);
  const injected = faults.takeError(cluster.name, method);
  if (injected) {
    log.debug({ cluster: cluster.name, method, error: injected.name }, 'injected error');
    return respond(id, { error: injected });
  }

  const spec = lookupMethod(method, endpointVersion, world.behaviour.enforceMethodVersions);
  let outcome: RpcOutcome;
  if (!spec) {
    outcome = respond(id, { error: new SimError('xUnknownAPIMethod', `Unknown method '${method}' on API version ${endpointVersion}.`) });
  } else {
    const params = new ParamReader(rawParams as Record<string, unknown>);
    try {
      const result = spec.handler({ world, cluster, endpointVersion, params });
      if (spec.mutating) world.changed();
      const unused = params.unused();
      if (world.behaviour.reportUnusedParameters && Object.keys(unused).length > 0) {
        outcome = { kind: 'respond', body: JSON.stringify({ id, result, unusedParameters: unused }) };
      } else {
        outcome = respond(id, { result });
      }
    } catch (error) {
      if (!(error instanceof SimError)) log.error({ cluster: cluster.name, method, err: error }, 'handler failed');
      const reported = error instanceof SimError ? error : new SimError('xUnexpectedError', 'The simulator hit an internal error.');
      outcome = respond(id, { error: reported });
    }
  }
  if (faults.takeDrop(cluster.name, method)) {
    log.debug({ cluster: cluster.name, method }, 'dropping response after applying the call');
    return { kind: 'drop' };
  }
  return outcome;
}
