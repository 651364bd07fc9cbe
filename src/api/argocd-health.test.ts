/// <reference types="vite/client" />
// Runs the Argo CD health checks of deploy/argocd/ in a real Lua VM (fengari, Lua 5.3; Argo CD runs
// gopher-lua 5.1, so the scripts use only what both have) against resources in every state the
// operator reports, and checks that docs/gitops.md embeds exactly these scripts.
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
// @ts-expect-error -- fengari ships no type declarations; the few members used are typed below.
import fengariModule from 'fengari';
import { GROUP } from './group.ts';

type LuaState = unknown;
interface Fengari {
  to_luastring(text: string): Uint8Array;
  lua: {
    LUA_OK: number;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, value: boolean): void;
    lua_pushnumber(L: LuaState, value: number): void;
    lua_pushstring(L: LuaState, value: Uint8Array): void;
    lua_createtable(L: LuaState, arrayItems: number, fields: number): void;
    lua_rawseti(L: LuaState, index: number, n: number): void;
    lua_setfield(L: LuaState, index: number, key: Uint8Array): void;
    lua_setglobal(L: LuaState, name: Uint8Array): void;
    lua_getfield(L: LuaState, index: number, key: Uint8Array): number;
    lua_pcall(L: LuaState, args: number, results: number, handler: number): number;
    lua_istable(L: LuaState, index: number): boolean;
    lua_isstring(L: LuaState, index: number): boolean;
    lua_tojsstring(L: LuaState, index: number): string;
    lua_pop(L: LuaState, n: number): void;
  };
  lauxlib: {
    luaL_newstate(): LuaState;
    luaL_loadstring(L: LuaState, source: Uint8Array): number;
  };
  lualib: { luaL_openlibs(L: LuaState): void };
}
const { lua, lauxlib, lualib, to_luastring } = fengariModule as Fengari;

const scripts = import.meta.glob<string>('../../deploy/argocd/*.lua', { query: '?raw', import: 'default', eager: true });
const gitopsDoc = Object.values(import.meta.glob<string>('../../docs/gitops.md', { query: '?raw', import: 'default', eager: true }))[0] ?? '';

const KINDS = ['ElementCluster', 'ClusterPair', 'VolumePair'] as const;
type Kind = (typeof KINDS)[number];

function scriptOf(kind: Kind): string {
  const script = scripts[`../../deploy/argocd/health-${kind.toLowerCase()}.lua`];
  if (script === undefined) throw new Error(`no health script for ${kind}`);
  return script;
}

/** Pushes JSON-like data the way Argo CD hands `obj` to Lua: objects and arrays become tables, numbers floats. */
function push(L: LuaState, value: unknown): void {
  if (value === null || value === undefined) lua.lua_pushnil(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') lua.lua_pushnumber(L, value);
  else if (typeof value === 'string') lua.lua_pushstring(L, to_luastring(value));
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      push(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof value === 'object') {
    const entries = Object.entries(value);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      push(L, item);
      lua.lua_setfield(L, -2, to_luastring(key));
    }
  } else throw new Error(`cannot push ${typeof value}`);
}

type Health = { status: string; message: string };

function runHealth(script: string, obj: object): Health {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  push(L, obj);
  lua.lua_setglobal(L, to_luastring('obj'));
  if (lauxlib.luaL_loadstring(L, to_luastring(script)) !== lua.LUA_OK) throw new Error(`Lua syntax: ${lua.lua_tojsstring(L, -1)}`);
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) throw new Error(`Lua error: ${lua.lua_tojsstring(L, -1)}`);
  if (!lua.lua_istable(L, -1)) throw new Error('the script did not return a table');
  const field = (name: string): string => {
    lua.lua_getfield(L, -1, to_luastring(name));
    const text = lua.lua_isstring(L, -1) ? lua.lua_tojsstring(L, -1) : '';
    lua.lua_pop(L, 1);
    return text;
  };
  return { status: field('status'), message: field('message') };
}

type Cond = { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message?: string; observedGeneration?: number };

function cond(type: string, status: Cond['status'], reason: string, message = `${type} is ${status}`, observedGeneration = 3): Cond {
  return { type, status, reason, message, observedGeneration };
}

