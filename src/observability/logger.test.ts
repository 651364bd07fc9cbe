import { describe, expect, it } from 'vitest';
import { createLogger, reconcileLogger } from './logger.ts';

const pairingKey = Buffer.from(
  JSON.stringify({ clusterPairID: 1, mvip: '10.0.0.10', password: 'Pq7sXz9LmN', username: '__SF_pair_1' }),
).toString('hex');
const password = 'Sup3r-S3cret!';
const basic = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

function capture() {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { log, lines, text: () => lines.join('') };
}

describe('createLogger', () => {
  it('writes JSON lines with a string level and a static message', () => {
    const { log, lines } = capture();
    log.info({ cluster: 'dc1' }, 'connected');
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', cluster: 'dc1', msg: 'connected' });
    expect(typeof line['time']).toBe('string');
  });

  it('never writes a pairing key, a password or an Authorization header', () => {
    const { log, text } = capture();
    log.info({ clusterPairingKey: pairingKey, volumePairingKey: pairingKey }, 'key fields');
    log.info({ request: { params: { key: pairingKey } } }, 'key in a nested value');
    log.info({ credentials: { username: 'admin', password } }, 'password field');
    log.info({ a: { b: { c: { d: { password } } } } }, 'deep password field');
    log.info({ headers: { authorization: basic } }, 'header field');
    log.info({ req: { headers: { Authorization: basic } } }, 'header field, other case');
    log.warn(`interpolated ${pairingKey} and password=${password}`);
    log.info('format %s %s', pairingKey, basic);
    log.error({ err: new Error(`Element said: bad key ${pairingKey}, Authorization: ${basic}`) }, 'call failed');
    log.error(new Error(`{"password":"${password}"}`));
    log.error({ err: new Error('outer', { cause: new Error(`inner password=${password}`) }) }, 'wrapped');
    reconcileLogger(log.child({ note: `child binding ${pairingKey}` }), 'c', 'k', 'r').info('from a child');

    const out = text();
    expect(out.split('\n').filter(Boolean)).toHaveLength(12);
    expect(out).not.toContain(pairingKey.slice(0, 32));
    expect(out).not.toContain(password);
    expect(out).not.toContain(basic.slice(6));
    expect(out).toContain('[REDACTED]');
  });

  it('keeps error details that are not secret', () => {
    const { log, lines } = capture();
    log.error({ err: new Error('xVolumeAlreadyPaired') }, 'call failed');
    const line = JSON.parse(lines[0] ?? '') as { err: { type: string; message: string; stack: string } };
    expect(line.err.message).toBe('xVolumeAlreadyPaired');
    expect(line.err.stack).toContain('logger.test.ts');
  });

  it('writes JSON into an explicit destination even when pretty output is asked for', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', pretty: true, destination: { write: (line: string) => void lines.push(line) } });
    log.info('plain');
    expect(() => JSON.parse(lines[0] ?? '') as unknown).not.toThrow();
  });
});

describe('reconcileLogger', () => {
  it('puts controller, key and reconcileID on every line', () => {
    const { log, lines } = capture();
    const child = reconcileLogger(log, 'volumepair', 'db/pair-1', '5f0c7e0e-1111-4222-8333-944445555666');
    child.info({ step: 'StartVolumePairing' }, 'running step');
    child.debug('done');
    for (const raw of lines) {
      expect(JSON.parse(raw)).toMatchObject({ controller: 'volumepair', key: 'db/pair-1', reconcileID: '5f0c7e0e-1111-4222-8333-944445555666' });
    }
    expect(lines).toHaveLength(2);
  });
});
