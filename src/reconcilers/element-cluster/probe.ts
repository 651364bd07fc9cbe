// Asks the MVIP who it is: the API version (configured, or negotiated with GetAPI), GetClusterInfo
// and GetClusterVersionInfo. Transport failures become the planner's reasons; messages come from
// the Element client's errors, which carry no credentials, and are redacted once more.
import { ElementApiError, ElementAuthError, ElementConnectionError, ElementProtocolError, ElementTimeoutError, ElementTlsError, ElementVersionNotFoundError } from '../../element/errors.ts';
import { redactString } from '../../element/redact.ts';
import type { ClusterInfo, ClusterVersionInfo } from '../../element/schema.ts';
import type { ProbeOutcome } from './plan.ts';

export interface ProbeClient {
  getApiVersion(): Promise<string>;
  getClusterInfo(): Promise<ClusterInfo>;
  getClusterVersionInfo(): Promise<ClusterVersionInfo>;
}

export async function probeCluster(client: ProbeClient): Promise<ProbeOutcome> {
  try {
    const apiVersion = await client.getApiVersion();
    const info = await client.getClusterInfo();
    let elementVersion: string | undefined;
    try {
      elementVersion = (await client.getClusterVersionInfo()).clusterVersion;
    } catch (error) {
      // An old or restricted endpoint without GetClusterVersionInfo still identifies itself.
      if (!(error instanceof ElementApiError)) throw error;
    }
    return { kind: 'connected', clusterName: info.name, uniqueID: info.uniqueID, uuid: info.uuid || undefined, mvip: info.mvip || undefined, elementVersion, apiVersion };
  } catch (error) {
    const failed = classify(error);
    if (!failed) throw error;
    return failed;
  }
}

function classify(error: unknown): ProbeOutcome | undefined {
  const message = (text: string) => redactString(text);
  if (error instanceof ElementAuthError) return { kind: 'failed', reason: 'AuthFailed', message: message(`${error.method}: credentials rejected (HTTP ${error.status})`) };
  if (error instanceof ElementTlsError) return { kind: 'failed', reason: 'TLSError', message: message(error.message) };
  if (error instanceof ElementVersionNotFoundError) {
    return { kind: 'failed', reason: 'UnsupportedVersion', message: message(`the cluster does not serve JSON-RPC API version ${error.apiVersion}`) };
  }
  if (error instanceof ElementTimeoutError || error instanceof ElementConnectionError || error instanceof ElementProtocolError) {
    return { kind: 'failed', reason: 'Unreachable', message: message(error.message) };
  }
  if (error instanceof ElementApiError) return { kind: 'failed', reason: 'Unreachable', message: message(`${error.method} failed: ${error.name}`) };
  return undefined;
}
