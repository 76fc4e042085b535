import type { ClientRegistrationKind, ClientRegistrationRecord } from './records.js';

/**
 * The optional client-registration port: the `oauth_client_registrations` table, what the server
 * knows of clients that registered themselves (RFC 7591) or are known by their Client ID Metadata
 * Document. The client itself is an ordinary client (`insertClient`/`updateClient`); this row sits
 * beside it and is deleted with it. Without the port, dynamic registration and metadata-document
 * clients are unavailable (docs/contract.md).
 */
export interface OAuthClientRegistrationStorage {
  /**
   * The registration of client `clientId`, or null when it has none (an operator's client, or
   * no such client). One round trip.
   *
   * Called by: the registration management endpoints (RFC 7592), the metadata-document resolver.
   */
  findClientRegistration(clientId: string): Promise<ClientRegistrationRecord | null>;

  /**
   * Writes the registration, or replaces every field of the existing one of the same client,
   * keeping its `createdAt`, and its `lastUsedAt` when that is later than the one given (null
   * counts as never): a registration's last use never moves back, so that a save built from a
   * read cannot undo a {@link touchClientRegistration} that came in between, which would let
   * `purgeUnusedClients` take a client in use. The client must exist.
   *
   * Called by: dynamic registration and its updates, the metadata-document resolver.
   */
  saveClientRegistration(registration: ClientRegistrationRecord): Promise<void>;

  /**
   * Sets `lastUsedAt` to `now` when it is null or older than `before`: at most one write per
   * client and period, however many tokens it is issued. False when nothing was written.
   *
   * Called by: token issuance to a self-registered client.
   */
  touchClientRegistration(clientId: string, now: Date, before: Date): Promise<boolean>;

  /**
   * Deletes at most `limit` clients (with their registrations, tokens and codes) of kind `kind`
   * whose registration was last used before `before`, or never used and created before it.
   * Returns how many clients went.
   *
   * Called by: `purgeExpired()` with `unusedClientsAfterDays`.
   */
  purgeUnusedClients(kind: ClientRegistrationKind, before: Date, limit: number): Promise<number>;
}

/** The client-registration port's methods, in the order they are documented. */
export const CLIENT_REGISTRATION_METHODS = [
  'findClientRegistration',
  'saveClientRegistration',
  'touchClientRegistration',
  'purgeUnusedClients',
] as const satisfies ReadonlyArray<keyof OAuthClientRegistrationStorage>;
