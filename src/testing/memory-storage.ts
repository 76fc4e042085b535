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
  SessionRecord,
  ScopeRecord,
  SigningKeyRecord,
  TokenLookup,
  TokenRecord,
  TokenSelector,
  UserRecord,
} from '../core/index.js';
import { DuplicateError, UnknownScopeError, type OAuthStorage } from '../core/index.js';

/**
 * An in-memory {@link OAuthStorage}: the reference implementation of the storage port, for unit
 * tests of applications built on oauth2-kit and as the executable reading of the port's contract.
 *
 * It keeps the port's promises honestly: every method completes its change before its first
 * `await` (so it is atomic with respect to other calls), `claimToken`/`consumeAuthorizationCode`
 * are compare-and-set, unique keys are enforced, and records are copied in and out so that callers
 * can never mutate what is stored.
 */
export class MemoryStorage implements OAuthStorage {
  readonly #clients = new Map<string, ClientRecord>();
  readonly #scopes = new Map<string, ScopeRecord>();
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #codes = new Map<string, AuthorizationCodeRecord>();
  readonly #users = new Map<string, UserRecord>();
  readonly #attemptCounters = new Map<string, AttemptCounter>();
  readonly #signingKeys = new Map<string, SigningKeyRecord>();
  readonly #resources = new Map<string, ResourceRecord>();
  readonly #registrations = new Map<string, ClientRegistrationRecord>();
  readonly #sessions = new Map<string, SessionRecord>();
  /** Keyed by user id and client id, NUL-separated (neither can hold a NUL). */
  readonly #consentGrants = new Map<string, ConsentGrantRecord>();

  /** Every value of every stored row, as strings: for "no usable credential at rest" checks. */
  dumpAllRows(): string[] {
    const rows: object[] = [
      ...this.#clients.values(),
      ...this.#scopes.values(),
      ...this.#tokens.values(),
      ...this.#codes.values(),
      ...this.#users.values(),
      ...this.#attemptCounters.values(),
      ...this.#signingKeys.values(),
      ...this.#resources.values(),
      ...this.#registrations.values(),
      ...this.#sessions.values(),
      ...this.#consentGrants.values(),
    ];
    return rows.flatMap((row) => Object.values(row).flatMap((value) => (Array.isArray(value) ? value : [value]))).map(String);
  }

  // ── Clients ──────────────────────────────────────────────────────────────────────────────

