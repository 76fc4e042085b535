import type { TokenLookup, TokenSelector } from '../storage/records.js';
import type { OAuthStorage } from '../storage/storage-port.js';
import type { ReadCaches } from './read-caches.js';

/**
 * What each write of the storage port makes stale in the read caches. Everything that revokes or
 * changes a token or client goes through the port, so invalidating after these writes makes every
 * change made through this provider visible to its very next request. Writes not listed (inserts,
 * code consumption, purges of expired rows) cannot make a cached entry wrong: caches hold only
 * rows that existed and were active, and expiry is checked on every hit.
 */
export type Invalidation = (caches: ReadCaches, args: readonly unknown[]) => void;

const forgetTokensOfClient = (caches: ReadCaches, clientId: unknown) =>
  caches.tokens?.deleteWhere((token) => token.clientId === clientId);

function selects(selector: TokenSelector): (token: TokenLookup) => boolean {
  if ('clientId' in selector && 'userId' in selector) return (token) => token.clientId === selector.clientId && token.userId === selector.userId;
  if ('familyId' in selector) return (token) => token.familyId === selector.familyId;
  if ('clientId' in selector) return (token) => token.clientId === selector.clientId;
  if ('userId' in selector) return (token) => token.userId === selector.userId;
  if ('authorizationCodeId' in selector) return (token) => token.authorizationCodeId === selector.authorizationCodeId;
  // An unknown selector revokes who knows what: forget everything rather than guess.
  return () => true;
}

export const INVALIDATIONS: Partial<Record<keyof OAuthStorage, Invalidation>> = {
  // Refresh-token rotation and RFC 7009 revocation of an access token: one issuance, by row id. A
  // batch of rotations (`rotateTokens`) is invalidated by the storage stack as one claim per row.
  claimToken: (caches, [id]) => caches.tokens?.deleteBySecondary(String(id)),
  revokeTokens: (caches, [selector]) => caches.tokens?.deleteWhere(selects(selector as TokenSelector)),
  // The guard reports the client's name, so its tokens go too.
  updateClient: (caches, [id]) => {
    caches.clients?.delete(String(id));
    forgetTokensOfClient(caches, id);
  },
  setClientSecretHash: (caches, [id]) => caches.clients?.delete(String(id)),
  deleteClient: (caches, [id]) => {
    caches.clients?.delete(String(id));
    forgetTokensOfClient(caches, id);
  },
  deleteUser: (caches, [id]) => caches.tokens?.deleteWhere((token) => token.userId === id),
  // Which clients went is not returned: forget every client and token (a purge is rare).
  purgeUnusedClients: (caches) => {
    caches.clients?.clear();
    caches.tokens?.clear();
  },
  // Removing a scope removes it from every client.
  deleteScope: (caches) => caches.clients?.clear(),
};
