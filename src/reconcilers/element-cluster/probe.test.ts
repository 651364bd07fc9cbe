import { describe, expect, it } from 'vitest';
import { ElementApiError, ElementAuthError, ElementConnectionError, ElementTimeoutError, ElementTlsError, ElementVersionNotFoundError } from '../../element/errors.ts';
import type { ClusterInfo, ClusterVersionInfo } from '../../element/schema.ts';
import { probeCluster, type ProbeClient } from './probe.ts';

const info = { name: 'PROD', uniqueID: 'ab12', uuid: 'uuid-1' } as ClusterInfo;

function client(overrides: Partial<Record<keyof ProbeClient, () => Promise<unknown>>> = {}): ProbeClient {
  return {
    getApiVersion: (overrides.getApiVersion ?? (async () => '12.5')) as () => Promise<string>,
    getClusterInfo: (overrides.getClusterInfo ?? (async () => info)) as () => Promise<ClusterInfo>,
    getClusterVersionInfo: (overrides.getClusterVersionInfo ?? (async () => ({ clusterVersion: '12.5.0.897' }))) as () => Promise<ClusterVersionInfo>,
  };
}

const fail = (error: Error) => async () => {
  throw error;
};

describe('probeCluster', () => {
  it('reports the identity, versions and API version', async () => {
    expect(await probeCluster(client())).toEqual({ kind: 'connected', clusterName: 'PROD', uniqueID: 'ab12', uuid: 'uuid-1', elementVersion: '12.5.0.897', apiVersion: '12.5' });
  });

  it('still connects when GetClusterVersionInfo is refused by the cluster', async () => {
    const result = await probeCluster(client({ getClusterVersionInfo: fail(new ElementApiError('GetClusterVersionInfo', 'xUnknownAPIMethod', 500, 'no')) }));

    expect(result).toMatchObject({ kind: 'connected', elementVersion: undefined });
  });

  it.each([
    [new ElementAuthError('GetClusterInfo', '10.0.0.1:443/json-rpc/12.5', 401), 'AuthFailed'],
    [new ElementTlsError('GetAPI', '10.0.0.1:443/json-rpc/1.0', 'ERR_ELEMENT_CERT_PIN_MISMATCH', 'pin mismatch'), 'TLSError'],
    [new ElementVersionNotFoundError('GetClusterInfo', '10.0.0.1:443/json-rpc/13.0', '13.0'), 'UnsupportedVersion'],
    [new ElementTimeoutError('GetClusterInfo', '10.0.0.1:443/json-rpc/12.5', 'connect', 2000), 'Unreachable'],
    [new ElementConnectionError('GetClusterInfo', '10.0.0.1:443/json-rpc/12.5', 'ECONNREFUSED', false), 'Unreachable'],
    [new ElementApiError('GetClusterInfo', 'xDBConnectionLoss', 500, 'db'), 'Unreachable'],
  ])('maps %s to %s', async (error, reason) => {
    expect(await probeCluster(client({ getClusterInfo: fail(error) }))).toMatchObject({ kind: 'failed', reason });
  });

  it('rethrows what is not an Element failure', async () => {
    await expect(probeCluster(client({ getClusterInfo: fail(new TypeError('bug')) }))).rejects.toThrow('bug');
  });
});