function resource(kind: Kind, options: { conditions?: Cond[]; status?: boolean; generation?: number; observedGeneration?: number; annotations?: Record<string, string>; paused?: boolean } = {}): object {
  const generation = options.generation ?? 3;
  return {
    apiVersion: `${GROUP}/v1alpha1`,
    kind,
    metadata: { name: 'x', generation, uid: '0b0f', ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: kind === 'VolumePair' ? { clusterPairRef: { name: 'dc1-dc2' }, sideA: { volumeID: 158 }, sideB: { volumeID: 260 }, paused: options.paused ?? false } : {},
    ...(options.status === false
      ? {}
      : { status: { observedGeneration: options.observedGeneration ?? generation, ...(options.conditions ? { conditions: options.conditions } : {}) } }),
  };
}

const healthyConditions = (readyReason: string, message: string): Cond[] => [
  cond('Ready', 'True', readyReason, message),
  cond('Stalled', 'False', 'NotStalled', 'nothing needs a human'),
  cond('Degraded', 'False', 'NotDegraded', 'no degradation observed'),
  cond('UpToDate', 'True', 'InSync', 'Element matches the spec'),
  cond('Reconciling', 'False', 'NotReconciling', 'the spec is reached'),
];

const READY_REASON: Record<Kind, string> = { ElementCluster: 'Connected', ClusterPair: 'Paired', VolumePair: 'Active' };

describe.each(KINDS)('%s health', (kind) => {
  const health = (obj: object) => runHealth(scriptOf(kind), obj);

  test('Healthy when Ready=True for the current generation, with the Ready reason and message', () => {
    expect(health(resource(kind, { conditions: healthyConditions(READY_REASON[kind], 'all good') }))).toEqual({
      status: 'Healthy',
      message: `${READY_REASON[kind]}: all good`,
    });
  });

  test('Progressing without status, or with a status that has no conditions yet', () => {
    expect(health(resource(kind, { status: false }))).toEqual({ status: 'Progressing', message: 'Waiting for the operator to report status' });
    expect(health(resource(kind, {})))
      .toEqual({ status: 'Progressing', message: 'Waiting for the operator to report status' });
    expect(health(resource(kind, { conditions: [] }))).toEqual({ status: 'Progressing', message: 'Waiting for the Ready condition' });
  });

  test('Progressing while the status is older than the spec (status or Ready observedGeneration)', () => {
    const conditions = healthyConditions(READY_REASON[kind], 'all good');
    expect(health(resource(kind, { conditions, generation: 4, observedGeneration: 3 })).status).toBe('Progressing');
    const staleReady = [cond('Ready', 'True', READY_REASON[kind], 'old', 3), ...conditions.slice(1).map((c) => ({ ...c, observedGeneration: 4 }))];
    expect(health(resource(kind, { conditions: staleReady, generation: 4, observedGeneration: 4 }))).toEqual({
      status: 'Progressing',
      message: 'Waiting for the operator to observe the latest spec',
    });
  });

  test('a Stalled=True from an older generation is not Degraded: the new spec may have fixed it', () => {
    const conditions = [cond('Ready', 'False', 'InvalidSpec', 'bad', 2), cond('Stalled', 'True', 'InvalidSpec', 'bad', 2)];
    expect(health(resource(kind, { conditions, generation: 3, observedGeneration: 2 })).status).toBe('Progressing');
  });

  test('Degraded when Stalled=True, with the reason and message', () => {
    const conditions = [cond('Ready', 'False', 'UnexplainedPendingPair', 'pair 7 is in the way'), cond('Stalled', 'True', 'UnexplainedPendingPair', 'pair 7 is in the way')];
    expect(health(resource(kind, { conditions }))).toEqual({ status: 'Degraded', message: 'Stalled: UnexplainedPendingPair: pair 7 is in the way' });
  });

  test('Degraded when Degraded=True, even if Ready were True', () => {
    const conditions = [cond('Ready', 'True', READY_REASON[kind], 'looks fine'), cond('Stalled', 'False', 'NotStalled'), cond('Degraded', 'True', 'PausedDisconnected', 'link down')];
    expect(health(resource(kind, { conditions }))).toEqual({ status: 'Degraded', message: 'Degraded: PausedDisconnected: link down' });
  });

  test('Progressing while Ready is False or Unknown without Stalled or Degraded, with the Ready message', () => {
    const pairing = [cond('Ready', 'False', 'Pairing', 'starting pairing on dc1'), cond('Stalled', 'False', 'NotStalled'), cond('Degraded', 'False', 'NotDegraded')];
    expect(health(resource(kind, { conditions: pairing }))).toEqual({ status: 'Progressing', message: 'Pairing: starting pairing on dc1' });
    const unknown = [cond('Ready', 'Unknown', 'ClusterNotReady', '')];
    expect(health(resource(kind, { conditions: unknown }))).toEqual({ status: 'Progressing', message: 'ClusterNotReady' });
  });

  test('Progressing while Reconciling=True, with its reason and message, even if Ready were True', () => {
    const syncing = [cond('Ready', 'False', 'Syncing', 'state ResumingFullSync'), cond('Stalled', 'False', 'NotStalled'), cond('Reconciling', 'True', 'Syncing', 'state ResumingFullSync')];
    expect(health(resource(kind, { conditions: syncing }))).toEqual({ status: 'Progressing', message: 'Reconciling: Syncing: state ResumingFullSync' });
    const readyButWorking = [...healthyConditions(READY_REASON[kind], 'ok').slice(0, -1), cond('Reconciling', 'True', 'Pairing', 'applying the spec')];
    expect(health(resource(kind, { conditions: readyButWorking }))).toEqual({ status: 'Progressing', message: 'Reconciling: Pairing: applying the spec' });
  });

  test('Stalled=True wins over Reconciling=True', () => {
    const both = [cond('Ready', 'False', 'TargetInUse', 'in use'), cond('Stalled', 'True', 'TargetInUse', 'in use'), cond('Reconciling', 'True', 'Pairing', 'x')];
    expect(health(resource(kind, { conditions: both })).status).toBe('Degraded');
  });

  test('a Reconciling=True from an older generation does not hold back a Ready=True of the current one', () => {
    const conditions = [...healthyConditions(READY_REASON[kind], 'ok').slice(0, -1), cond('Reconciling', 'True', 'Pairing', 'old', 2)];
    expect(health(resource(kind, { conditions })).status).toBe('Healthy');
  });

  test('Suspended when reconciling is paused by annotation, whatever the status says', () => {
    const stalled = [cond('Ready', 'False', 'ReconcilePaused', 'paused'), cond('Stalled', 'True', 'Conflict', 'x')];
    for (const obj of [resource(kind, { conditions: stalled, annotations: { [`${GROUP}/paused`]: 'true' } }), resource(kind, { status: false, annotations: { [`${GROUP}/paused`]: 'true' } })]) {
      expect(health(obj)).toEqual({ status: 'Suspended', message: 'Reconciling is paused by the annotation elementrepl.io/paused' });
    }
  });

  test('only the exact string "true" pauses', () => {
    const obj = resource(kind, { conditions: healthyConditions(READY_REASON[kind], 'ok'), annotations: { [`${GROUP}/paused`]: 'True', other: 'true' } });
    expect(health(obj).status).toBe('Healthy');
  });
});

describe('kind specifics', () => {
  test('VolumePair: a pause requested in spec.paused and reached (Ready=True, Paused) is Suspended', () => {
    const obj = resource('VolumePair', { paused: true, conditions: healthyConditions('Paused', 'replication paused as requested') });
    expect(runHealth(scriptOf('VolumePair'), obj)).toEqual({
      status: 'Suspended',
      message: 'Replication is paused as requested (spec.paused): Paused: replication paused as requested',
    });
  });

  test('VolumePair: spec.paused not reached yet is Progressing; a fault while paused is Degraded', () => {
    const converging = [cond('Ready', 'False', 'Updating', 'pausing'), cond('Stalled', 'False', 'NotStalled'), cond('Degraded', 'False', 'NotDegraded')];
    expect(runHealth(scriptOf('VolumePair'), resource('VolumePair', { paused: true, conditions: converging })).status).toBe('Progressing');
    const fault = [cond('Ready', 'False', 'Degraded', 'link down'), cond('Degraded', 'True', 'PausedDisconnected', 'link down')];
    expect(runHealth(scriptOf('VolumePair'), resource('VolumePair', { paused: true, conditions: fault })).status).toBe('Degraded');
  });

  test('ElementCluster: Healthy with insecureSkipVerify, and the message says TLS is not verified', () => {
    const conditions = [...healthyConditions('Connected', 'cluster dc1 answers'), cond('TLSVerified', 'False', 'InsecureSkipVerify', 'not verified')];
    expect(runHealth(scriptOf('ElementCluster'), resource('ElementCluster', { conditions }))).toEqual({
      status: 'Healthy',
      message: 'Connected: cluster dc1 answers (TLSVerified=False: InsecureSkipVerify)',
    });
  });

  test('ClusterPair and ElementCluster ignore spec.paused (only VolumePair has it)', () => {
    for (const kind of ['ClusterPair', 'ElementCluster'] as const) {
      const obj = { ...resource(kind, { conditions: healthyConditions(READY_REASON[kind], 'ok') }), spec: { paused: true } };
      expect(runHealth(scriptOf(kind), obj).status).toBe('Healthy');
    }
  });

  test('a syntax error would be reported, not mistaken for a status (the harness itself can fail)', () => {
    expect(() => runHealth('hs = {', {})).toThrow(/Lua syntax/);
    expect(() => runHealth('return 1', {})).toThrow(/did not return a table/);
  });
});

describe('docs/gitops.md', () => {
  test('there is one script per kind and nothing else', () => {
    expect(Object.keys(scripts).sort()).toEqual(KINDS.map((k) => `../../deploy/argocd/health-${k.toLowerCase()}.lua`).sort());
  });

  test('the argocd-cm example embeds exactly the Lua files, under resource.customizations.health.<group>_<kind>', () => {
    const configMaps = gitopsDoc
      .split(/^```yaml\n/m)
      .slice(1)
      .map((block) => block.split(/^```$/m)[0] ?? '')
      .flatMap((yaml) => parseAllDocuments(yaml).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string }; data?: Record<string, string> }))
      .filter((doc) => doc.kind === 'ConfigMap' && doc.metadata?.name === 'argocd-cm');
    expect(configMaps).toHaveLength(1);
    const data = configMaps[0]?.data ?? {};
    for (const kind of KINDS) expect(data[`resource.customizations.health.${GROUP}_${kind}`], kind).toBe(scriptOf(kind));
  });

  test('the kustomize alternative names each file under its argocd-cm key', () => {
    for (const kind of KINDS) {
      expect(gitopsDoc).toContain(`resource.customizations.health.${GROUP}_${kind}=health-${kind.toLowerCase()}.lua`);
    }
  });
});
