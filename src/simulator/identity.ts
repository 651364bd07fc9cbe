// Identities and derived strings: cluster uniqueIDs, UUIDs, pairing-user credentials, iSCSI names,
// SCSI device IDs and pairing keys (lower-case hex of compact JSON with sorted keys, element-api.md §2.1).
import { randomInt, randomUUID } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Printable ASCII without quote and backslash, like the documented example password "i^Yho I-dwM}LgaK".
const PASSWORD_CHARS = ALNUM + ' !#$%&()*+,-./:;<=>?@[]^_{|}~';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export const newUuid = (): string => randomUUID();
export const newUniqueID = (): string => randomString(LOWER_ALNUM, 4);
export const newPairingUsername = (): string => `__SF_pair_${randomString(ALNUM, 16)}`;
export const newPairingPassword = (): string => randomString(PASSWORD_CHARS, 16);
export const newRpcConnectionID = (): number => randomInt(1, 2 ** 31 - 1);

export function iqn(uniqueID: string, volumeName: string, volumeID: number): string {
  return `iqn.2010-01.com.solidfire:${uniqueID}.${volumeName}.${volumeID}`;
}

const asciiHex = (s: string): string => Buffer.from(s, 'ascii').toString('hex');
const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** hex(uniqueID) + %08x(volumeID) + f47acc01 + 00000000 (verified on four documented examples). */
export function scsiEUIDeviceID(uniqueID: string, volumeID: number): string {
  return `${asciiHex(uniqueID)}${hex8(volumeID)}f47acc0100000000`;
}

/** 6f47acc1 + 00000000 + hex(uniqueID) + %08x(volumeID). */
export function scsiNAADeviceID(uniqueID: string, volumeID: number): string {
  return `6f47acc100000000${asciiHex(uniqueID)}${hex8(volumeID)}`;
}

export function encodeKey(fields: Record<string, string | number>): string {
  const sorted = Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  return Buffer.from(JSON.stringify(sorted), 'utf8').toString('hex');
}

/** Decodes a pairing key to a plain object, or undefined when it is not hex of a JSON object. */
export function decodeKey(key: string): Record<string, unknown> | undefined {
  if (key.length === 0 || key.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(key)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(key, 'hex').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Known JSON-RPC endpoint versions (element-api.md §1.7; 12.7 is [I], 12.9 unconfirmed). */
export const KNOWN_API_VERSIONS = [
  '1.0', '2.0', '3.0', '4.0', '5.0', '5.1', '6.0', '7.0', '7.1', '7.2', '7.3', '7.4',
  '8.0', '8.1', '8.2', '8.3', '8.4', '8.5', '8.6', '8.7', '9.0', '9.1', '9.2', '9.3', '9.4', '9.5', '9.6',
  '10.0', '10.1', '10.2', '10.3', '10.4', '10.5', '10.6', '10.7', '11.0', '11.1', '11.3', '11.5', '11.7', '11.8',
  '12.0', '12.2', '12.3', '12.5', '12.7', '12.8',
] as const;

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** "12.5.0.897" → "12.5" */
export function apiVersionOf(elementVersion: string): string {
  const [major = '0', minor = '0'] = elementVersion.split('.');
  return `${Number(major)}.${Number(minor)}`;
}

/** Endpoint versions a cluster of the given API version answers on. */
export function supportedVersions(apiVersion: string): string[] {
  const list: string[] = KNOWN_API_VERSIONS.filter((v) => compareVersions(v, apiVersion) <= 0);
  if (!list.includes(apiVersion)) list.push(apiVersion);
  return list;
}

/** Normalises a path version ("12.5", "8", "8.00") to the "major.minor" form, or undefined. */
export function normaliseEndpointVersion(raw: string): string | undefined {
  if (!/^\d+(\.\d+)?$/.test(raw)) return undefined;
  const [major = '0', minor = '0'] = raw.split('.');
  return `${Number(major)}.${Number(minor)}`;
}
