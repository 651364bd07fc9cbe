import { describe, expect, it } from 'vitest';
import { REQUIRED_NODE_MAJOR } from './node-version.ts';

describe('runtime', () => {
  it('runs on the pinned Node major', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(REQUIRED_NODE_MAJOR);
  });
});
