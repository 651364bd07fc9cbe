// Accounts: just enough for volumes to have an owner (ListAccounts, AddAccount, GetAccountByID/ByName).
import { randomBytes } from 'node:crypto';
import { SimError } from './errors.ts';
import type { CallContext, MethodTable } from './method-types.ts';
import type { AccountRecord, ClusterRecord } from './model.ts';
import { renderAccount } from './render.ts';

const newSecret = (): string => randomBytes(9).toString('base64url');

export function addAccountRecord(cluster: ClusterRecord, username: string, attributes: Record<string, unknown> = {}): AccountRecord {
  for (const existing of cluster.accounts.values()) {
    if (existing.username === username) throw new SimError('xDuplicateUsername', `Account with username ${username} already exists.`);
  }
  const account: AccountRecord = {
    accountID: cluster.nextAccountID++,
    username,
    initiatorSecret: newSecret(),
    targetSecret: newSecret(),
    attributes,
  };
  cluster.accounts.set(account.accountID, account);
  return account;
}

function listAccounts({ cluster, params }: CallContext): Record<string, unknown> {
  const start = params.optInt('startAccountID') ?? 0;
  const limit = params.optInt('limit') ?? Number.MAX_SAFE_INTEGER;
  params.optBool('includeStorageContainers');
  const accounts = [...cluster.accounts.values()]
    .filter((a) => a.accountID >= start)
    .slice(0, limit)
    .map((a) => renderAccount(cluster, a));
  return { accounts };
}

function addAccount({ cluster, params }: CallContext): Record<string, unknown> {
  const username = params.string('username');
  const initiatorSecret = params.optString('initiatorSecret');
  const targetSecret = params.optString('targetSecret');
  const attributes = params.optObject('attributes') ?? {};
  params.optBool('enableChap');
  if (username.length === 0 || username.length > 64) throw new SimError('xInvalidParameter', 'username: length must be 1 to 64.');
  const account = addAccountRecord(cluster, username, attributes);
  if (initiatorSecret !== undefined) account.initiatorSecret = initiatorSecret;
  if (targetSecret !== undefined) account.targetSecret = targetSecret;
  return { accountID: account.accountID, account: renderAccount(cluster, account) };
}

function getAccountByID({ cluster, params }: CallContext): Record<string, unknown> {
  const accountID = params.int('accountID');
  const account = cluster.accounts.get(accountID);
  if (!account) throw new SimError('xUnknownAccount', 'xUnknownAccount');
  return { account: renderAccount(cluster, account) };
}

function getAccountByName({ cluster, params }: CallContext): Record<string, unknown> {
  const username = params.string('username');
  for (const account of cluster.accounts.values()) {
    if (account.username === username) return { account: renderAccount(cluster, account) };
  }
  throw new SimError('xUnknownAccount', 'xUnknownAccount');
}

export const accountMethods: MethodTable = {
  ListAccounts: { since: '1.0', mutating: false, handler: listAccounts },
  AddAccount: { since: '1.0', mutating: true, handler: addAccount },
  GetAccountByID: { since: '1.0', mutating: false, handler: getAccountByID },
  GetAccountByName: { since: '1.0', mutating: false, handler: getAccountByName },
};
