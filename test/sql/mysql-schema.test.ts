import test from 'ava';
import mariadb from 'mariadb';
import { mariadbPoolAdapter } from '../../src/providers/sql/adapters/mariadb-pool-adapter.js';
import { pgliteAdapter } from '../../src/providers/sql/adapters/pglite-adapter.js';
import { applyMysqlSchema, mysqlSchemaStatements } from '../../src/providers/sql/mysql-schema.js';
import type { SQLInterface } from '../../src/providers/sql/sql-interface.js';
import { SqlStorage } from '../../src/providers/sql/sql-storage.js';
import { connectionOptions, provisioned, provisionMariaDb, provisionPGlite } from '../support/databases.js';

const database = await provisionMariaDb({ migrate: false });

/** Every column as `table.column type-family nullability`, from information_schema. */
async function columns(sql: SQLInterface, schemaFilter: string): Promise<string[]> {
  const { rows } = await sql.query<{ table_name: string; column_name: string; is_nullable: string }>(
    `SELECT table_name AS table_name, column_name AS column_name, is_nullable AS is_nullable
       FROM information_schema.columns WHERE table_schema = ${schemaFilter} AND table_name LIKE 'oauth%'`,
    [],
  );
  return rows.map((r) => `${r.table_name}.${r.column_name} ${r.is_nullable}`).sort();
}

/** Every index and foreign key name (primary keys excepted: MySQL names them all PRIMARY). */
async function constraintNames(sql: SQLInterface): Promise<string[]> {
  const indexQuery =
    sql.dialect === 'mysql'
      ? "SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'"
      : "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'";
  const foreignKeyQuery =
    "SELECT constraint_name AS name FROM information_schema.referential_constraints WHERE delete_rule = 'CASCADE' AND " +
    (sql.dialect === 'mysql' ? 'constraint_schema = DATABASE()' : "constraint_schema = 'public'");
  const names = [...(await sql.query<{ name: string }>(indexQuery, [])).rows, ...(await sql.query<{ name: string }>(foreignKeyQuery, [])).rows];
  // MySQL also indexes each foreign key's column; those indexes carry the constraint's name.
  return [...new Set(names.map((r) => r.name))].sort();
}

if ('skip' in database) {
  console.warn(`[sql/mysql-schema] skipped: ${database.skip}`);
  test.skip('applyMysqlSchema (no MariaDB/MySQL server)', () => {});
} else {
  const pool = mariadb.createPool({ ...connectionOptions(database.url), connectionLimit: 2 });
  const mysql = mariadbPoolAdapter(pool);
  test.after.always(async () => {
    await pool.end();
    await database.close();
  });

  test.serial('applyMysqlSchema creates the tables, and running it again changes nothing', async (t) => {
    await applyMysqlSchema(mysql);
    const first = await columns(mysql, 'DATABASE()');
    await applyMysqlSchema(mysql);
    t.deepEqual(await columns(mysql, 'DATABASE()'), first);
    t.is(new Set(first.map((c) => c.split('.')[0])).size, 14);
  });

  test.serial('the MySQL schema has the columns, nullability, indexes and cascading keys of the PostgreSQL migration', async (t) => {
    const pg = await provisionPGlite();
    try {
      const postgres = pgliteAdapter(pg.pglite);
      t.deepEqual(await columns(mysql, 'DATABASE()'), await columns(postgres, "'public'"));
      const mysqlNames = await constraintNames(mysql);
      const postgresNames = await constraintNames(postgres);
      t.deepEqual(postgresNames.filter((name) => !mysqlNames.includes(name)), []);
      t.true(postgresNames.length > 10);
    } finally {
      await pg.close();
    }
  });
}

/** `oauth_clients` as the DDL created it before the default scope and the introspection permission. */
const OAUTH_CLIENTS_BEFORE_DEFAULT_SCOPES = `CREATE TABLE oauth_clients (
  id VARCHAR(128) NOT NULL,
  name VARCHAR(255) NOT NULL,
  secret_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  access_token_lifetime INT NULL,
  refresh_token_lifetime INT NULL,
  authorization_code_lifetime INT NULL,
  require_pkce BOOLEAN NOT NULL DEFAULT TRUE,
  allow_plain_pkce BOOLEAN NOT NULL DEFAULT FALSE,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_clients_pkey PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`;

/** The columns of `table`, in their order, with type and nullability. */
async function columnsInOrder(sql: SQLInterface, table: string): Promise<string[]> {
  const { rows } = await sql.query<{ name: string; type: string; nullable: string; fallback: string | null }>(
    'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS fallback ' +
      'FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [table],
  );
  return rows.map((r) => `${r.name} ${r.type} ${r.nullable} ${r.fallback}`);
}