  async findClient(id: string): Promise<ClientRecord | null> {
    return copy(this.#clients.get(id) ?? null);
  }

  async insertClient(client: ClientRecord): Promise<void> {
    if (this.#clients.has(client.id)) throw new DuplicateError('client');
    this.#assertKnownScopes(client.scopes);
    this.#clients.set(client.id, copy(client));
  }

  async updateClient(id: string, patch: ClientPatch, now: Date): Promise<ClientRecord | null> {
    const current = this.#clients.get(id);
    if (!current) return null;
    if (patch.scopes) this.#assertKnownScopes(patch.scopes);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const updated: ClientRecord = { ...current, ...copy(defined), updatedAt: new Date(now) };
    this.#clients.set(id, updated);
    return copy(updated);
  }

  async setClientSecretHash(id: string, secretHash: string | null, now: Date): Promise<boolean> {
    const current = this.#clients.get(id);
    if (!current) return false;
    this.#clients.set(id, { ...current, secretHash, updatedAt: new Date(now) });
    return true;
  }

  async listClients(): Promise<ClientRecord[]> {
    return [...this.#clients.values()].sort((a, b) => compare(a.id, b.id)).map(copy);
  }

  async deleteClient(id: string): Promise<boolean> {
    return this.#deleteClient(id);
  }

  /** The client with its registration, tokens and codes, as ON DELETE CASCADE removes them. */
  #deleteClient(id: string): boolean {
    if (!this.#clients.delete(id)) return false;
    this.#registrations.delete(id);
    for (const [key, grant] of this.#consentGrants) if (grant.clientId === id) this.#consentGrants.delete(key);
    for (const [key, token] of this.#tokens) if (token.clientId === id) this.#tokens.delete(key);
    for (const [key, code] of this.#codes) if (code.clientId === id) this.#codes.delete(key);
    return true;
  }

  // ── Scopes ───────────────────────────────────────────────────────────────────────────────

  async upsertScopes(scopes: Array<{ name: string; description: string | null }>, now: Date): Promise<void> {
    for (const { name, description } of scopes) {
      const existing = this.#scopes.get(name);
      this.#scopes.set(name, { name, description, createdAt: existing?.createdAt ?? new Date(now) });
    }
  }

  async listScopes(): Promise<ScopeRecord[]> {
    return [...this.#scopes.values()].sort((a, b) => compare(a.name, b.name)).map(copy);
  }

  async deleteScope(name: string): Promise<boolean> {
    if (!this.#scopes.delete(name)) return false;
    for (const [id, client] of this.#clients) {
      if (client.scopes.includes(name)) this.#clients.set(id, { ...client, scopes: client.scopes.filter((s) => s !== name) });
    }
    return true;
  }

  // ── Resources ────────────────────────────────────────────────────────────────────────────

  async findResources(ids: readonly string[]): Promise<ResourceRecord[]> {
    return [...new Set(ids)].flatMap((id) => {
      const resource = this.#resources.get(id);
      return resource === undefined ? [] : [copy(resource)];
    });
  }

  async saveResource(resource: ResourceRecord): Promise<void> {
    const existing = this.#resources.get(resource.id);
    this.#resources.set(resource.id, { ...copy(resource), createdAt: new Date(existing?.createdAt ?? resource.createdAt) });
  }

  async deleteResource(id: string): Promise<boolean> {
    return this.#resources.delete(id);
  }

  async listResources(): Promise<ResourceRecord[]> {
    return [...this.#resources.values()].sort((a, b) => compare(a.id, b.id)).map(copy);
  }

  // ── Client registrations ─────────────────────────────────────────────────────────────────

  async findClientRegistration(clientId: string): Promise<ClientRegistrationRecord | null> {
    return copy(this.#registrations.get(clientId) ?? null);
  }

  async saveClientRegistration(registration: ClientRegistrationRecord): Promise<void> {
    if (!this.#clients.has(registration.clientId)) throw new Error('foreign key violation: oauth_client_registrations.client_id');
    const existing = this.#registrations.get(registration.clientId);
    const lastUses = [existing?.lastUsedAt, registration.lastUsedAt].filter((used): used is Date => used instanceof Date);
    this.#registrations.set(registration.clientId, {
      ...copy(registration),
      lastUsedAt: lastUses.length === 0 ? null : new Date(Math.max(...lastUses.map((used) => used.getTime()))),
      createdAt: new Date(existing?.createdAt ?? registration.createdAt),
    });
  }

  async touchClientRegistration(clientId: string, now: Date, before: Date): Promise<boolean> {
    const registration = this.#registrations.get(clientId);
    if (!registration || (registration.lastUsedAt !== null && registration.lastUsedAt >= before)) return false;
    this.#registrations.set(clientId, { ...registration, lastUsedAt: new Date(now) });
    return true;
  }

  async purgeUnusedClients(kind: ClientRegistrationKind, before: Date, limit: number): Promise<number> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`purge limit must be a positive integer, got ${limit}`);
    const unused = [...this.#registrations.values()]
      .filter((registration) => registration.kind === kind && (registration.lastUsedAt ?? registration.createdAt) < before)
      .slice(0, limit);
    for (const registration of unused) this.#deleteClient(registration.clientId);
    return unused.length;
  }

  // ── Tokens ───────────────────────────────────────────────────────────────────────────────

  #insertToken(token: TokenRecord): void {
    if (!this.#clients.has(token.clientId)) throw new Error('foreign key violation: oauth_tokens.client_id');
    for (const existing of this.#tokens.values()) {
      if (
        existing.id === token.id ||
        existing.accessTokenHash === token.accessTokenHash ||
        (token.refreshTokenHash !== null && existing.refreshTokenHash === token.refreshTokenHash)
      ) {
        throw new Error('unique violation: oauth_tokens');
      }
    }
    this.#tokens.set(token.id, copy(token));
  }

  async insertTokens(tokens: readonly TokenRecord[]): Promise<void> {
    // All or nothing, and at one moment, as one INSERT is: no await until every row is in or out.
    const inserted: string[] = [];
    try {
      for (const token of tokens) {
        this.#insertToken(token);
        inserted.push(token.id);
      }
    } catch (error) {
      for (const id of inserted) this.#tokens.delete(id);
      throw error;
    }
  }

  async findAccessTokens(accessTokenHashes: readonly string[]): Promise<TokenLookup[]> {
    const wanted = new Set(accessTokenHashes);
    const found: TokenLookup[] = [];
    for (const token of this.#tokens.values()) if (wanted.has(token.accessTokenHash)) found.push(this.#join(token));
    return found;
  }

  async findRefreshTokens(refreshTokenHashes: readonly string[]): Promise<TokenLookup[]> {
    const wanted = new Set(refreshTokenHashes);
    const found: TokenLookup[] = [];
    for (const token of this.#tokens.values()) if (token.refreshTokenHash !== null && wanted.has(token.refreshTokenHash)) found.push(this.#join(token));
    return found;
  }

  async claimToken(id: string, now: Date): Promise<boolean> {
    const token = this.#tokens.get(id);
    if (!token || token.revokedAt !== null) return false;
    this.#tokens.set(id, { ...token, revokedAt: new Date(now) });
    return true;
  }

  async revokeTokens(selector: TokenSelector, now: Date): Promise<number> {
    const entries = Object.entries(selector) as Array<[keyof TokenRecord, string]>;
    let revoked = 0;
    for (const [id, token] of this.#tokens) {
      if (entries.every(([key, value]) => token[key] === value) && token.revokedAt === null) {
        this.#tokens.set(id, { ...token, revokedAt: new Date(now) });
        revoked += 1;
      }
    }
    return revoked;
  }

  // ── Authorization codes ──────────────────────────────────────────────────────────────────

  async insertAuthorizationCode(code: AuthorizationCodeRecord): Promise<void> {
    if (!this.#clients.has(code.clientId)) throw new Error('foreign key violation: oauth_authorization_codes.client_id');
    for (const existing of this.#codes.values()) {
      if (existing.id === code.id || existing.codeHash === code.codeHash) throw new Error('unique violation: oauth_authorization_codes');
    }
    this.#codes.set(code.id, copy(code));
  }

  async findAuthorizationCode(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    for (const code of this.#codes.values()) if (code.codeHash === codeHash) return copy(code);
    return null;
  }

  async consumeAuthorizationCode(id: string, now: Date): Promise<boolean> {
    const code = this.#codes.get(id);
    if (!code || code.consumedAt !== null) return false;
    this.#codes.set(id, { ...code, consumedAt: new Date(now) });
    return true;
  }

  // ── Users ────────────────────────────────────────────────────────────────────────────────

  async insertUser(user: UserRecord): Promise<void> {
    if (this.#users.has(user.id)) throw new DuplicateError('user');
    for (const existing of this.#users.values()) if (existing.username === user.username) throw new DuplicateError('username');
    this.#users.set(user.id, copy(user));
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    for (const user of this.#users.values()) if (user.username === username) return copy(user);
    return null;
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    return copy(this.#users.get(id) ?? null);
  }

  async updateUserPassword(id: string, passwordHash: string, updatedAt: Date, replacing?: string): Promise<boolean> {
    const user = this.#users.get(id);
    if (!user || (replacing !== undefined && user.passwordHash !== replacing)) return false;
    this.#users.set(id, { ...user, passwordHash, updatedAt: new Date(updatedAt) });
    return true;
  }

  async deleteUser(id: string): Promise<boolean> {
    return this.#users.delete(id);
  }

  async listUsers(): Promise<UserRecord[]> {
    return [...this.#users.values()].sort((a, b) => compare(a.username, b.username)).map(copy);
  }

  // ── Attempt counters ─────────────────────────────────────────────────────────────────────

  async addToAttemptCounter(key: string, points: number, expiresAt: Date, restart: boolean, now: Date): Promise<AttemptCounter> {
    const current = this.#attemptCounters.get(key);
    const counter =
      current === undefined || current.expiresAt.getTime() <= now.getTime() || restart
        ? { points, expiresAt: new Date(expiresAt) }
        : { points: current.points + points, expiresAt: current.expiresAt };
    this.#attemptCounters.set(key, counter);
    return copy(counter);
  }

  async findAttemptCounter(key: string, now: Date): Promise<AttemptCounter | null> {
    const counter = this.#attemptCounters.get(key);
    return counter !== undefined && counter.expiresAt.getTime() > now.getTime() ? copy(counter) : null;
  }

  async deleteAttemptCounter(key: string): Promise<boolean> {
    return this.#attemptCounters.delete(key);
  }

  async purgeAttemptCounters(now: Date, limit: number): Promise<number> {
    const expired = [...this.#attemptCounters]
      .filter(([, counter]) => counter.expiresAt < now)
      .sort(([, a], [, b]) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit);
    for (const [key] of expired) this.#attemptCounters.delete(key);
    return expired.length;
  }

  // ── Signing keys ─────────────────────────────────────────────────────────────────────────

  async listSigningKeys(now: Date): Promise<SigningKeyRecord[]> {
    return [...this.#signingKeys.values()]
      .filter((key) => key.expiresAt === null || key.expiresAt > now)
      .sort((a, b) => a.activatesAt.getTime() - b.activatesAt.getTime() || compare(a.id, b.id))
      .map(copy);
  }

  async insertSigningKey(key: SigningKeyRecord): Promise<void> {
    if (this.#signingKeys.has(key.id)) throw new DuplicateError('signing key');
    this.#signingKeys.set(key.id, copy(key));
  }

  async retireSigningKeys(activatesBefore: Date, retiresAt: Date, expiresAt: Date): Promise<number> {
    let retired = 0;
    for (const [id, key] of this.#signingKeys) {
      if (key.activatesAt < activatesBefore && key.retiresAt === null) {
        this.#signingKeys.set(id, { ...key, retiresAt: new Date(retiresAt), expiresAt: new Date(expiresAt) });
        retired += 1;
      }
    }
    return retired;
  }

  async retireSigningKeyById(id: string, retiresAt: Date, expiresAt: Date): Promise<boolean> {
    const key = this.#signingKeys.get(id);
    if (key === undefined || key.retiresAt !== null) return false;
    this.#signingKeys.set(id, { ...key, retiresAt: new Date(retiresAt), expiresAt: new Date(expiresAt) });
    return true;
  }

  async purgeSigningKeys(now: Date): Promise<number> {
    let purged = 0;
    for (const [id, key] of this.#signingKeys) {
      if (key.expiresAt !== null && key.expiresAt < now) {
        this.#signingKeys.delete(id);
        purged += 1;
      }
    }
    return purged;
  }

  // ── Sessions ─────────────────────────────────────────────────────────────────────────────

  async insertSession(session: SessionRecord): Promise<void> {
    for (const existing of this.#sessions.values()) {
      if (existing.id === session.id || existing.secretHash === session.secretHash) throw new DuplicateError('session');
    }
    this.#sessions.set(session.id, copy(session));
  }

  async findSession(secretHash: string): Promise<SessionRecord | null> {
    for (const session of this.#sessions.values()) if (session.secretHash === secretHash) return copy(session);
    return null;
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.#sessions.delete(id);
  }

  async deleteUserSessions(userId: string): Promise<number> {
    let deleted = 0;
    for (const [id, session] of this.#sessions) {
      if (session.userId === userId) {
        this.#sessions.delete(id);
        deleted += 1;
      }
    }
    return deleted;
  }

  async purgeSessions(now: Date): Promise<number> {
    let purged = 0;
    for (const [id, session] of this.#sessions) {
      if (session.expiresAt < now) {
        this.#sessions.delete(id);
        purged += 1;
      }
    }
    return purged;
  }

  // ── Consent grants ───────────────────────────────────────────────────────────────────────

  async findConsentGrant(userId: string, clientId: string): Promise<ConsentGrantRecord | null> {
    return copy(this.#consentGrants.get(grantKey(userId, clientId)) ?? null);
  }

  async saveConsentGrant(grant: ConsentGrantRecord): Promise<void> {
    if (!this.#clients.has(grant.clientId)) throw new Error('foreign key violation: oauth_consent_grants.client_id');
    const key = grantKey(grant.userId, grant.clientId);
    const existing = this.#consentGrants.get(key);
    this.#consentGrants.set(key, copy(existing === undefined ? grant : { ...grant, createdAt: existing.createdAt }));
  }

  async deleteConsentGrants(selector: ConsentGrantSelector): Promise<number> {
    let deleted = 0;
    for (const grant of this.#matchingGrants(selector)) {
      this.#consentGrants.delete(grantKey(grant.userId, grant.clientId));
      deleted += 1;
    }
    return deleted;
  }

  async listConsentGrants(selector: Partial<{ userId: string; clientId: string }>): Promise<ConsentGrantRecord[]> {
    return this.#matchingGrants(selector)
      .sort((a, b) => compare(a.userId, b.userId) || compare(a.clientId, b.clientId))
      .map(copy);
  }

  async consumeAuthorizationCodes(userId: string, clientId: string | undefined, now: Date): Promise<number> {
    let consumed = 0;
    for (const [id, code] of this.#codes) {
      if (code.userId !== userId || (clientId !== undefined && code.clientId !== clientId)) continue;
      if (code.consumedAt !== null || code.expiresAt <= now) continue;
      this.#codes.set(id, { ...code, consumedAt: new Date(now) });
      consumed += 1;
    }
    return consumed;
  }

  #matchingGrants(selector: Partial<{ userId: string; clientId: string }>): ConsentGrantRecord[] {
    return [...this.#consentGrants.values()].filter(
      (grant) => (selector.userId === undefined || grant.userId === selector.userId) && (selector.clientId === undefined || grant.clientId === selector.clientId),
    );
  }

  // ── Housekeeping ─────────────────────────────────────────────────────────────────────────

  async purgeExpiredBatch(now: Date, limit: number): Promise<{ tokens: number; codes: number }> {
    const oldest = <T extends { id: string; expiresAt: Date }>(rows: Map<string, T>) =>
      [...rows.values()]
        .filter((row) => row.expiresAt < now)
        .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
        .slice(0, limit);
    const tokens = oldest(this.#tokens);
    const codes = oldest(this.#codes);
    for (const token of tokens) this.#tokens.delete(token.id);
    for (const code of codes) this.#codes.delete(code.id);
    return { tokens: tokens.length, codes: codes.length };
  }

  #assertKnownScopes(scopes: readonly string[]): void {
    const unknown = scopes.filter((scope) => !this.#scopes.has(scope));
    if (unknown.length > 0) throw new UnknownScopeError(unknown);
  }

  #join(token: TokenRecord): TokenLookup {
    const client = this.#clients.get(token.clientId);
    const user = token.userId === null ? undefined : this.#users.get(token.userId);
    return { ...copy(token), clientName: client?.name ?? '', username: user?.username ?? null };
  }
}

function grantKey(userId: string, clientId: string): string {
  return `${userId}\u0000${clientId}`;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
