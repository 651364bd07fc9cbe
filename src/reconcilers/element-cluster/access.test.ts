import { describe, expect, it } from 'vitest';
import { ALLOWED_MVIPS_ANNOTATION } from '../../api/annotations.ts';
import type { ElementCluster } from '../../api/element-cluster.ts';
import type { KubeClient } from '../../kube/client.ts';
import { readAccess } from './access.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A KubeClient that knows one credentials Secret, elementrepl-system/dc1-admin. */
function kubeWith(annotations: Record<string, string> | undefined): KubeClient {
  const secret = {
    metadata: { name: 'dc1-admin', namespace: 'elementrepl-system', ...(annotations ? { annotations } : {}) },
    data: { username: b64('admin'), password: b64('s3cret') },
  };
  return { get: async (_r: unknown, name: string, namespace?: string) => (name === 'dc1-admin' && namespace === 'elementrepl-system' ? secret : null) } as unknown as KubeClient;
}

function cluster(mvip: string): ElementCluster {
  return { metadata: { name: 'dc1' }, spec: { mvip, credentialsSecretRef: { name: 'dc1-admin' }, tls: { insecureSkipVerify: true } } };
}

describe('readAccess: credentials go only where their Secret allows', () => {
  it('returns the connection options when the Secret lists the MVIP', async () => {
    const result = await readAccess(kubeWith({ [ALLOWED_MVIPS_ANNOTATION]: '10.0.0.9, 10.0.0.10' }), cluster('10.0.0.10:443'), 'elementrepl-system');

    expect(result).toMatchObject({ kind: 'ok', options: { mvip: '10.0.0.10:443', username: 'admin', password: 's3cret' } });
  });

  it.each([
    ['no annotation', undefined],
    ['an empty annotation', { [ALLOWED_MVIPS_ANNOTATION]: '' }],
    ['another host', { [ALLOWED_MVIPS_ANNOTATION]: '10.0.0.11' }],
    ['another port', { [ALLOWED_MVIPS_ANNOTATION]: '10.0.0.10:8443' }],
  ])('refuses with SecretNotAllowed for %s, naming Secret and MVIP but no credential', async (_case, annotations) => {
    const result = await readAccess(kubeWith(annotations), cluster('10.0.0.10'), 'elementrepl-system');

    expect(result).toMatchObject({ kind: 'problem', problem: { reason: 'SecretNotAllowed' } });
    const message = result.kind === 'problem' ? result.problem.message : '';
    expect(message).toContain('elementrepl-system/dc1-admin');
    expect(message).toContain('10.0.0.10');
    expect(message).toContain(ALLOWED_MVIPS_ANNOTATION);
    expect(message).not.toContain('s3cret');
  });
});
