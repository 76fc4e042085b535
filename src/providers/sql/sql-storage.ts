import type { CacheInvalidationChannel, CacheInvalidationUnavailable } from '../../core/index.js';
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
import { DuplicateError, UnknownScopeError, type OAuthStorage } from '../../core/index.js';
import { dialectFor } from './dialects/dialect-for.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import type { Row } from './rows/column-values.js';
import {
  decodeAttemptCounter,
  decodeAuthorizationCode,
  decodeClientRegistration,
  decodeClients,
  decodeConsentGrant,
  decodeResource,
  decodeScope,
  decodeSession,
  decodeSigningKey,
  decodeTokenLookup,
  decodeUser,
} from './rows/record-decoding.js';
import type { SQLInterface, SqlQueryResult } from './sql-interface.js';
import {
  DELETE_ATTEMPT_COUNTER,
  SELECT_ATTEMPT_COUNTER,
  SELECT_LIVE_ATTEMPT_COUNTER,
} from './statements/attempt-counters.js';
import {
  authorizationCodeValues,
  CONSUME_AUTHORIZATION_CODE,
  CONSUME_USER_AUTHORIZATION_CODES,
  CONSUME_USER_CLIENT_AUTHORIZATION_CODES,
  INSERT_AUTHORIZATION_CODE,
  SELECT_AUTHORIZATION_CODE,
} from './statements/authorization-codes.js';
import {
  DELETE_CLIENT,
  INSERT_CLIENT,
  PATCHABLE_COLUMNS,
  SELECT_ALL_CLIENTS,
  SELECT_CLIENT,
  SET_CLIENT_SECRET_HASH,
  deleteChildren,
  insertChildren,
  selectKnownScopes,
  spaceDelimitedColumn,
  updateClient,
  type ChildList,
} from './statements/clients.js';
import {
  consentGrantCondition,
  consentGrantValues,
  deleteConsentGrantsWhere,
  SELECT_CONSENT_GRANT,
  selectConsentGrantsWhere,
} from './statements/consent-grants.js';
import {
  clientRegistrationValues,
  SELECT_CLIENT_REGISTRATION,
  TOUCH_CLIENT_REGISTRATION,
} from './statements/client-registrations.js';
import { DELETE_RESOURCE, resourceValues, SELECT_ALL_RESOURCES, selectResourcesWhere } from './statements/resources.js';
import { DELETE_SCOPE, SELECT_SCOPES } from './statements/scopes.js';
import {
  DELETE_SESSION,
  DELETE_USER_SESSIONS,
  INSERT_SESSION,
  PURGE_SESSIONS,
  SELECT_SESSION_BY_SECRET_HASH,
  sessionValues,
} from './statements/sessions.js';
import {
  INSERT_SIGNING_KEY,
  PURGE_SIGNING_KEYS,
  RETIRE_SIGNING_KEY_BY_ID,
  RETIRE_SIGNING_KEYS,
  SELECT_PUBLISHED_SIGNING_KEYS,
  signingKeyValues,
} from './statements/signing-keys.js';
import {
  CLAIM_TOKEN,
  revokeTokensCountingWhere,
  revokeTokensWhere,
  ROTATE_TOKENS,
  selectTokensWhere,
  TOKEN_COLUMNS,
  tokenFilter,
  tokenValues,
} from './statements/tokens.js';
import {
  DELETE_USER,
  INSERT_USER,
  SELECT_ALL_USERS,
  SELECT_USER_BY_ID,
  SELECT_USER_BY_USERNAME,
  UPDATE_USER_PASSWORD,
  UPDATE_USER_PASSWORD_REPLACING,
  USERNAME_KEY,
} from './statements/users.js';

/**
 * Revocation statements in a row that may each find a matching token changed under them before
 * giving up loudly: each repeat needs a concurrent rotation that claimed first, so a few suffice.
 */
const MAX_REVOCATION_PASSES = 16;

type PatchableField = keyof typeof PATCHABLE_COLUMNS;
const PATCHABLE_FIELDS = Object.keys(PATCHABLE_COLUMNS) as PatchableField[];
const CHILD_LISTS: readonly ChildList[] = ['grants', 'redirectUris', 'scopes'];

