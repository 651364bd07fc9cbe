import { describe, expect, it } from 'vitest';
import { ElementConnections, type ConnectionOptions } from './connections.ts';

class FakeClient {
  closed = false;
  readonly options: ConnectionOptions;
  constructor(options: ConnectionOptions) {
    this.options = options;
  }
  close(): void {
    this.closed = true;
  }
}

const options = (password: string): ConnectionOptions => ({ mvip: '127.0.0.1:1', username: 'admin', password, tls: { insecureSkipVerify: true } });

describe('ElementConnections', () => {
  it('reuses the client while the options stay the same and replaces (closing) it when they change', () => {
    const connections = new ElementConnections((_c, o) => new FakeClient(o));
    const first = connections.ensure('dc1', options('a'));

    const same = connections.ensure('dc1', { tls: { insecureSkipVerify: true }, password: 'a', username: 'admin', mvip: '127.0.0.1:1' });
    const rotated = connections.ensure('dc1', options('b'));

    expect(same).toBe(first);
    expect(rotated).not.toBe(first);
    expect(first.closed).toBe(true);
    expect(rotated.options.password).toBe('b');
  });

  it('hands a client to dependents only while it is marked usable, and a new client starts unusable', () => {
    const connections = new ElementConnections((_c, o) => new FakeClient(o));
    const client = connections.ensure('dc1', options('a'));
    expect(connections.clientFor('dc1')).toBeUndefined();

    connections.setUsable('dc1', true);
    expect(connections.clientFor('dc1')).toBe(client);
    connections.ensure('dc1', options('b'));
    expect(connections.clientFor('dc1')).toBeUndefined();
    expect(connections.isUsable('dc1')).toBe(false);
  });

  it('closes clients on remove and closeAll', async () => {
    const connections = new ElementConnections((_c, o) => new FakeClient(o));
    const a = connections.ensure('a', options('x'));
    const b = connections.ensure('b', options('x'));

    connections.remove('a');
    await connections.closeAll();

    expect([a.closed, b.closed]).toEqual([true, true]);
    expect(connections.clientFor('b')).toBeUndefined();
  });
});
