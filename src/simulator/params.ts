// Reads JSON-RPC params the way Element reports bad input: wrong JSON type → xInvalidParameterType
// ("accounts: Invalid type: expected array but found 7"), absent required member → xMissingParameter
// ("Missing member=[volumeID]"). `null` counts as absent (the Ansible module sends nulls).
// The reader remembers which members it looked at, so unused ones can be reported.
import { SimError } from './errors.ts';

type JsonType = 'integer' | 'string' | 'boolean' | 'array' | 'object';

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

export class ParamReader {
  readonly #raw: Record<string, unknown>;
  readonly #used = new Set<string>();

  constructor(raw: Record<string, unknown>) {
    this.#raw = raw;
  }

  #get(name: string, type: JsonType): unknown {
    this.#used.add(name);
    const value = this.#raw[name];
    if (value === undefined || value === null) return undefined;
    if (!isType(value, type)) {
      throw new SimError('xInvalidParameterType', `${name}: Invalid type: expected ${type} but found ${describe(value)}`);
    }
    return value;
  }

  #required<T>(name: string, value: T | undefined): T {
    if (value === undefined) throw new SimError('xMissingParameter', `Missing member=[${name}]`);
    return value;
  }

  optInt(name: string): number | undefined {
    return this.#get(name, 'integer') as number | undefined;
  }
  int(name: string): number {
    return this.#required(name, this.optInt(name));
  }
  optString(name: string): string | undefined {
    return this.#get(name, 'string') as string | undefined;
  }
  string(name: string): string {
    return this.#required(name, this.optString(name));
  }
  optBool(name: string): boolean | undefined {
    return this.#get(name, 'boolean') as boolean | undefined;
  }
  optObject(name: string): Record<string, unknown> | undefined {
    return this.#get(name, 'object') as Record<string, unknown> | undefined;
  }
  optIntArray(name: string): number[] | undefined {
    const list = this.#get(name, 'array') as unknown[] | undefined;
    if (list === undefined) return undefined;
    for (const item of list) {
      if (!isType(item, 'integer')) {
        throw new SimError('xInvalidParameterType', `${name}: Invalid type: expected integer but found ${describe(item)}`);
      }
    }
    return list as number[];
  }
  optStringArray(name: string): string[] | undefined {
    const list = this.#get(name, 'array') as unknown[] | undefined;
    if (list === undefined) return undefined;
    for (const item of list) {
      if (!isType(item, 'string')) {
        throw new SimError('xInvalidParameterType', `${name}: Invalid type: expected string but found ${describe(item)}`);
      }
    }
    return list as string[];
  }
  /** A string that must be one of `allowed` (exact, or any letter case when `caseInsensitive`). */
  optEnum<T extends string>(name: string, allowed: readonly T[], caseInsensitive = false): T | undefined {
    const value = this.optString(name);
    if (value === undefined) return undefined;
    const match = allowed.find((a) => (caseInsensitive ? a.toLowerCase() === value.toLowerCase() : a === value));
    if (match === undefined) throw new SimError('xUnrecognizedEnumString', `${name}: Unrecognized enum string: ${describe(value)}`);
    return match;
  }

  /** Members the handler never asked for (Element reports them as `unusedParameters`). */
  unused(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.#raw)) if (!this.#used.has(k)) out[k] = v;
    return out;
  }
}
