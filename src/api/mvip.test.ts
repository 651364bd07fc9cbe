import { describe, expect, it } from 'vitest';
import { mvipAllowedBy, normalizeMvip, parseAllowedMvips } from './mvip.ts';

describe('normalizeMvip', () => {
  it.each([
    ['10.0.0.10', '10.0.0.10:443'],
    ['DC1.example.com', 'dc1.example.com'],
    ['https://10.0.0.10/', '10.0.0.10'],
    [' 10.0.0.10 ', '10.0.0.10'],
    ['[fd00::10]', '[FD00::10]:443'],
  ])('%s and %s are the same MVIP', (x, y) => {
    expect(normalizeMvip(x)).toBe(normalizeMvip(y));
  });

  it('keeps other ports apart', () => {
    expect(normalizeMvip('10.0.0.10:8443')).not.toBe(normalizeMvip('10.0.0.10'));
    expect(normalizeMvip('[fd00::10]:8443')).not.toBe(normalizeMvip('[fd00::10]'));
  });
});

describe('parseAllowedMvips', () => {
  it('splits on commas, trims, drops empty and malformed entries', () => {
    expect(parseAllowedMvips(' 10.0.0.10 , dc1.example.com:8443,, ,10.0.0.11:x,:443')).toEqual([
      { host: '10.0.0.10' },
      { host: 'dc1.example.com', port: '8443' },
    ]);
  });

  it('reads IPv6 with brackets, with or without a port, and bare IPv6 as a host', () => {
    expect(parseAllowedMvips('[fd00::10]:443,[fd00::11],fd00::12')).toEqual([
      { host: '[fd00::10]', port: '443' },
      { host: '[fd00::11]' },
      { host: '[fd00::12]' },
    ]);
  });

  it('is empty without an annotation or with an empty one', () => {
    expect(parseAllowedMvips(undefined)).toEqual([]);
    expect(parseAllowedMvips('')).toEqual([]);
    expect(parseAllowedMvips('  ,  ')).toEqual([]);
  });
});

describe('mvipAllowedBy', () => {
  it.each([
    // [annotation, spec.mvip, allowed]
    ['10.0.0.10', '10.0.0.10', true],
    ['10.0.0.10', '10.0.0.10:443', true],
    ['10.0.0.10', '10.0.0.10:8443', true],
    ['10.0.0.10:443', '10.0.0.10', true],
    ['10.0.0.10:443', '10.0.0.10:443', true],
    ['10.0.0.10:443', '10.0.0.10:8443', false],
    ['10.0.0.10:8443', '10.0.0.10', false],
    ['10.0.0.10:8443', '10.0.0.10:8443', true],
    ['10.0.0.1', '10.0.0.10', false],
    ['10.0.0.10', '10.0.0.1', false],
    ['DC1.Example.com', 'dc1.example.com:443', true],
    [' 10.0.0.11 , 10.0.0.10 ', '10.0.0.10', true],
    ['dc1.example.com', 'dc1.example.com.evil.test', false],
    ['[fd00::10]', '[fd00::10]:8443', true],
    ['fd00::10', '[FD00::10]', true],
    ['[fd00::10]:443', '[fd00::10]', true],
    ['[fd00::10]:443', '[fd00::1]', false],
    ['127.0.0.1:50443', '127.0.0.1:50444', false],
    ['', '10.0.0.10', false],
    [' , ', '10.0.0.10', false],
  ])('%j allows %s: %s', (annotation, mvip, allowed) => {
    expect(mvipAllowedBy(annotation, mvip)).toBe(allowed);
  });

  it('allows nothing without the annotation', () => {
    expect(mvipAllowedBy(undefined, '10.0.0.10')).toBe(false);
  });
});