/** Grants and scopes are sets: a repeated entry would violate the child table's primary key. */
const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/**
 * The storage port in raw, parameterised SQL over any {@link SQLInterface}, for PostgreSQL
 * (and PGlite) and MySQL/MariaDB. Every guarantee documented on {@link OAuthStorage} holds; the
 * round trips per method are: one statement for every lookup, insert, upsert, claim, delete and list
 * (`touchClientRegistration`, `purgeUnusedClients`, `saveConsentGrant`, `consumeAuthorizationCodes`
 * and every session method included); `rotateTokens` (PostgreSQL only: MySQL lacks it) one
 * statement for the whole batch; for `revokeTokens`, one statement, repeated on PostgreSQL while a concurrent rotation
 * changed a matching token first; a transaction for `insertClient` and `updateClient`; two
 * statements for `purgeExpiredBatch`; for `addToAttemptCounter`, one statement on PostgreSQL and a
 * transaction of two on MySQL.
 */
export class SqlStorage implements OAuthStorage {
  readonly #sql: SQLInterface;
  readonly #dialect: SqlDialect;

  /** The adapter's connection check, for `provider.check()`, when it has one. */
  readonly checkConnection?: () => Promise<void>;

  /**
   * Refresh-token rotations in one statement per batch, on PostgreSQL only. MySQL has no data-modifying
   * `WITH`: without this method the core stores the successor (in a batch with concurrent
   * issuances) and claims the old token after, the order in which a racing revocation either reads
   * the successor or makes the claim fail (docs/adr/0003).
   */
  readonly rotateTokens?: (rotations: readonly TokenRotation[]) => Promise<boolean[]>;

