import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_MAX_MS, ItemBackoff, jitter } from './backoff.ts';

describe('ItemBackoff', () => {
  it('defaults to 1 s doubling up to 5 min (DESIGN §3)', () => {
    const backoff = new ItemBackoff();
    const delays = Array.from({ length: 11 }, () => backoff.when('k'));

    expect(DEFAULT_BACKOFF_BASE_MS).toBe(1000);
    expect(DEFAULT_BACKOFF_MAX_MS).toBe(300_000);
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map((s) => s * 1000));
  });

  it('never exceeds the cap nor goes below the base, however many failures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 200 }), (base, extra, n) => {
        const backoff = new ItemBackoff({ baseMs: base, maxMs: base + extra });
        let last = 0;
        for (let i = 0; i < n; i++) {
          const delay = backoff.when('k');
          expect(delay).toBeGreaterThanOrEqual(Math.max(base, last));
          expect(delay).toBeLessThanOrEqual(base + extra);
          last = delay;
        }
      }),
    );
  });

  it('starts over after forget and counts keys independently', () => {
    const backoff = new ItemBackoff({ baseMs: 5, maxMs: 1000 });
    backoff.when('a');
    backoff.when('a');
    backoff.when('b');

    backoff.forget('a');

    expect(backoff.retries('a')).toBe(0);
    expect(backoff.when('a')).toBe(5);
    expect(backoff.when('b')).toBe(10);
  });

  it.each([
    [{ baseMs: 0 }],
    [{ baseMs: 10, maxMs: 5 }],
    [{ baseMs: Number.NaN }],
  ])('rejects invalid options %o', (options) => {
    expect(() => new ItemBackoff(options)).toThrow(RangeError);
  });
});

describe('jitter', () => {
  it('stays within [ms, ms·(1+factor))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e7 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (ms, factor, r) => {
        const value = jitter(ms, factor, () => r);
        expect(value).toBeGreaterThanOrEqual(ms);
        expect(value).toBeLessThanOrEqual(ms * (1 + factor));
      }),
    );
  });

  it('returns the delay unchanged without a factor', () => {
    expect(jitter(500, 0, () => 0.9)).toBe(500);
  });
});
