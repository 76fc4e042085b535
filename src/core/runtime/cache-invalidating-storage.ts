import type { ReadCaches } from './read-caches.js';
import type { TokenLookup, TokenSelector } from '../storage/records.js';
import type { OAuthStorage } from '../storage/storage-port.js';

/**
 * What each write of the storage port makes stale in the read caches. Everything that revokes or
 * changes a token or client goes through the port, so invalidating here makes every change made
 * through this provider visible to its very next request. Writes not listed (inserts, code
 * consumption, purges of expired rows) cannot make a cached entry wrong: caches hold only rows that
 * existed and were active, and expiry is checked on every hit.
 */
type Invalidation = (caches: ReadCaches, args: unknown[]) => void;

const forgetTokensOfClient = (caches: ReadCaches, clientId: unknown) =>
  caches.tokens?.deleteWhere((token) => token.clientId === clientId);

function selects(selector: TokenSelector): (token: TokenLookup) => boolean {
  if ('familyId' in selector) return (token) => token.familyId === selector.familyId;
  if ('clientId' in selector) return (token) => token.clientId === selector.clientId;
  if ('userId' in selector) return (token) => token.userId === selector.userId;
  if ('authorizationCodeId' in selector) return (token) => token.authorizationCodeId === selector.authorizationCodeId;
  // An unknown selector revokes who knows what: forget everything rather than guess.
  return () => true;
}

const INVALIDATIONS: Partial<Record<keyof OAuthStorage, Invalidation>> = {
  // Refresh-token rotation and RFC 7009 revocation of an access token: one issuance, by row id.
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
  // Removing a scope removes it from every client.
  deleteScope: (caches) => caches.clients?.clear(),
};

/**
 * Wraps a storage port so that its writes invalidate the read caches. Invalidation runs after the
 * write settles, successful or not (a failed call may still have committed); reads racing with it
 * cannot re-insert what they read before it (see `ExpiringCache`).
 */
export function invalidatingCaches(storage: OAuthStorage, caches: ReadCaches): OAuthStorage {
  return new Proxy(storage, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      const invalidate = INVALIDATIONS[property as keyof OAuthStorage];
      if (typeof member !== 'function') return member;
      // Called on the target, not the proxy: a storage class may keep its state in private fields.
      if (invalidate === undefined) return (...args: unknown[]) => member.apply(target, args);
      return async (...args: unknown[]) => {
        try {
          return await member.apply(target, args);
        } finally {
          invalidate(caches, args);
        }
      };
    },
  });
}
