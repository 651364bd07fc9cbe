import { describe, expect, it } from 'vitest';
import { formatHostPort, parseBindAddress } from './bind-address.ts';

describe('parseBindAddress', () => {
  it.each([
    [':8080', { host: undefined, port: 8080 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['localhost:8081', { host: 'localhost', port: 8081 }],
    ['[::1]:9443', { host: '::1', port: 9443 }],
    [' :8081 ', { host: undefined, port: 8081 }],
  ])('parses %j', (input, expected) => {
    expect(parseBindAddress(input)).toEqual(expected);
  });

  it.each(['0', ''])('treats %j as disabled', (input) => {
    expect(parseBindAddress(input)).toBeUndefined();
  });

  it.each(['8080', 'host', ':', ':99999', '1.2.3.4:port', '::1:8080', 'a b:80'])('rejects %j', (input) => {
    expect(() => parseBindAddress(input)).toThrow(/invalid bind address/);
  });
});

describe('formatHostPort', () => {
  it('brackets IPv6 hosts', () => {
    expect(formatHostPort('::1', 80)).toBe('[::1]:80');
    expect(formatHostPort('127.0.0.1', 80)).toBe('127.0.0.1:80');
  });
});