/** A fresh database with only `oauth_clients` as an earlier version created it, holding one client. */
async function databaseOfAnEarlierVersion() {
  const database = provisioned(await provisionMariaDb({ migrate: false }));
  const pool = mariadb.createPool({ ...connectionOptions(database.url), connectionLimit: 4 });
  const sql = mariadbPoolAdapter(pool);
  await sql.query(OAUTH_CLIENTS_BEFORE_DEFAULT_SCOPES, []);
  await sql.query(
    "INSERT INTO oauth_clients (id, name, secret_hash, require_pkce, allow_plain_pkce, created_at, updated_at) " +
      "VALUES ('legacy', 'Legacy client', NULL, TRUE, TRUE, '2025-01-02 03:04:05.678', '2025-01-02 03:04:05.678')",
    [],
  );
  return {
    sql,
    async close() {
      await pool.end();
      await database.close();
    },
  };
}

if (!('skip' in database)) {
  test('applyMysqlSchema upgrades a database of an earlier version: oauth_clients gains the new columns in place, the counters table appears, rows are kept', async (t) => {
    const earlier = await databaseOfAnEarlierVersion();
    t.teardown(earlier.close);
    const fresh = provisioned(await provisionMariaDb());
    const freshPool = mariadb.createPool({ ...connectionOptions(fresh.url), connectionLimit: 1 });
    t.teardown(async () => {
      await freshPool.end();
      await fresh.close();
    });

    await applyMysqlSchema(earlier.sql);

    t.deepEqual(await columnsInOrder(earlier.sql, 'oauth_clients'), await columnsInOrder(mariadbPoolAdapter(freshPool), 'oauth_clients'));
    t.true((await columnsInOrder(earlier.sql, 'oauth_attempt_counters')).length > 0);
    const legacy = await new SqlStorage(earlier.sql).findClient('legacy');
    t.deepEqual(
      [legacy?.name, legacy?.allowPlainPkce, legacy?.defaultScopes, legacy?.allowIntrospection, legacy?.createdAt.toISOString()],
      ['Legacy client', true, [], false, '2025-01-02T03:04:05.678Z'],
    );
  });

  test('applyMysqlSchema upgrades an earlier database once: run again, or by two processes at once, it changes nothing more', async (t) => {
    const earlier = await databaseOfAnEarlierVersion();
    t.teardown(earlier.close);
    await Promise.all([applyMysqlSchema(earlier.sql), applyMysqlSchema(earlier.sql)]);
    const upgraded = await columnsInOrder(earlier.sql, 'oauth_clients');
    await applyMysqlSchema(earlier.sql);
    t.deepEqual(await columnsInOrder(earlier.sql, 'oauth_clients'), upgraded);
    t.is(upgraded.filter((column) => /^(default_scope|allow_introspection) /.test(column)).length, 2);
  });
}

/**
 * The DDL as it was before resource indicators (RFC 8707): without `oauth_resources` and without the
 * `audience` columns of tokens and codes.
 */
async function statementsBeforeResourceIndicators(): Promise<string[]> {
  return (await mysqlSchemaStatements())
    .filter((statement) => !statement.includes('oauth_resources'))
    .map((statement) => statement.split('\n').filter((line) => !/^\s+audience /.test(line)).join('\n'));
}

if (!('skip' in database)) {
  test('applyMysqlSchema upgrades a database made before resource indicators: tokens and codes gain audience in place, oauth_resources appears, rows are kept', async (t) => {
    const earlier = provisioned(await provisionMariaDb({ migrate: false }));
    const pool = mariadb.createPool({ ...connectionOptions(earlier.url), connectionLimit: 2 });
    const fresh = provisioned(await provisionMariaDb());
    const freshPool = mariadb.createPool({ ...connectionOptions(fresh.url), connectionLimit: 1 });
    t.teardown(async () => {
      await Promise.all([pool.end(), freshPool.end()]);
      await Promise.all([earlier.close(), fresh.close()]);
    });
    const sql = mariadbPoolAdapter(pool);
    for (const statement of await statementsBeforeResourceIndicators()) await sql.query(statement, []);
    t.false((await columnsInOrder(sql, 'oauth_tokens')).some((column) => column.startsWith('audience ')));
    await sql.query(
      "INSERT INTO oauth_clients (id, name, created_at, updated_at) VALUES ('legacy', 'Legacy client', '2025-01-02 03:04:05.678', '2025-01-02 03:04:05.678')",
      [],
    );
    const digest = (c: string) => c.repeat(64);
    await sql.query(
      'INSERT INTO oauth_tokens (id, access_token_hash, access_token_expires_at, scope, client_id, family_id, expires_at, created_at) ' +
        "VALUES ('t1', ?, '2031-01-01 00:00:00.000', 'read', 'legacy', 'f1', '2031-01-01 00:00:00.000', '2025-01-02 03:04:05.678')",
      [digest('a')],
    );
    await sql.query(
      'INSERT INTO oauth_authorization_codes (id, code_hash, client_id, user_id, scope, expires_at, created_at) ' +
        "VALUES ('c1', ?, 'legacy', 'alice', 'read', '2031-01-01 00:00:00.000', '2025-01-02 03:04:05.678')",
      [digest('b')],
    );

    await applyMysqlSchema(sql);

    const freshSql = mariadbPoolAdapter(freshPool);
    for (const table of ['oauth_tokens', 'oauth_authorization_codes', 'oauth_resources']) {
      t.deepEqual(await columnsInOrder(sql, table), await columnsInOrder(freshSql, table), table);
    }
    const storage = new SqlStorage(sql);
    const [token] = await storage.findAccessTokens([digest('a')]);
    t.deepEqual([token?.id, token?.scope, token?.audience], ['t1', 'read', null]);
    const code = await storage.findAuthorizationCode(digest('b'));
    t.deepEqual([code?.id, code?.scope, code?.audience], ['c1', 'read', null]);
    t.deepEqual(await storage.listResources(), []);
  });
}

