import { describe, expect, test } from 'vitest';
import { UsageError, parseArgs } from './args.ts';
import type { FlagSpec } from './args.ts';

const COMMANDS: Record<string, readonly FlagSpec[]> = {
  status: [{ name: 'watch', short: 'w', kind: 'boolean', help: '' }],
  plan: [{ name: 'filename', short: 'f', kind: 'strings', help: '' }],
};
const parse = (argv: string[]) => parseArgs(argv, (c) => COMMANDS[c]);

describe('parseArgs', () => {
  test('kubectl conventions: global flags before or after the command, long and short, = or space', () => {
    const parsed = parse(['--kubeconfig', '/k', 'status', '-A', '-l', 'app=db', '--context=ctx', '-o', 'json', '-w']);
    expect(parsed).toEqual({ command: 'status', positionals: [], flags: { kubeconfig: '/k', 'all-namespaces': true, selector: 'app=db', context: 'ctx', output: 'json', watch: true } });
    expect(parse(['-n', 'db', 'status', 'vp']).flags['namespace']).toBe('db');
    expect(parse(['-n', 'db', 'status', 'vp']).positionals).toEqual(['vp']);
  });

  test('repeatable -f collects every value', () => {
    expect(parse(['plan', '-f', 'a.yaml', '--filename=dir']).flags['filename']).toEqual(['a.yaml', 'dir']);
  });

  test.each([
    [['status', '--bogus'], 'unknown flag --bogus for "status"'],
    [['status', '-f', 'x'], 'unknown flag -f for "status"'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['status', '-o', 'xml'], 'must be one of table, json, yaml'],
    [['status', '-n'], 'flag -n needs a value'],
    [['status', '--watch=maybe'], 'takes true or false'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });
});

describe('plan --credentials', () => {
  test('EC=NAMESPACE/NAME pairs; anything else is a usage error', async () => {
    const { credentialOverrides } = await import('./plan.ts');
    expect([...credentialOverrides(['dc1=ci/dc1-readonly'])]).toEqual([['dc1', { namespace: 'ci', name: 'dc1-readonly' }]]);
    expect(() => credentialOverrides(['dc1-readonly'])).toThrow(UsageError);
    expect(() => credentialOverrides(['dc1=ci/a/b'])).toThrow(UsageError);
  });
});
