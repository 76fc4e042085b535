import type { CacheInvalidationUnavailable } from '../../core/index.js';
/**
 * The storage port over an application's Prisma 7 client. Each table group lives in its own module
 * (`prisma-clients.ts`, `prisma-tokens.ts`, …); this class only binds them to one client.
 */
import type {
  AttemptCounter,
  AuthorizationCodeRecord,
  ClientPatch,
  ClientRecord,
  ClientRegistrationKind,
  ClientRegistrationRecord,
  ConsentGrantRecord,
  ConsentGrantSelector,
  ResourceRecord,
  ScopeRecord,
  SessionRecord,
  SigningKeyRecord,
  TokenLookup,
  TokenRecord,
  TokenRotation,
  TokenSelector,
  UserRecord,
} from '../../core/index.js';
import type { OAuthStorage } from '../../core/index.js';
import type { OAuthPrismaClient } from './prisma-client-shape.js';
import * as attemptCounters from './prisma-attempt-counters.js';
import * as authorizationCodes from './prisma-authorization-codes.js';
import * as registrations from './prisma-client-registrations.js';
import * as clients from './prisma-clients.js';
import * as consentGrants from './prisma-consent-grants.js';
import { purgeExpiredBatch } from './prisma-purge.js';
import * as resources from './prisma-resources.js';
import * as scopes from './prisma-scopes.js';
import * as sessions from './prisma-sessions.js';
import * as signingKeys from './prisma-signing-keys.js';
import * as tokens from './prisma-tokens.js';
import * as users from './prisma-users.js';

/**
 * {@link OAuthStorage} over a Prisma client generated from a schema that includes the shipped
 * `oauth.prisma` fragment. Statements sent per call, measured on PostgreSQL and PGlite:
 *
 * - `findAccessTokens`, `findRefreshTokens`: 1 (raw SQL; see `prisma-tokens.ts` for why).
 * - `insertTokens`, `claimToken`, `rotateTokens`, `consumeAuthorizationCode`, `findAuthorizationCode`: 1.
 * - `revokeTokens` (one key, or a user and a client): 1, repeated while a concurrent rotation changed a matching token first (raw SQL).
 * - `findClient`: 1 (raw SQL; see `prisma-clients.ts` for why). `listClients`: 1 when the client's
 *   generator enables the `relationJoins` preview feature; otherwise Prisma sends one SELECT per
 *   relation (4), not in a transaction.
 * - `insertClient`: BEGIN, one INSERT per non-empty table (≤ 4), COMMIT.
 * - `updateClient`: BEGIN, UPDATE, DELETE + INSERT per replaced list, the client re-read, COMMIT.
 * - `purgeExpiredBatch`: per table, a bounded SELECT of ids and a DELETE of those ids.
 * - `addToAttemptCounter`: 1 on PostgreSQL (raw SQL), BEGIN, 2 and COMMIT on MySQL; the first call
 *   also asks the server which it is. `findAttemptCounter`, `deleteAttemptCounter`: 1.
 *   `purgeAttemptCounters`: a bounded SELECT of keys and a DELETE of those keys.
 * - `listSigningKeys`, `insertSigningKey`, `retireSigningKeys`, `retireSigningKeyById`,
 *   `purgeSigningKeys`: 1.
 * - `insertSession`, `findSession`, `deleteSession`, `deleteUserSessions`, `purgeSessions`: 1.
 * - `findConsentGrant`, `saveConsentGrant` (one `INSERT … ON CONFLICT`), `deleteConsentGrants`,
 *   `listConsentGrants`, `consumeAuthorizationCodes`: 1.
 * - `findResources`, `saveResource` (one `INSERT … ON CONFLICT` on PostgreSQL), `deleteResource`,
 *   `listResources`: 1.
 * - `findClientRegistration`, `saveClientRegistration` (one `INSERT … ON CONFLICT`),
 *   `touchClientRegistration`: 1. `purgeUnusedClients`: a bounded SELECT of ids and a DELETE of
 *   those clients that checks again that they are unused.
 *
 * Raw SQL names the tables unqualified, so they must be on the connection's `search_path` (as they are
 * in the default `public` schema).
 */
