// Public surface of the Element client (docs/dev/CONTRACTS.md). Pure parts (schema, keys, errors,
// classify, redact) can also be imported directly by code that must not pull in undici.
export { ElementClient } from './client.ts';
export type {
  AddAccountParams,
  CreateVolumeParams,
  ElementCallEvent,
  ElementCallOutcome,
  ElementClientOptions,
  ElementMethod,
  ElementTimeouts,
  ElementTlsOptions,
  ListAccountsParams,
  ListVolumesParams,
  ModifyVolumePairParams,
  ModifyVolumeParams,
} from './types.ts';
export { DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUTS, parseMvip, type Mvip } from './transport.ts';
export { normalizePin, tlsMode, type TlsMode } from './tls.ts';
export * from './schema.ts';
export * from './states.ts';
export type { AddAccountResult, CompleteClusterPairingResult, CreateVolumeResult, StartClusterPairingResult, StartVolumePairingResult } from './results.ts';
export * from './errors.ts';
export * from './classify.ts';
export * from './keys.ts';
export * from './redact.ts';
export { parseAsyncDelay } from './async-delay.ts';
export { DEFAULT_PAGE_SIZE } from './paging.ts';
