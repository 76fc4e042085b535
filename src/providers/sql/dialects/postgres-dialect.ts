import { anyOfBoundArray } from '../../planned-once-arrays.js';
import { UNUSED_REGISTRATION } from '../statements/client-registrations.js';
import { valuesList } from '../statements/placeholders.js';
import { errorField, type SqlDialect } from './sql-dialect.js';

// SQLSTATE codes (PostgreSQL Appendix A, class 23: integrity constraint violation).
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const DEADLOCK_DETECTED = '40P01';

// PostgreSQL has no DELETE … LIMIT: the batch is chosen by a subquery. SKIP LOCKED lets concurrent
// purgers (several app instances) take disjoint batches instead of queueing on each other's rows.
const purge = (table: string) =>
  `DELETE FROM ${table} WHERE id IN (` +
  `SELECT id FROM ${table} WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`;

/** PostgreSQL and PGlite. */
export const postgresDialect: SqlDialect = {
  name: 'postgres',

  bind: (sql, params) => ({ sql, params: [...params] }),

  upsertScopes: (rows) =>
    `INSERT INTO oauth_scopes (name, description, created_at) VALUES ${valuesList(rows, 3)} ` +
    'ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description',

  upsertResource:
    'INSERT INTO oauth_resources (id, name, scope, access_token_lifetime, token_format, created_at, updated_at) ' +
    'VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, scope = EXCLUDED.scope, ' +
    'access_token_lifetime = EXCLUDED.access_token_lifetime, token_format = EXCLUDED.token_format, updated_at = EXCLUDED.updated_at',

  // GREATEST skips NULLs on PostgreSQL: the later last use is kept, a null one never clears it.
  upsertClientRegistration:
    'INSERT INTO oauth_client_registrations (client_id, kind, access_token_hash, metadata, last_used_at, created_at, updated_at) ' +
    'VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (client_id) DO UPDATE SET kind = EXCLUDED.kind, ' +
    'access_token_hash = EXCLUDED.access_token_hash, metadata = EXCLUDED.metadata, ' +
    'last_used_at = GREATEST(oauth_client_registrations.last_used_at, EXCLUDED.last_used_at), updated_at = EXCLUDED.updated_at',

  upsertConsentGrant:
    'INSERT INTO oauth_consent_grants (user_id, client_id, scope, audience, created_at, updated_at) ' +
    'VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, client_id) DO UPDATE SET scope = EXCLUDED.scope, ' +
    'audience = EXCLUDED.audience, updated_at = EXCLUDED.updated_at',

  // SKIP LOCKED, as for the expired rows: concurrent purgers take disjoint batches.
  purgeUnusedClients:
    'DELETE FROM oauth_clients WHERE id IN (' +
    `SELECT client_id FROM oauth_client_registrations WHERE ${UNUSED_REGISTRATION} LIMIT $3 FOR UPDATE SKIP LOCKED)`,

  equalsAny: (column, type, values) => ({ condition: anyOfBoundArray(column, '$1', type), params: [[...values]] }),

  insertRows: (table, columns, rows) => ({
    sql:
      `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) ` +
      `SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`,
    params: columns.map((_, column) => rows.map((row) => row[column])),
  }),

  dataModifyingWith: true,

  purgeExpiredTokens: purge('oauth_tokens'),
  purgeExpiredCodes: purge('oauth_authorization_codes'),

  // One statement: the row lock of ON CONFLICT serialises concurrent adds to one key, and every
  // expression of DO UPDATE reads the row as it was before this statement.
  addToAttemptCounter: {
    sql:
      'INSERT INTO oauth_attempt_counters AS c (key, points, expires_at) VALUES ($1, $2, $3) ' +
      'ON CONFLICT (key) DO UPDATE SET ' +
      'points = CASE WHEN c.expires_at <= $4 OR $5 THEN EXCLUDED.points ELSE c.points + EXCLUDED.points END, ' +
      'expires_at = CASE WHEN c.expires_at <= $4 OR $5 THEN EXCLUDED.expires_at ELSE c.expires_at END ' +
      'RETURNING c.points, c.expires_at',
    returnsCounter: true,
  },
  purgeExpiredAttemptCounters:
    'DELETE FROM oauth_attempt_counters WHERE key IN (' +
    'SELECT key FROM oauth_attempt_counters WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)',

  duplicateKey(error) {
    if (errorField(error, 'code') !== UNIQUE_VIOLATION) return null;
    const constraint = errorField(error, 'constraint');
    return typeof constraint === 'string' ? constraint : '';
  },

  isForeignKeyViolation: (error) => errorField(error, 'code') === FOREIGN_KEY_VIOLATION,
  isDeadlock: (error) => errorField(error, 'code') === DEADLOCK_DETECTED,
};
