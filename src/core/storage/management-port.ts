import type { ClientPatch, ClientRecord, ScopeRecord } from './records.js';

/**
 * The management port: registering clients, keeping the scope catalogue, and housekeeping. Called
 * by the management API (`provider.clients`, `provider.scopes`, `provider.purgeExpired()`) and so by
 * the admin CLI; never on a token request or a guarded request.
 */
export interface OAuthManagementStorage {
  /**
   * Writes the client and its grants, redirect URIs and scopes in one transaction. Throws
   * {@link DuplicateError} (`client`) when the id is taken, and {@link UnknownScopeError} naming
   * the scopes missing from the catalogue; writes nothing then.
   *
   * Called by: `clients.create`.
   */
  insertClient(client: ClientRecord): Promise<void>;

  /**
   * Replaces the given fields (child lists are replaced whole) and sets `updatedAt`, in one
   * transaction. Returns the updated client, or null when it does not exist. Throws
   * {@link UnknownScopeError} like `insertClient`, changing nothing.
   *
   * Called by: `clients.update`.
   */
  updateClient(id: string, patch: ClientPatch, now: Date): Promise<ClientRecord | null>;

  /**
   * Replaces or removes the secret digest and sets `updatedAt`; false when no such client. Takes
   * effect for the next `findClient`, at once.
   *
   * Called by: `clients.rotateSecret`.
   */
  setClientSecretHash(id: string, secretHash: string | null, now: Date): Promise<boolean>;

  /**
   * Every client with its child lists, ordered by id.
   *
   * Called by: `clients.list`.
   */
  listClients(): Promise<ClientRecord[]>;

  /**
   * Deletes the client with its grants, redirect URIs, scopes, tokens and authorization codes, in
   * one transaction. False when no such client.
   *
   * Called by: `clients.delete`.
   */
  deleteClient(id: string): Promise<boolean>;

  /**
   * Creates each scope, or updates the description of an existing one (the last one wins when a
   * name is given twice).
   *
   * Called by: `scopes.define`.
   */
  upsertScopes(scopes: Array<{ name: string; description: string | null }>, now: Date): Promise<void>;

  /**
   * Every scope, ordered by name.
   *
   * Called by: `scopes.list` and the authorization page (scope descriptions).
   */
  listScopes(): Promise<ScopeRecord[]>;

  /**
   * Deletes a scope and removes it from every client. False when it did not exist.
   *
   * Called by: `scopes.delete`.
   */
  deleteScope(name: string): Promise<boolean>;

  /**
   * Deletes at most `limit` tokens whose `expiresAt` is before `now`, and at most `limit`
   * authorization codes whose `expiresAt` is before `now`, each in its own short statement (no
   * long lock). Returns how many rows of each went.
   *
   * Called by: `purgeExpired()`, in a loop until a batch comes back short.
   */
  purgeExpiredBatch(now: Date, limit: number): Promise<{ tokens: number; codes: number }>;
}

/** The management port's methods, in the order they are documented. */
export const MANAGEMENT_METHODS = [
  'insertClient',
  'updateClient',
  'setClientSecretHash',
  'listClients',
  'deleteClient',
  'upsertScopes',
  'listScopes',
  'deleteScope',
  'purgeExpiredBatch',
] as const satisfies ReadonlyArray<keyof OAuthManagementStorage>;
