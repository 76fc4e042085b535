import type { ConsentGrantRecord } from './records.js';

/** Which consent grants a deletion or a listing names: a user's, a client's, or one user's at one client. */
export type ConsentGrantSelector = { userId: string; clientId?: string } | { clientId: string; userId?: string };

/**
 * The optional consent-grant port: the `oauth_consent_grants` table, what each user approved for
 * each client (OIDC Core §3.1.2.4), so that an authorization asking no more than was approved skips
 * the consent page (and `prompt=none` can succeed). Without the port consent is asked every time
 * and `prompt=none` answers `consent_required` (docs/contract.md). Rows go with their client
 * (foreign key, cascade).
 */
export interface OAuthConsentGrantStorage {
  /**
   * The user's grant to the client, or null. One statement.
   *
   * Called by: the authorization page, for every authorization of a signed-in user.
   */
  findConsentGrant(userId: string, clientId: string): Promise<ConsentGrantRecord | null>;

  /**
   * Writes the grant of (`userId`, `clientId`), replacing `scope`, `audience` and `updatedAt` of an
   * existing one and keeping its `createdAt`: one upsert statement.
   *
   * Called by: the authorization page, when the user approves.
   */
  saveConsentGrant(grant: ConsentGrantRecord): Promise<void>;

  /**
   * Deletes the grants the selector names, in one statement. Returns how many went.
   *
   * Called by: `provider.grants.revoke()` (the CLI's `grants revoke`), which revokes the tokens
   * too, and `users.delete`.
   */
  deleteConsentGrants(selector: ConsentGrantSelector): Promise<number>;

  /**
   * The grants the selector names (every grant for `{}`), ordered by `userId` then `clientId`.
   *
   * Called by: `provider.grants.list()` (the CLI's `grants list`).
   */
  listConsentGrants(selector: Partial<{ userId: string; clientId: string }>): Promise<ConsentGrantRecord[]>;

  /**
   * Spends the authorization codes of the user (at the client, when `clientId` is given) that are
   * still redeemable, issued under the consent being withdrawn: sets `consumedAt = now` on every
   * one whose `consumedAt` is null and `expiresAt` is after `now`, in one UPDATE, matching the ids
   * exactly. Returns how many. A code spent so is refused at the token endpoint like a replayed one
   * (RFC 6749 §4.1.2, OIDC Core §3.1.2.4: consent withdrawn must stop what it allowed).
   *
   * Called by: `provider.grants.revoke()` (the CLI's `grants revoke`), before it revokes the
   * tokens, and `users.delete`.
   */
  consumeAuthorizationCodes(userId: string, clientId: string | undefined, now: Date): Promise<number>;
}

/** The consent-grant port's methods, in the order they are documented. */
export const CONSENT_GRANT_METHODS = [
  'findConsentGrant',
  'saveConsentGrant',
  'deleteConsentGrants',
  'listConsentGrants',
  'consumeAuthorizationCodes',
] as const satisfies ReadonlyArray<keyof OAuthConsentGrantStorage>;
