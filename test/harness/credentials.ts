// Certificates and kubeconfigs of a test control plane, all kept in its run dir: a serving CA and
// the API server's certificate, a separate client CA (kube-apiserver --client-ca-file) that signs
// user certificates (CN = user, O = groups), and the service-account signing key pair.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { createCa, createLeaf, type Pem } from '../../src/pki/certs.ts';

export const files = {
  servingCa: 'serving-ca.crt',
  serverCert: 'apiserver.crt',
  serverKey: 'apiserver.key',
  clientCa: 'client-ca.crt',
  clientCaKey: 'client-ca.key',
  serviceAccountPublic: 'sa.pub',
  serviceAccountPrivate: 'sa.key',
  adminKubeconfig: 'kubeconfig',
} as const;

export const ADMIN = { name: 'admin', groups: ['system:masters'] } as const;

function write(runDir: string, name: string, content: string): string {
  const file = path.join(runDir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/** Writes every certificate and key the plane needs; returns the serving CA certificate. */
export async function writePlaneCertificates(runDir: string): Promise<string> {
  const [servingCa, clientCa] = await Promise.all([createCa('elementrepl-envtest-serving-ca'), createCa('elementrepl-envtest-client-ca')]);
  const server = await createLeaf(servingCa, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
    validDays: 30,
  });
  // EC P-256, like envtest: the public half verifies tokens, the private half signs them.
  const serviceAccount = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  write(runDir, files.servingCa, servingCa.cert);
  write(runDir, files.serverCert, server.cert);
  write(runDir, files.serverKey, server.key);
  write(runDir, files.clientCa, clientCa.cert);
  write(runDir, files.clientCaKey, clientCa.key);
  write(runDir, files.serviceAccountPublic, serviceAccount.publicKey);
  write(runDir, files.serviceAccountPrivate, serviceAccount.privateKey);
  return servingCa.cert;
}

const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

function kubeconfigYaml(server: string, caPem: string, userName: string, user: Pem): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'envtest', cluster: { server, 'certificate-authority-data': base64(caPem) } }],
    users: [{ name: userName, user: { 'client-certificate-data': base64(user.cert), 'client-key-data': base64(user.key) } }],
    contexts: [{ name: 'envtest', context: { cluster: 'envtest', user: userName, namespace: 'default' } }],
    'current-context': 'envtest',
    preferences: {},
  });
}

export interface UserOptions {
  runDir: string;
  server: string;
  name: string;
  groups: readonly string[];
  /** File name inside the run dir; defaults to kubeconfig-<name>. */
  fileName?: string;
}

/** Mints a client certificate from the run dir's client CA and writes a kubeconfig for it. */
export async function writeUserKubeconfig(options: UserOptions): Promise<string> {
  const read = (name: string) => readFileSync(path.join(options.runDir, name), 'utf8');
  const clientCa: Pem = { cert: read(files.clientCa), key: read(files.clientCaKey) };
  const user = await createLeaf(clientCa, {
    commonName: options.name,
    organization: [...options.groups],
    usage: 'client',
    validDays: 30,
  });
  const fileName = options.fileName ?? `kubeconfig-${options.name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  return write(options.runDir, fileName, kubeconfigYaml(options.server, read(files.servingCa), options.name, user));
}