export class PrismaStorage implements OAuthStorage {
  constructor(private readonly prisma: OAuthPrismaClient) {}

  /**
   * None of its own: Prisma cannot LISTEN. The application passes one as the `cacheInvalidation`
   * option (`postgresInvalidationChannel({ connectionString })`, `redisInvalidationChannel(redis)`).
   */
  cacheInvalidationChannel(): CacheInvalidationUnavailable {
    return {
      unavailable:
        'no notification channel through Prisma (it cannot LISTEN): pass cacheInvalidation: postgresInvalidationChannel({ connectionString }) or redisInvalidationChannel(redis)',
    };
  }

  findClient(id: string): Promise<ClientRecord | null> {
    return clients.findClient(this.prisma, id);
  }

  insertClient(client: ClientRecord): Promise<void> {
    return clients.insertClient(this.prisma, client);
  }

  updateClient(id: string, patch: ClientPatch, now: Date): Promise<ClientRecord | null> {
    return clients.updateClient(this.prisma, id, patch, now);
  }

  setClientSecretHash(id: string, secretHash: string | null, now: Date): Promise<boolean> {
    return clients.setClientSecretHash(this.prisma, id, secretHash, now);
  }

  listClients(): Promise<ClientRecord[]> {
    return clients.listClients(this.prisma);
  }

  deleteClient(id: string): Promise<boolean> {
    return clients.deleteClient(this.prisma, id);
  }

  upsertScopes(list: Array<{ name: string; description: string | null }>, now: Date): Promise<void> {
    return scopes.upsertScopes(this.prisma, list, now);
  }

  listScopes(): Promise<ScopeRecord[]> {
    return scopes.listScopes(this.prisma);
  }

  deleteScope(name: string): Promise<boolean> {
    return scopes.deleteScope(this.prisma, name);
  }

  findResources(ids: readonly string[]): Promise<ResourceRecord[]> {
    return resources.findResources(this.prisma, ids);
  }

  saveResource(resource: ResourceRecord): Promise<void> {
    return resources.saveResource(this.prisma, resource);
  }

  deleteResource(id: string): Promise<boolean> {
    return resources.deleteResource(this.prisma, id);
  }

  listResources(): Promise<ResourceRecord[]> {
    return resources.listResources(this.prisma);
  }

  findClientRegistration(clientId: string): Promise<ClientRegistrationRecord | null> {
    return registrations.findClientRegistration(this.prisma, clientId);
  }

  saveClientRegistration(registration: ClientRegistrationRecord): Promise<void> {
    return registrations.saveClientRegistration(this.prisma, registration);
  }

  touchClientRegistration(clientId: string, now: Date, before: Date): Promise<boolean> {
    return registrations.touchClientRegistration(this.prisma, clientId, now, before);
  }

  purgeUnusedClients(kind: ClientRegistrationKind, before: Date, limit: number): Promise<number> {
    return registrations.purgeUnusedClients(this.prisma, kind, before, limit);
  }

  insertTokens(records: readonly TokenRecord[]): Promise<void> {
    return tokens.insertTokens(this.prisma, records);
  }

  findAccessTokens(accessTokenHashes: readonly string[]): Promise<TokenLookup[]> {
    return tokens.findAccessTokens(this.prisma, accessTokenHashes);
  }

  findRefreshTokens(refreshTokenHashes: readonly string[]): Promise<TokenLookup[]> {
    return tokens.findRefreshTokens(this.prisma, refreshTokenHashes);
  }

  claimToken(id: string, now: Date): Promise<boolean> {
    return tokens.claimToken(this.prisma, id, now);
  }

  rotateTokens(rotations: readonly TokenRotation[]): Promise<boolean[]> {
    return tokens.rotateTokens(this.prisma, rotations);
  }

  revokeTokens(selector: TokenSelector, now: Date): Promise<number> {
    return tokens.revokeTokens(this.prisma, selector, now);
  }

  insertAuthorizationCode(code: AuthorizationCodeRecord): Promise<void> {
    return authorizationCodes.insertAuthorizationCode(this.prisma, code);
  }

  findAuthorizationCode(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    return authorizationCodes.findAuthorizationCode(this.prisma, codeHash);
  }

