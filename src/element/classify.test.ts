import { describe, expect, it } from 'vitest';
import { classifyElementError, isMutatingMethod, isTransientElementErrorName } from './classify.ts';
import {
  ElementApiError,
  ElementAuthError,
  ElementConnectionError,
  ElementProtocolError,
  ElementTimeoutError,
  ElementTlsError,
  ElementTransportError,
  ElementVersionNotFoundError,
} from './errors.ts';

const ENDPOINT = '127.0.0.1:443/json-rpc/12.5';
const READS = ['GetAPI', 'GetClusterInfo', 'GetClusterVersionInfo', 'GetLimits', 'ListAccounts', 'ListVolumes', 'ListVolumesForAccount', 'ListVolumeStats', 'ListSyncJobs', 'ListClusterPairs', 'ListActivePairedVolumes'];
const WRITES = [
  'AddAccount',
  'CreateVolume',
  'ModifyVolume',
  'StartClusterPairing',
  'CompleteClusterPairing',
  'RemoveClusterPair',
  'StartVolumePairing',
  'CompleteVolumePairing',
  'ModifyVolumePair',
  'RemoveVolumePair',
];

const api = (method: string, name: string) => new ElementApiError(method, name, 500, name);

describe('isMutatingMethod', () => {
  it('knows the reads and treats everything else, unknown methods included, as mutating', () => {
    for (const method of READS) expect(isMutatingMethod(method)).toBe(false);
    for (const method of [...WRITES, 'DeleteVolume', 'SomethingNew']) expect(isMutatingMethod(method)).toBe(true);
  });
});

describe('classifyElementError', () => {
  it('retries transient Element errors on reads and re-observes after them on writes', () => {
    for (const name of ['xDBVersionMismatch', 'xDBConnectionLoss', 'xDBOperationTimeout', 'xNotPrimary']) {
      expect(isTransientElementErrorName(name)).toBe(true);
      for (const method of READS) expect(classifyElementError(method, api(method, name))).toBe('retryable');
      for (const method of WRITES.filter((m) => m !== 'CompleteVolumePairing')) expect(classifyElementError(method, api(method, name))).toBe('unknownOutcome');
    }
  });

  it('makes every Element error on CompleteVolumePairing final: the key is spent', () => {
    for (const name of ['xDBVersionMismatch', 'xNotPrimary', 'xInvalidPairingKey', 'xMVIPNotPaired']) {
      expect(classifyElementError('CompleteVolumePairing', api('CompleteVolumePairing', name))).toBe('final');
    }
  });

  it('makes ordinary Element errors final', () => {
    expect(classifyElementError('StartVolumePairing', api('StartVolumePairing', 'xVolumeAlreadyPaired'))).toBe('final');
    expect(classifyElementError('ListVolumes', api('ListVolumes', 'xInvalidParameterType'))).toBe('final');
    expect(isTransientElementErrorName('xVolumeAlreadyPaired')).toBe(false);
  });

  it('separates timeouts before sending from timeouts after sending', () => {
    for (const method of WRITES) {
      expect(classifyElementError(method, new ElementTimeoutError(method, ENDPOINT, 'connect', 10))).toBe('retryable');
      expect(classifyElementError(method, new ElementTimeoutError(method, ENDPOINT, 'headers', 10))).toBe('unknownOutcome');
      expect(classifyElementError(method, new ElementTimeoutError(method, ENDPOINT, 'body', 10))).toBe('unknownOutcome');
    }
    for (const method of READS) expect(classifyElementError(method, new ElementTimeoutError(method, ENDPOINT, 'headers', 10))).toBe('retryable');
  });

  it('separates refused connections from lost ones', () => {
    expect(classifyElementError('ModifyVolume', new ElementConnectionError('ModifyVolume', ENDPOINT, 'ECONNREFUSED', false))).toBe('retryable');
    expect(classifyElementError('ModifyVolume', new ElementConnectionError('ModifyVolume', ENDPOINT, 'ECONNRESET', true))).toBe('unknownOutcome');
    expect(classifyElementError('ListVolumes', new ElementConnectionError('ListVolumes', ENDPOINT, 'ECONNRESET', true))).toBe('retryable');
  });

  it('makes configuration failures final', () => {
    for (const error of [
      new ElementTlsError('ModifyVolume', ENDPOINT, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed'),
      new ElementAuthError('ModifyVolume', ENDPOINT, 401),
      new ElementVersionNotFoundError('ModifyVolume', ENDPOINT, '99.0'),
    ]) {
      expect(error).toBeInstanceOf(ElementTransportError);
      expect(classifyElementError('ModifyVolume', error)).toBe('final');
    }
  });

  it('treats an unreadable answer to a write as an unknown outcome', () => {
    expect(classifyElementError('StartClusterPairing', new ElementProtocolError('StartClusterPairing', ENDPOINT, 502, 'bad gateway'))).toBe('unknownOutcome');
    expect(classifyElementError('ListClusterPairs', new ElementProtocolError('ListClusterPairs', ENDPOINT, 502, 'bad gateway'))).toBe('retryable');
  });

  it('classifies by the method that actually failed (version negotiation before a write)', () => {
    const negotiation = new ElementTimeoutError('GetAPI', ENDPOINT, 'headers', 10);
    expect(classifyElementError('ModifyVolume', negotiation)).toBe('retryable');
  });

  it('makes unknown errors final', () => {
    expect(classifyElementError('ModifyVolume', new TypeError('bug'))).toBe('final');
    expect(classifyElementError('ModifyVolume', 'string')).toBe('final');
  });
});
