import { UNUSED_REGISTRATION } from '../statements/client-registrations.js';
import { valuesList } from '../statements/placeholders.js';
import { errorField, type SqlDialect } from './sql-dialect.js';

// Server error numbers (MySQL/MariaDB error reference).
const ER_DUP_ENTRY = 1062;
const ER_NO_REFERENCED_ROW = 1216;
const ER_NO_REFERENCED_ROW_2 = 1452;
const ER_LOCK_DEADLOCK = 1213;

// MariaDB: "Duplicate entry 'x' for key 'name'"; MySQL 8 qualifies it: "... for key 'table.name'".
const DUPLICATE_KEY = /for key '(?:[^'.]*\.)?([^'.]*)'\s*$/;

const PLACEHOLDER = /\$(\d+)/g;

/** MySQL 8 and MariaDB 10.5+. */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',

  // `?` placeholders are positional and cannot repeat, so `$1 … $1` becomes two `?` bound to the
  // same value.
  bind(sql, params) {
    const ordered: unknown[] = [];
    const text = sql.replace(PLACEHOLDER, (_, n: string) => {
      const index = Number(n) - 1;
      if (index < 0 || index >= params.length) throw new RangeError(`statement refers to missing parameter $${n}`);
      ordered.push(params[index]);
      return '?';
    });
    return { sql: text, params: ordered };
  },

  // VALUES(col) names the row that failed to insert (deprecated in MySQL 8.0.20 in favour of a row
  // alias, which MariaDB does not support; both accept VALUES()).
  upsertScopes: (rows) =>
    `INSERT INTO oauth_scopes (name, description, created_at) VALUES ${valuesList(rows, 3)} ` +
    'ON DUPLICATE KEY UPDATE description = VALUES(description)',

  upsertResource:
    'INSERT INTO oauth_resources (id, name, scope, access_token_lifetime, token_format, created_at, updated_at) ' +
    'VALUES ($1, $2, $3, $4, $5, $6, $7) ON DUPLICATE KEY UPDATE name = VALUES(name), scope = VALUES(scope), ' +
    'access_token_lifetime = VALUES(access_token_lifetime), token_format = VALUES(token_format), updated_at = VALUES(updated_at)',

  // GREATEST is NULL when either side is on MySQL, hence the COALESCEs: the later last use is
  // kept, a null one never clears it.
  upsertClientRegistration:
    'INSERT INTO oauth_client_registrations (client_id, kind, access_token_hash, metadata, last_used_at, created_at, updated_at) ' +
    'VALUES ($1, $2, $3, $4, $5, $6, $7) ON DUPLICATE KEY UPDATE kind = VALUES(kind), ' +
    'access_token_hash = VALUES(access_token_hash), metadata = VALUES(metadata), ' +
    'last_used_at = GREATEST(COALESCE(last_used_at, VALUES(last_used_at)), COALESCE(VALUES(last_used_at), last_used_at)), ' +
    'updated_at = VALUES(updated_at)',

  upsertConsentGrant:
    'INSERT INTO oauth_consent_grants (user_id, client_id, scope, audience, created_at, updated_at) ' +
    'VALUES ($1, $2, $3, $4, $5, $6) ON DUPLICATE KEY UPDATE scope = VALUES(scope), ' +
    'audience = VALUES(audience), updated_at = VALUES(updated_at)',

  // MySQL refuses LIMIT in an IN subquery, but not in a derived table inside one (which is
  // materialised first, so the cascade to the registrations cannot disturb the read).
  purgeUnusedClients:
    'DELETE FROM oauth_clients WHERE id IN (SELECT client_id FROM (' +
    `SELECT client_id FROM oauth_client_registrations WHERE ${UNUSED_REGISTRATION} LIMIT $3) AS batch)`,

  equalsAny: (column, _type, values) => ({
    condition: `${column} IN (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
    params: [...values],
  }),

  insertRows(table, columns, rows) {
    const sql = `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) VALUES ${valuesList(rows.length, columns.length)}`;
    return mysqlDialect.bind(sql, rows.flat());
  },

  dataModifyingWith: false,

  purgeExpiredTokens: 'DELETE FROM oauth_tokens WHERE expires_at < $1 ORDER BY expires_at LIMIT $2',
  purgeExpiredCodes: 'DELETE FROM oauth_authorization_codes WHERE expires_at < $1 ORDER BY expires_at LIMIT $2',

  // MySQL applies the assignments of ON DUPLICATE KEY UPDATE left to right, each seeing the ones
  // before it: `points` goes first, so that both conditions read the old `expires_at`. MySQL 8 has
  // no RETURNING (MariaDB's would do), so the counter is read back in the same transaction, under
  // the row lock this statement took.
  addToAttemptCounter: {
    sql:
      'INSERT INTO oauth_attempt_counters (`key`, points, expires_at) VALUES ($1, $2, $3) ' +
      'ON DUPLICATE KEY UPDATE ' +
      'points = CASE WHEN expires_at <= $4 OR $5 THEN VALUES(points) ELSE points + VALUES(points) END, ' +
      'expires_at = CASE WHEN expires_at <= $4 OR $5 THEN VALUES(expires_at) ELSE expires_at END',
    returnsCounter: false,
  },
  purgeExpiredAttemptCounters: 'DELETE FROM oauth_attempt_counters WHERE expires_at < $1 ORDER BY expires_at LIMIT $2',

  duplicateKey(error) {
    if (errorField(error, 'errno') !== ER_DUP_ENTRY) return null;
    const message = errorField(error, 'sqlMessage') ?? errorField(error, 'message');
    return (typeof message === 'string' && DUPLICATE_KEY.exec(message)?.[1]) || '';
  },

  isForeignKeyViolation(error) {
    const errno = errorField(error, 'errno');
    return errno === ER_NO_REFERENCED_ROW || errno === ER_NO_REFERENCED_ROW_2;
  },

  isDeadlock: (error) => errorField(error, 'errno') === ER_LOCK_DEADLOCK,
};