  constructor(sql: SQLInterface) {
    this.#sql = sql;
    this.#dialect = dialectFor(sql.dialect);
    if (typeof sql.checkConnection === 'function') this.checkConnection = () => sql.checkConnection!();
    if (this.#dialect.dataModifyingWith) this.rotateTokens = (rotations) => this.#rotateTokens(rotations);
  }

  /**
   * The adapter's cache-invalidation channel (LISTEN/NOTIFY for `pgPoolAdapter`, none needed for
   * PGlite, which one process holds); MySQL/MariaDB have no notification channel.
   */
  cacheInvalidationChannel(): CacheInvalidationChannel | CacheInvalidationUnavailable | null {
    if (typeof this.#sql.cacheInvalidationChannel === 'function') return this.#sql.cacheInvalidationChannel();
    if (this.#sql.dialect === 'mysql') return { unavailable: 'no notification channel on MySQL/MariaDB' };
    return { unavailable: 'the SQL adapter offers no notification channel (SQLInterface.cacheInvalidationChannel)' };
  }

  #run(db: SQLInterface, statement: string, params: readonly unknown[]): Promise<SqlQueryResult<Row>> {
    const bound = this.#dialect.bind(statement, params);
    return db.query<Row>(bound.sql, bound.params);
  }

  // ── Clients ────────────────────────────────────────────────────────────────────────────────

  async findClient(id: string): Promise<ClientRecord | null> {
    const { rows } = await this.#run(this.#sql, SELECT_CLIENT, [id]);
    // Exact comparison: MySQL's PAD SPACE collations also match `id` with trailing spaces.
    return decodeClients(rows).find((client) => client.id === id) ?? null;
  }

  async insertClient(client: ClientRecord): Promise<void> {
    try {
      await this.#sql.transaction(async (tx) => {
        try {
          await this.#run(tx, INSERT_CLIENT, [
            client.id,
            client.name,
            client.secretHash,
            client.accessTokenLifetime,
            client.refreshTokenLifetime,
            client.authorizationCodeLifetime,
            client.requirePkce,
            client.allowPlainPkce,
            spaceDelimitedColumn(client.defaultScopes),
            client.allowIntrospection,
            spaceDelimitedColumn(client.postLogoutRedirectUris),
            client.idTokenSignedResponseAlg,
            client.subjectType,
            client.sectorIdentifier,
            client.createdAt,
            client.updatedAt,
          ]);
        } catch (error) {
          if (this.#dialect.duplicateKey(error) !== null) throw new DuplicateError('client');
          throw error;
        }
        await this.#writeChildren(tx, client.id, client, false);
      });
    } catch (error) {
      throw await this.#asUnknownScope(error, client.scopes);
    }
  }

  async updateClient(id: string, patch: ClientPatch, now: Date): Promise<ClientRecord | null> {
    const fields = PATCHABLE_FIELDS.filter((field) => patch[field] !== undefined);
    try {
      return await this.#sql.transaction(async (tx) => {
        const update = updateClient(fields.map((field) => PATCHABLE_COLUMNS[field]));
        const values = fields.map((field) => {
          const value = patch[field];
          return field === 'defaultScopes' || field === 'postLogoutRedirectUris' ? spaceDelimitedColumn(value as string[]) : value;
        });
        const { rowCount } = await this.#run(tx, update, [id, ...values, now]);
        if (rowCount === 0) return null;
        await this.#writeChildren(tx, id, patch, true);
        const { rows } = await this.#run(tx, SELECT_CLIENT, [id]);
        return decodeClients(rows)[0] ?? null;
      });
    } catch (error) {
      throw await this.#asUnknownScope(error, patch.scopes ?? []);
    }
  }

  /** Writes the child lists present in `lists`; with `replace`, each one replaces the stored list whole. */
  async #writeChildren(
    tx: SQLInterface,
    clientId: string,
    lists: Partial<Pick<ClientRecord, ChildList>>,
    replace: boolean,
  ): Promise<void> {
    const childRows: Record<ChildList, unknown[][] | undefined> = {
      grants: lists.grants && unique(lists.grants).map((grant) => [clientId, grant]),
      // `position` keeps registration order: the list reads back as it was given.
      redirectUris: lists.redirectUris?.map((uri, position) => [clientId, position, uri]),
      scopes: lists.scopes && unique(lists.scopes).map((scope) => [clientId, scope]),
    };
    for (const list of CHILD_LISTS) {
      const rows = childRows[list];
      if (rows === undefined) continue;
      if (replace) await this.#run(tx, deleteChildren(list), [clientId]);
      if (rows.length > 0) await this.#run(tx, insertChildren(list, rows.length), rows.flat());
    }
  }

  /**
   * A foreign-key violation while writing a client can only come from a scope missing from the
   * catalogue; the transaction is rolled back by now, so the catalogue can be asked which.
   */
  async #asUnknownScope(error: unknown, scopes: readonly string[]): Promise<unknown> {
    if (!this.#dialect.isForeignKeyViolation(error) || scopes.length === 0) return error;
    const requested = unique(scopes);
    const { rows } = await this.#run(this.#sql, selectKnownScopes(requested.length), requested);
    const known = new Set(rows.map((row) => row.name));
    const missing = requested.filter((scope) => !known.has(scope));
    // Empty only if the scopes were created since; the write still failed, so name them all.
    return new UnknownScopeError(missing.length > 0 ? missing : requested);
  }

  async setClientSecretHash(id: string, secretHash: string | null, now: Date): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, SET_CLIENT_SECRET_HASH, [id, secretHash, now]);
    return rowCount > 0;
  }

  async listClients(): Promise<ClientRecord[]> {
    const { rows } = await this.#run(this.#sql, SELECT_ALL_CLIENTS, []);
    return decodeClients(rows);
  }

  async deleteClient(id: string): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, DELETE_CLIENT, [id]);
    return rowCount > 0;
  }

  // ── Scopes ─────────────────────────────────────────────────────────────────────────────────

  async upsertScopes(scopes: Array<{ name: string; description: string | null }>, now: Date): Promise<void> {
    // One statement may not touch a row twice (PostgreSQL refuses): the last entry for a name wins.
    const byName = new Map(scopes.map((scope) => [scope.name, scope.description]));
    if (byName.size === 0) return;
    const params = [...byName].flatMap(([name, description]) => [name, description, now]);
    await this.#run(this.#sql, this.#dialect.upsertScopes(byName.size), params);
  }

  async listScopes(): Promise<ScopeRecord[]> {
    const { rows } = await this.#run(this.#sql, SELECT_SCOPES, []);
    return rows.map(decodeScope);
  }

  async deleteScope(name: string): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, DELETE_SCOPE, [name]);
    return rowCount > 0;
  }

  // ── Resources ──────────────────────────────────────────────────────────────────────────────

  async findResources(ids: readonly string[]): Promise<ResourceRecord[]> {
    if (ids.length === 0) return [];
    const { condition, params } = this.#dialect.equalsAny('id', 'text', ids);
    const { rows } = await this.#run(this.#sql, selectResourcesWhere(condition), params);
    // Exact comparison: MySQL's PAD SPACE collations also match an id with trailing spaces.
    const wanted = new Set(ids);
    return rows.map(decodeResource).filter((resource) => wanted.has(resource.id));
  }

  async saveResource(resource: ResourceRecord): Promise<void> {
    await this.#run(this.#sql, this.#dialect.upsertResource, resourceValues(resource));
  }

  async deleteResource(id: string): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, DELETE_RESOURCE, [id]);
    return rowCount > 0;
  }

  async listResources(): Promise<ResourceRecord[]> {
    const { rows } = await this.#run(this.#sql, SELECT_ALL_RESOURCES, []);
    return rows.map(decodeResource);
  }

  // ── Client registrations (RFC 7591, Client ID Metadata Documents) ─────────────────────────

  async findClientRegistration(clientId: string): Promise<ClientRegistrationRecord | null> {
    const { rows } = await this.#run(this.#sql, SELECT_CLIENT_REGISTRATION, [clientId]);
    // Exact comparison: MySQL's PAD SPACE collations also match an id with trailing spaces.
    return rows.map(decodeClientRegistration).find((registration) => registration.clientId === clientId) ?? null;
  }

  async saveClientRegistration(registration: ClientRegistrationRecord): Promise<void> {
    await this.#run(this.#sql, this.#dialect.upsertClientRegistration, clientRegistrationValues(registration));
  }

  async touchClientRegistration(clientId: string, now: Date, before: Date): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, TOUCH_CLIENT_REGISTRATION, [clientId, now, before]);
    return rowCount > 0;
  }

  async purgeUnusedClients(kind: ClientRegistrationKind, before: Date, limit: number): Promise<number> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`purge limit must be a positive integer, got ${limit}`);
    const { rowCount } = await this.#run(this.#sql, this.#dialect.purgeUnusedClients, [kind, before, limit]);
    return rowCount;
  }

  // ── Tokens ─────────────────────────────────────────────────────────────────────────────────

  async insertTokens(tokens: readonly TokenRecord[]): Promise<void> {
    if (tokens.length === 0) return;
    const { sql, params } = this.#dialect.insertRows('oauth_tokens', TOKEN_COLUMNS, tokens.map(tokenValues));
    // Already in the driver's placeholder syntax: sent as is.
    await this.#afterDeadlocks(() => this.#sql.query(sql, params));
  }

  async findAccessTokens(accessTokenHashes: readonly string[]): Promise<TokenLookup[]> {
    if (accessTokenHashes.length === 0) return [];
    const { condition, params } = this.#dialect.equalsAny('t.access_token_hash', 'bpchar', accessTokenHashes);
    const { rows } = await this.#run(this.#sql, selectTokensWhere(condition), params);
    return rows.map(decodeTokenLookup);
  }

  async findRefreshTokens(refreshTokenHashes: readonly string[]): Promise<TokenLookup[]> {
    if (refreshTokenHashes.length === 0) return [];
    const { condition, params } = this.#dialect.equalsAny('t.refresh_token_hash', 'bpchar', refreshTokenHashes);
    const { rows } = await this.#run(this.#sql, selectTokensWhere(condition), params);
    return rows.map(decodeTokenLookup);
  }

  async claimToken(id: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.#afterDeadlocks(() => this.#run(this.#sql, CLAIM_TOKEN, [id, now]));
    return rowCount === 1;
  }

  async #rotateTokens(rotations: readonly TokenRotation[]): Promise<boolean[]> {
    if (rotations.length === 0) return [];
    // Joined twice, one row would be claimed once and both successors stored.
    if (new Set(rotations.map(({ rotates }) => rotates)).size !== rotations.length) throw new TypeError('rotateTokens: two rotations name one issuance');
    const rows = rotations.map(({ token }) => tokenValues(token));
    const params = [
      ...TOKEN_COLUMNS.map((_, column) => rows.map((row) => row[column])),
      rotations.map(({ rotates }) => rotates),
      rotations.map(({ now }) => now),
    ];
    // A deadlock's victim applied nothing: sent again, as a claim is.
    const { rows: stored } = await this.#afterDeadlocks(() => this.#run(this.#sql, ROTATE_TOKENS, params));
    const ids = new Set(stored.map((row) => String(row['id'])));
    return rotations.map(({ token }) => ids.has(token.id));
  }

  async revokeTokens(selector: TokenSelector, now: Date): Promise<number> {
    const filter = tokenFilter(selector);
    if (!filter) {
      throw new TypeError('a token selector sets exactly one of familyId, clientId, userId, authorizationCodeId, or userId and clientId together');
    }
    const params = [...filter.values, now];
    if (!this.#dialect.dataModifyingWith) {
      // InnoDB's UPDATE reads the newest committed rows and, under REPEATABLE READ, locks the gaps
      // it scans: a successor is either read or inserted after this commits (docs/adr/0003).
      const { rowCount } = await this.#revoking(revokeTokensWhere(filter), params);
      return rowCount;
    }
    // PostgreSQL's UPDATE sees one snapshot: a row a concurrent rotation claimed first is skipped,
    // and its successor, committed with the claim, was not in the snapshot. Repeating until no
    // matching row was skipped reaches it (docs/adr/0003).
    let total = 0;
    for (let pass = 1; ; pass += 1) {
      const { rows } = await this.#revoking(revokeTokensCountingWhere(filter), params);
      const revoked = Number(rows[0]?.['revoked'] ?? 0);
      total += revoked;
      if (revoked >= Number(rows[0]?.['seen'] ?? 0)) return total;
      if (pass === MAX_REVOCATION_PASSES) {
        throw new Error(`revokeTokens: tokens matching ${filter.keys} kept changing under ${pass} revocations in a row; some may still be usable`);
      }
    }
  }

  /** A revocation statement, outside any transaction: {@link #afterDeadlocks}. */
  #revoking(statement: string, params: readonly unknown[]): Promise<SqlQueryResult<Row>> {
    return this.#afterDeadlocks(() => this.#run(this.#sql, statement, params));
  }

  /**
   * One statement of its own (autocommit), sent again when the database ended it as a deadlock's
   * victim. A revocation's locks can cross those of concurrent rotations (InnoDB locks the index
   * entries an UPDATE scans, and a claim or an insert locks the same rows in another order); the
   * victim applied nothing, and each such write is idempotent or a compare-and-set.
   */
  async #afterDeadlocks<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await send();
      } catch (error) {
        if (attempt === MAX_REVOCATION_PASSES || !this.#dialect.isDeadlock(error)) throw error;
      }
    }
  }

  // ── Authorization codes ────────────────────────────────────────────────────────────────────

  async insertAuthorizationCode(code: AuthorizationCodeRecord): Promise<void> {
    await this.#run(this.#sql, INSERT_AUTHORIZATION_CODE, authorizationCodeValues(code));
  }

  async findAuthorizationCode(codeHash: string): Promise<AuthorizationCodeRecord | null> {
    const { rows } = await this.#run(this.#sql, SELECT_AUTHORIZATION_CODE, [codeHash]);
    return rows[0] ? decodeAuthorizationCode(rows[0]) : null;
  }

  async consumeAuthorizationCode(id: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, CONSUME_AUTHORIZATION_CODE, [id, now]);
    return rowCount === 1;
  }

  // ── Users ──────────────────────────────────────────────────────────────────────────────────

  async insertUser(user: UserRecord): Promise<void> {
    try {
      await this.#run(this.#sql, INSERT_USER, [user.id, user.username, user.passwordHash, user.createdAt, user.updatedAt]);
    } catch (error) {
      const key = this.#dialect.duplicateKey(error);
      if (key === null) throw error;
      throw new DuplicateError(key === USERNAME_KEY ? 'username' : 'user');
    }
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const { rows } = await this.#run(this.#sql, SELECT_USER_BY_USERNAME, [username]);
    const user = rows[0] ? decodeUser(rows[0]) : null;
    // Exact comparison: MySQL's PAD SPACE collations also match `username` with trailing spaces.
    return user?.username === username ? user : null;
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const { rows } = await this.#run(this.#sql, SELECT_USER_BY_ID, [id]);
    const user = rows[0] ? decodeUser(rows[0]) : null;
    return user?.id === id ? user : null;
  }

  async updateUserPassword(id: string, passwordHash: string, updatedAt: Date, replacing?: string): Promise<boolean> {
    const { rowCount } = await (replacing === undefined
      ? this.#run(this.#sql, UPDATE_USER_PASSWORD, [id, passwordHash, updatedAt])
      : this.#run(this.#sql, UPDATE_USER_PASSWORD_REPLACING, [id, passwordHash, updatedAt, replacing]));
    return rowCount > 0;
  }

  async deleteUser(id: string): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, DELETE_USER, [id]);
    return rowCount > 0;
  }

  async listUsers(): Promise<UserRecord[]> {
    const { rows } = await this.#run(this.#sql, SELECT_ALL_USERS, []);
    return rows.map(decodeUser);
  }

  // ── Attempt counters ───────────────────────────────────────────────────────────────────────

  async addToAttemptCounter(key: string, points: number, expiresAt: Date, restart: boolean, now: Date): Promise<AttemptCounter> {
    const add = this.#dialect.addToAttemptCounter;
    const params = [key, points, expiresAt, now, restart];
    const { rows } = add.returnsCounter
      ? await this.#run(this.#sql, add.sql, params)
      : await this.#sql.transaction(async (tx) => {
          await this.#run(tx, add.sql, params);
          return this.#run(tx, SELECT_ATTEMPT_COUNTER, [key]);
        });
    if (!rows[0]) throw new Error('the attempt counter was not there after it was written');
    return decodeAttemptCounter(rows[0]);
  }

  async findAttemptCounter(key: string, now: Date): Promise<AttemptCounter | null> {
    const { rows } = await this.#run(this.#sql, SELECT_LIVE_ATTEMPT_COUNTER, [key, now]);
    return rows[0] ? decodeAttemptCounter(rows[0]) : null;
  }

  async deleteAttemptCounter(key: string): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, DELETE_ATTEMPT_COUNTER, [key]);
    return rowCount > 0;
  }

  async purgeAttemptCounters(now: Date, limit: number): Promise<number> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`purge limit must be a positive integer, got ${limit}`);
    const { rowCount } = await this.#run(this.#sql, this.#dialect.purgeExpiredAttemptCounters, [now, limit]);
    return rowCount;
  }

  // ── Signing keys (RFC 9068 JWT access tokens) ──────────────────────────────────────────────

  async listSigningKeys(now: Date): Promise<SigningKeyRecord[]> {
    const { rows } = await this.#run(this.#sql, SELECT_PUBLISHED_SIGNING_KEYS, [now]);
    return rows.map(decodeSigningKey);
  }

  async insertSigningKey(key: SigningKeyRecord): Promise<void> {
    try {
      await this.#run(this.#sql, INSERT_SIGNING_KEY, signingKeyValues(key));
    } catch (error) {
      if (this.#dialect.duplicateKey(error) !== null) throw new DuplicateError('signing key');
      throw error;
    }
  }

  async retireSigningKeys(activatesBefore: Date, retiresAt: Date, expiresAt: Date): Promise<number> {
    const { rowCount } = await this.#run(this.#sql, RETIRE_SIGNING_KEYS, [activatesBefore, retiresAt, expiresAt]);
    return rowCount;
  }

  async retireSigningKeyById(id: string, retiresAt: Date, expiresAt: Date): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, RETIRE_SIGNING_KEY_BY_ID, [id, retiresAt, expiresAt]);
    return rowCount === 1;
  }

  async purgeSigningKeys(now: Date): Promise<number> {
    const { rowCount } = await this.#run(this.#sql, PURGE_SIGNING_KEYS, [now]);
    return rowCount;
  }

  // ── Sessions (OIDC Core §3.1.2.3) ──────────────────────────────────────────────────────────

  async insertSession(session: SessionRecord): Promise<void> {
    try {
      await this.#run(this.#sql, INSERT_SESSION, sessionValues(session));
    } catch (error) {
      if (this.#dialect.duplicateKey(error) !== null) throw new DuplicateError('session');
      throw error;
    }
  }

  async findSession(secretHash: string): Promise<SessionRecord | null> {
    const { rows } = await this.#run(this.#sql, SELECT_SESSION_BY_SECRET_HASH, [secretHash]);
    // Exact comparison: MySQL's PAD SPACE collations also match a digest with trailing spaces.
    return rows.map(decodeSession).find((session) => session.secretHash === secretHash) ?? null;
  }

  async deleteSession(id: string): Promise<boolean> {
    const { rowCount } = await this.#run(this.#sql, DELETE_SESSION, [id]);
    return rowCount > 0;
  }

  async deleteUserSessions(userId: string): Promise<number> {
    const { rowCount } = await this.#run(this.#sql, DELETE_USER_SESSIONS, [userId]);
    return rowCount;
  }

  async purgeSessions(now: Date): Promise<number> {
    const { rowCount } = await this.#run(this.#sql, PURGE_SESSIONS, [now]);
    return rowCount;
  }

  // ── Consent grants (OIDC Core §3.1.2.4) ────────────────────────────────────────────────────

  async findConsentGrant(userId: string, clientId: string): Promise<ConsentGrantRecord | null> {
    const { rows } = await this.#run(this.#sql, SELECT_CONSENT_GRANT, [userId, clientId]);
    // Exact comparison: MySQL's PAD SPACE collations also match ids with trailing spaces.
    return rows.map(decodeConsentGrant).find((grant) => grant.userId === userId && grant.clientId === clientId) ?? null;
  }

  async saveConsentGrant(grant: ConsentGrantRecord): Promise<void> {
    await this.#run(this.#sql, this.#dialect.upsertConsentGrant, consentGrantValues(grant));
  }

  async deleteConsentGrants(selector: ConsentGrantSelector): Promise<number> {
    const { condition, values } = consentGrantCondition(selector);
    // A selector naming nothing would delete every grant: refused, as the type does.
    if (values.length === 0) throw new TypeError('a consent-grant selector names a userId, a clientId, or both');
    const { rowCount } = await this.#run(this.#sql, deleteConsentGrantsWhere(condition), values);
    return rowCount;
  }

  async listConsentGrants(selector: Partial<{ userId: string; clientId: string }>): Promise<ConsentGrantRecord[]> {
    const { condition, values } = consentGrantCondition(selector);
    const { rows } = await this.#run(this.#sql, selectConsentGrantsWhere(condition), values);
    return rows.map(decodeConsentGrant);
  }

  async consumeAuthorizationCodes(userId: string, clientId: string | undefined, now: Date): Promise<number> {
    const { rowCount } =
      clientId === undefined
        ? await this.#run(this.#sql, CONSUME_USER_AUTHORIZATION_CODES, [userId, now])
        : await this.#run(this.#sql, CONSUME_USER_CLIENT_AUTHORIZATION_CODES, [userId, now, clientId]);
    return rowCount;
  }

  // ── Housekeeping ───────────────────────────────────────────────────────────────────────────

  async purgeExpiredBatch(now: Date, limit: number): Promise<{ tokens: number; codes: number }> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`purge limit must be a positive integer, got ${limit}`);
    const tokens = await this.#run(this.#sql, this.#dialect.purgeExpiredTokens, [now, limit]);
    const codes = await this.#run(this.#sql, this.#dialect.purgeExpiredCodes, [now, limit]);
    return { tokens: tokens.rowCount, codes: codes.rowCount };
  }
}
