import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa, createLeaf, sha256Fingerprint } from './certs.ts';

describe('certs', () => {
  it('issues a server certificate with loopback SANs that verifies against its CA', async () => {
    const ca = await createCa('test-ca');
    const leaf = await createLeaf(ca, { commonName: 'sim', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], usage: 'server' });
    const cert = new X509Certificate(leaf.cert);
    expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.key).toContain('BEGIN PRIVATE KEY');
  });

  it('puts organizations in the subject of client certificates', async () => {
    const ca = await createCa('test-ca');
    const leaf = await createLeaf(ca, { commonName: 'admin', organization: ['system:masters'], usage: 'client' });
    expect(new X509Certificate(leaf.cert).subject).toContain('O=system:masters');
  });

  it('computes the openssl-style SHA-256 fingerprint', async () => {
    const ca = await createCa('test-ca');
    const expected = new X509Certificate(ca.cert).fingerprint256;
    expect(sha256Fingerprint(ca.cert)).toBe(expected);
  });
});
