import { isSha256Hex, isStorableKey } from './storage-keys.js';
import type { OAuthStorage } from './storage-port.js';

/**
 * Keys that reach the storage port are keys a row could hold: checked here once, for every
 * storage, instead of in each one. A key that cannot be stored is answered "not found" without a
 * database call: PostgreSQL refuses NUL characters in text with an error (a bad request would
 * become a 503), and Prisma batches concurrent `findUnique` calls into one statement, so one such
 * key would fail unrelated lookups.
 */

/** What a check decides: call the storage with these arguments, or answer without calling it. */
export type KeyCheckOutcome = { call: unknown[] } | { answer: unknown };

type KeyCheck = (args: unknown[]) => KeyCheckOutcome;

/** The first argument must pass `valid`; otherwise the call answers `notFound`. */
const firstKey =
  (valid: (value: unknown) => boolean, notFound: unknown): KeyCheck =>
  (args) =>
    valid(args[0]) ? { call: args } : { answer: notFound };

const storableId = (notFound: unknown) => firstKey(isStorableKey, notFound);

/**
 * The selector's values must be storable: one key, or a user and a client together (a consent
 * grant revoked); a selector no row matches revokes nothing.
 */
const selectorKey: KeyCheck = (args) => {
  const selector = (args[0] ?? {}) as Record<string, unknown>;
  const keys = Object.keys(selector).sort();
  const shaped = keys.length === 1 || (keys.length === 2 && keys[0] === 'clientId' && keys[1] === 'userId');
  const values = Object.values(selector);
  return shaped && values.every((value) => value !== '' && isStorableKey(value)) ? { call: args } : { answer: 0 };
};

/** Malformed digests are dropped from a batch; a batch with none left reads nothing. */
const digestBatch: KeyCheck = (args) => {
  const digests = (args[0] as readonly unknown[]).filter(isSha256Hex);
  return digests.length === 0 ? { answer: [] } : { call: [digests, ...args.slice(1)] };
};

/** Ids no row could hold are dropped from a batch; a batch with none left reads nothing. */
const storableIdBatch: KeyCheck = (args) => {
  const ids = (args[0] as readonly unknown[]).filter(isStorableKey);
  return ids.length === 0 ? { answer: [] } : { call: [ids, ...args.slice(1)] };
};

/**
 * The checks per port method; methods that only write records the core built need none.
 * `rotateTokens` is checked by the storage stack, rotation by rotation (a batch answers per entry).
 */
export const KEY_CHECKS: Partial<Record<keyof OAuthStorage, KeyCheck>> = {
  findClient: storableId(null),
  findAccessTokens: digestBatch,
  findRefreshTokens: digestBatch,
  claimToken: storableId(false),
  revokeTokens: selectorKey,
  findAuthorizationCode: firstKey(isSha256Hex, null),
  consumeAuthorizationCode: storableId(false),
  updateClient: storableId(null),
  setClientSecretHash: storableId(false),
  deleteClient: storableId(false),
  deleteScope: storableId(false),
  findUserByUsername: storableId(null),
  findUserById: storableId(null),
  updateUserPassword: storableId(false),
  deleteUser: storableId(false),
  findResources: storableIdBatch,
  deleteResource: storableId(false),
  findClientRegistration: storableId(null),
  touchClientRegistration: storableId(false),
};
