import { describe, expect, it } from 'vitest';
import { isAlreadyExists, isConflict, isForbidden, isGone, isNotFound, KubeApiError, kubeApiErrorFromResponse, kubeTransportError } from './errors.ts';

const status = (code: number, reason: string, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

describe('kubeApiErrorFromResponse', () => {
  it('takes reason and message from a metav1.Status body', () => {
    const error = kubeApiErrorFromResponse(409, status(409, 'AlreadyExists', 'secrets "k" already exists'), 'create secrets ns/k');

    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ status: 409, reason: 'AlreadyExists', message: 'create secrets ns/k: secrets "k" already exists' });
    expect(isConflict(error) && isAlreadyExists(error)).toBe(true);
  });

  it.each([
    [404, isNotFound, 'NotFound'],
    [403, isForbidden, 'Forbidden'],
    [410, isGone, 'Expired'],
  ])('falls back to the HTTP status for %i without a Status body', (code, predicate, reason) => {
    const error = kubeApiErrorFromResponse(code, '<html>proxy</html>', 'get x');

    expect(predicate(error)).toBe(true);
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(`get x: HTTP ${code}`);
  });

  it('never repeats the raw body when it is not a Status', () => {
    const error = kubeApiErrorFromResponse(500, 'Authorization: Basic c2VjcmV0', 'get x');

    expect(error.message).not.toContain('Basic');
  });
});

describe('kubeTransportError', () => {
  it('maps connection failures to status 0 with the error code', () => {
    const cause = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });

    const error = kubeTransportError(cause, 'list secrets');

    expect(error).toMatchObject({ status: 0, reason: 'ConnectionFailed', message: 'list secrets: ConnectionFailed (ECONNREFUSED)' });
    expect(isNotFound(error)).toBe(false);
  });

  it('maps timeouts to ClientTimeout', () => {
    const error = kubeTransportError(new DOMException('timed out', 'TimeoutError'), 'get x');

    expect(error.reason).toBe('ClientTimeout');
  });
});
