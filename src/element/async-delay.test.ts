import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAsyncDelay } from './async-delay.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('parseAsyncDelay', () => {
  it.each([
    ['PT0S', 0],
    ['PT1M30.5S', 90.5],
    ['P1DT2H', 93600],
    ['PT2H', 7200],
    ['P2W', 1209600],
    ['PT0,25S', 0.25],
    ['00:00:00.000000', 0],
    ['01:02:03.500000', 3723.5],
    ['49:00:00', 176400],
    ['1 day, 02:00:00.000000', 93600],
    ['3 days, 00:00:01', 259201],
    ['2.00:00:10', 172810],
  ])('reads %s as %d s', (text, seconds) => {
    expect(parseAsyncDelay(text)).toBeCloseTo(seconds, 6);
  });

  it.each([null, undefined, '', 'P', 'PT', 'P1Y', 'P1M', 'PT1X', '-PT1S', '1:2:3', '00:60:00', '00:00:61', 'abc', '00:00', 'P1DT'])(
    'reads %s as undefined',
    (value) => {
      expect(parseAsyncDelay(value)).toBeUndefined();
    },
  );

  it('reads every ISO 8601 day/time duration as the sum of its parts', () => {
    const part = fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, fc.option(fc.double({ min: 0, max: 1e5, noNaN: true }), { nil: undefined }), (w, d, h, m, s) => {
        const time = `${h === undefined ? '' : `${h}H`}${m === undefined ? '' : `${m}M`}${s === undefined ? '' : `${s.toFixed(3)}S`}`;
        const text = `P${w === undefined ? '' : `${w}W`}${d === undefined ? '' : `${d}D`}${time === '' ? '' : `T${time}`}`;
        const expected = (w ?? 0) * 604800 + (d ?? 0) * 86400 + (h ?? 0) * 3600 + (m ?? 0) * 60 + Number((s ?? 0).toFixed(3));
        const parsed = parseAsyncDelay(text);
        if (text === 'P') return parsed === undefined;
        return parsed !== undefined && Math.abs(parsed - expected) < 1e-6 * Math.max(1, expected);
      }),
    );
  });

  it('reads every HH:MM:SS.ffffff value, with or without a day prefix, as its seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999_999 }), fc.boolean(), (days, hours, minutes, seconds, micros, withDays) => {
        const clock = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(micros, 6)}`;
        const text = withDays ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
        const expected = (withDays ? days * 86400 : 0) + hours * 3600 + minutes * 60 + seconds + micros / 1e6;
        const parsed = parseAsyncDelay(text);
        return parsed !== undefined && Math.abs(parsed - expected) < 1e-6;
      }),
    );
  });

  it('never throws and never returns a negative or non-finite number for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseAsyncDelay(text);
        return parsed === undefined || (Number.isFinite(parsed) && parsed >= 0);
      }),
    );
  });
});
