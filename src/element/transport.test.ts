import { describe, expect, it } from 'vitest';
import { ElementClient } from './client.ts';
import { normalizePin, tlsMode } from './tls.ts';
import { parseMvip } from './transport.ts';

describe('parseMvip', () => {
  it.each([
    ['10.0.0.10', { host: '10.0.0.10', port: 443, authority: '10.0.0.10:443' }],
    ['10.0.0.10:443', { host: '10.0.0.10', port: 443, authority: '10.0.0.10:443' }],
    ['dc1.example.com:8443', { host: 'dc1.example.com', port: 8443, authority: 'dc1.example.com:8443' }],
    ['[::1]', { host: '::1', port: 443, authority: '[::1]:443' }],
    ['[fd00::10]:442', { host: 'fd00::10', port: 442, authority: '[fd00::10]:442' }],
  ])('reads %s', (mvip, expected) => {
    expect(parseMvip(mvip)).toEqual(expected);
  });

  it.each(['', 'https://10.0.0.10', '10.0.0.10/json-rpc', 'a:b:c', 'host:0', 'host:99999', 'user@host', '::1'])('rejects %j', (mvip) => {
    expect(() => parseMvip(mvip)).toThrow(/mvip/);
  });
});

describe('TLS options', () => {
  it('normalizes pins in either notation and rejects anything else', () => {
    const hex = 'ab'.repeat(32);
    expect(normalizePin(hex.toUpperCase().match(/../g)!.join(':'))).toBe(hex);
    expect(normalizePin(` ${hex} `)).toBe(hex);
    expect(() => normalizePin('ab:cd')).toThrow(/pinnedSha256/);
    expect(() => normalizePin('zz'.repeat(32))).toThrow(/pinnedSha256/);
  });

  it('lets a pin take precedence, then skip-verify, then CA verification', () => {
    expect(tlsMode({ pinnedSha256: 'ab'.repeat(32), insecureSkipVerify: true, caPem: 'x' })).toBe('pin');
    expect(tlsMode({ insecureSkipVerify: true, caPem: 'x' })).toBe('insecure');
    expect(tlsMode({ caPem: 'x' })).toBe('ca');
    expect(tlsMode(undefined)).toBe('ca');
  });
});

describe('ElementClient options', () => {
  const base = { mvip: '127.0.0.1', username: 'admin', password: 'pw' };

  it('accepts "12" as "12.0" and refuses malformed API versions', async () => {
    const client = new ElementClient({ ...base, apiVersion: '12' });
    await expect(client.getApiVersion()).resolves.toBe('12.0');
    await client.close();
    expect(() => new ElementClient({ ...base, apiVersion: 'v12.5' })).toThrow(/apiVersion/);
    expect(() => new ElementClient({ ...base, apiVersion: '12.5.0.897' })).toThrow(/apiVersion/);
  });

  it('exposes the normalized MVIP and TLS mode', async () => {
    const client = new ElementClient({ ...base, tls: { insecureSkipVerify: true } });
    expect(client.mvip).toBe('127.0.0.1:443');
    expect(client.tlsMode).toBe('insecure');
    await client.close();
  });
});