/** The columns OpenID Connect added to clients, tokens and codes. */
const OPENID_COLUMN = /^\s+(post_logout_redirect_uris|id_token_signed_response_alg|subject_type|sector_identifier|nonce|auth_time|acr|amr) /;

/** The DDL as it was before OpenID Connect: without sessions, consent grants and the columns above. */
async function statementsBeforeOpenIdConnect(): Promise<string[]> {
  return (await mysqlSchemaStatements())
    .filter((statement) => !/CREATE TABLE IF NOT EXISTS (oauth_sessions|oauth_consent_grants) /.test(statement))
    .map((statement) => statement.split('\n').filter((line) => !OPENID_COLUMN.test(line)).join('\n'));
}

if (!('skip' in database)) {
  test('applyMysqlSchema upgrades a database made before OpenID Connect: clients, tokens and codes gain their columns in place, sessions and consent grants appear, rows are kept', async (t) => {
    const earlier = provisioned(await provisionMariaDb({ migrate: false }));
    const pool = mariadb.createPool({ ...connectionOptions(earlier.url), connectionLimit: 2 });
    const fresh = provisioned(await provisionMariaDb());
    const freshPool = mariadb.createPool({ ...connectionOptions(fresh.url), connectionLimit: 1 });
    t.teardown(async () => {
      await Promise.all([pool.end(), freshPool.end()]);
      await Promise.all([earlier.close(), fresh.close()]);
    });
    const sql = mariadbPoolAdapter(pool);
    for (const statement of await statementsBeforeOpenIdConnect()) await sql.query(statement, []);
    t.false((await columnsInOrder(sql, 'oauth_clients')).some((column) => column.startsWith('subject_type ')));
    await sql.query(
      "INSERT INTO oauth_clients (id, name, created_at, updated_at) VALUES ('legacy', 'Legacy client', '2025-01-02 03:04:05.678', '2025-01-02 03:04:05.678')",
      [],
    );
    const digest = (c: string) => c.repeat(64);
    await sql.query(
      'INSERT INTO oauth_tokens (id, access_token_hash, access_token_expires_at, scope, client_id, family_id, expires_at, created_at) ' +
        "VALUES ('t1', ?, '2031-01-01 00:00:00.000', 'read', 'legacy', 'f1', '2031-01-01 00:00:00.000', '2025-01-02 03:04:05.678')",
      [digest('a')],
    );
    await sql.query(
      'INSERT INTO oauth_authorization_codes (id, code_hash, client_id, user_id, scope, expires_at, created_at) ' +
        "VALUES ('c1', ?, 'legacy', 'alice', 'read', '2031-01-01 00:00:00.000', '2025-01-02 03:04:05.678')",
      [digest('b')],
    );

    await applyMysqlSchema(sql);

    const freshSql = mariadbPoolAdapter(freshPool);
    for (const table of ['oauth_clients', 'oauth_tokens', 'oauth_authorization_codes', 'oauth_sessions', 'oauth_consent_grants']) {
      t.deepEqual(await columnsInOrder(sql, table), await columnsInOrder(freshSql, table), table);
    }
    const storage = new SqlStorage(sql);
    const legacy = await storage.findClient('legacy');
    t.deepEqual(
      [legacy?.postLogoutRedirectUris, legacy?.idTokenSignedResponseAlg, legacy?.subjectType, legacy?.sectorIdentifier],
      [[], null, 'public', null],
    );
    const [token] = await storage.findAccessTokens([digest('a')]);
    t.deepEqual([token?.id, token?.authTime, token?.acr, token?.amr], ['t1', null, null, null]);
    const code = await storage.findAuthorizationCode(digest('b'));
    t.deepEqual([code?.id, code?.nonce, code?.authTime, code?.acr, code?.amr], ['c1', null, null, null, null]);
    const now = new Date('2026-01-01T00:00:00.000Z');
    await storage.saveConsentGrant({ userId: 'alice', clientId: 'legacy', scope: 'openid', audience: null, createdAt: now, updatedAt: now });
    t.deepEqual((await storage.listConsentGrants({ clientId: 'legacy' })).map((grant) => grant.userId), ['alice']);
  });
}

test('applyMysqlSchema refuses a PostgreSQL connection', async (t) => {
  const pg = await provisionPGlite();
  try {
    await t.throwsAsync(applyMysqlSchema(pgliteAdapter(pg.pglite)), { instanceOf: TypeError });
  } finally {
    await pg.close();
  }
});