  consumeAuthorizationCode(id: string, now: Date): Promise<boolean> {
    return authorizationCodes.consumeAuthorizationCode(this.prisma, id, now);
  }

  insertUser(user: UserRecord): Promise<void> {
    return users.insertUser(this.prisma, user);
  }

  findUserByUsername(username: string): Promise<UserRecord | null> {
    return users.findUserByUsername(this.prisma, username);
  }

  findUserById(id: string): Promise<UserRecord | null> {
    return users.findUserById(this.prisma, id);
  }

  updateUserPassword(id: string, passwordHash: string, updatedAt: Date, replacing?: string): Promise<boolean> {
    return users.updateUserPassword(this.prisma, id, passwordHash, updatedAt, replacing);
  }

  deleteUser(id: string): Promise<boolean> {
    return users.deleteUser(this.prisma, id);
  }

  listUsers(): Promise<UserRecord[]> {
    return users.listUsers(this.prisma);
  }

  purgeExpiredBatch(now: Date, limit: number): Promise<{ tokens: number; codes: number }> {
    return purgeExpiredBatch(this.prisma, now, limit);
  }

  addToAttemptCounter(key: string, points: number, expiresAt: Date, restart: boolean, now: Date): Promise<AttemptCounter> {
    return attemptCounters.addToAttemptCounter(this.prisma, key, points, expiresAt, restart, now);
  }

  findAttemptCounter(key: string, now: Date): Promise<AttemptCounter | null> {
    return attemptCounters.findAttemptCounter(this.prisma, key, now);
  }

  deleteAttemptCounter(key: string): Promise<boolean> {
    return attemptCounters.deleteAttemptCounter(this.prisma, key);
  }

  purgeAttemptCounters(now: Date, limit: number): Promise<number> {
    return attemptCounters.purgeAttemptCounters(this.prisma, now, limit);
  }

  listSigningKeys(now: Date): Promise<SigningKeyRecord[]> {
    return signingKeys.listSigningKeys(this.prisma, now);
  }

  insertSigningKey(key: SigningKeyRecord): Promise<void> {
    return signingKeys.insertSigningKey(this.prisma, key);
  }

  retireSigningKeys(activatesBefore: Date, retiresAt: Date, expiresAt: Date): Promise<number> {
    return signingKeys.retireSigningKeys(this.prisma, activatesBefore, retiresAt, expiresAt);
  }

  retireSigningKeyById(id: string, retiresAt: Date, expiresAt: Date): Promise<boolean> {
    return signingKeys.retireSigningKeyById(this.prisma, id, retiresAt, expiresAt);
  }

  purgeSigningKeys(now: Date): Promise<number> {
    return signingKeys.purgeSigningKeys(this.prisma, now);
  }

  insertSession(session: SessionRecord): Promise<void> {
    return sessions.insertSession(this.prisma, session);
  }

  findSession(secretHash: string): Promise<SessionRecord | null> {
    return sessions.findSession(this.prisma, secretHash);
  }

  deleteSession(id: string): Promise<boolean> {
    return sessions.deleteSession(this.prisma, id);
  }

  deleteUserSessions(userId: string): Promise<number> {
    return sessions.deleteUserSessions(this.prisma, userId);
  }

  purgeSessions(now: Date): Promise<number> {
    return sessions.purgeSessions(this.prisma, now);
  }

  findConsentGrant(userId: string, clientId: string): Promise<ConsentGrantRecord | null> {
    return consentGrants.findConsentGrant(this.prisma, userId, clientId);
  }

  saveConsentGrant(grant: ConsentGrantRecord): Promise<void> {
    return consentGrants.saveConsentGrant(this.prisma, grant);
  }

  deleteConsentGrants(selector: ConsentGrantSelector): Promise<number> {
    return consentGrants.deleteConsentGrants(this.prisma, selector);
  }

  listConsentGrants(selector: Partial<{ userId: string; clientId: string }>): Promise<ConsentGrantRecord[]> {
    return consentGrants.listConsentGrants(this.prisma, selector);
  }

  consumeAuthorizationCodes(userId: string, clientId: string | undefined, now: Date): Promise<number> {
    return consentGrants.consumeAuthorizationCodes(this.prisma, userId, clientId, now);
  }
}
