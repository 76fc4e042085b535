/**
 * Test databases: each call hands the caller a fresh, migrated, isolated database and a `close()`
 * that removes it.
 *
 * - PGlite: always available, in memory, no setup.
 * - PostgreSQL and MariaDB: from `OAUTH2KIT_TEST_POSTGRES_URL` / `OAUTH2KIT_TEST_MARIADB_URL`; else the
 *   conventional local server if one answers on its default port; else a throwaway container through
 *   testcontainers when a container engine is reachable; else `{ skip: reason }` — callers print the
 *   reason and register the tests that need the server as declared skips ({@link serverGate}); a
 *   skip is never silent, and never counts as a pass.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { applyPostgresMigrations, mysqlDdlStatements } from './schema.js';
import { resolveServer, type ServerKind } from './servers.js';
import type { PGlite } from '@electric-sql/pglite';
import type { ExecutionContext } from 'ava';

export interface ProvisionedPGlite {
  pglite: PGlite;
  close(): Promise<void>;
}

export interface ProvisionedServerDatabase {
  /** Connection URL of the fresh database. */
  url: string;
  /** Name of the fresh database. */
  database: string;
  close(): Promise<void>;
}

export type Skipped = { skip: string };

type Implementation = (t: ExecutionContext) => Promise<void> | void;

/** A test-declaring function with its `skip`: ava's `test` or `test.serial`. */
interface Registrar {
  (title: string, implementation: Implementation): void;
  skip(title: string, implementation: Implementation): void;
}

/** Whether a server is here, decided once when a test file loads; see {@link serverGate}. */
export interface ServerGate {
  /** Why there is no server, or undefined when there is one. */
  skip: string | undefined;
  /**
   * Registers `title` with `declare` (`test`, `test.serial`) when the server is here; otherwise with
   * `declare.skip`, the title ending in `(no PostgreSQL server)` or `(no MariaDB server)`.
   */
  register(declare: Registrar, title: string, implementation: Implementation): void;
}

const SERVER_LABELS: Record<ServerKind, string> = { postgres: 'PostgreSQL', mariadb: 'MariaDB' };

/**
 * For files whose tests each provision their own database on a server: decides at load time (call
 * it with top-level `await`, before declaring any test) whether the server is here, and when it is
 * not, prints the reason once as `[area] PostgreSQL tests skipped: <reason>`. Its `register` then
 * declares each test, or its declared skip.
 */
export async function serverGate(kind: ServerKind, area: string): Promise<ServerGate> {
  const server = await resolveServer(kind);
  const label = SERVER_LABELS[kind];
  if ('skip' in server) console.warn(`[${area}] ${label} tests skipped: ${server.skip}`);
  return {
    skip: 'skip' in server ? server.skip : undefined,
    register(declare, title, implementation) {
      if ('skip' in server) declare.skip(`${title} (no ${label} server)`, implementation);
      else declare(title, implementation);
    },
  };
}

/** The database a gated test provisioned; throws if the server went away after the file loaded. */
export function provisioned(database: ProvisionedServerDatabase | Skipped): ProvisionedServerDatabase {
  if ('skip' in database) throw new Error(`the database server went away after the test file loaded: ${database.skip}`);
  return database;
}

/** A fresh in-memory PGlite with the committed migrations applied. */
export async function provisionPGlite(): Promise<ProvisionedPGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create();
  await applyPostgresMigrations((sql) => pglite.exec(sql));
  return { pglite, close: () => pglite.close() };
}

function freshName(): string {
  return `oauth2kit_t_${randomBytes(6).toString('hex')}`;
}

/** A fresh database on the PostgreSQL server, migrated; dropped on close. */
export async function provisionPostgres(options: { migrate?: boolean } = {}): Promise<ProvisionedServerDatabase | Skipped> {
  const server = await resolveServer('postgres');
  if ('skip' in server) return server;
  const pg = (await import('pg')).default;
  const database = freshName();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(server.url, database);
  if (options.migrate !== false) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await applyPostgresMigrations((sql) => client.query(sql));
    } finally {
      await client.end();
    }
  }
  return {
    url,
    database,
    async close() {
      const drop = new pg.Client({ connectionString: server.url });
      await drop.connect();
      try {
        await drop.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await drop.end();
      }
    },
  };
}

/** A fresh database on the MariaDB/MySQL server with the SQL provider's DDL applied; dropped on close. */
export async function provisionMariaDb(options: { migrate?: boolean } = {}): Promise<ProvisionedServerDatabase | Skipped> {
  const server = await resolveServer('mariadb');
  if ('skip' in server) return server;
  const mariadb = await import('mariadb');
  const database = freshName();
  const admin = await mariadb.createConnection(connectionOptions(server.url));
  try {
    await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    if (options.migrate !== false) {
      await admin.query(`USE ${database}`);
      for (const statement of await mysqlDdlStatements()) await admin.query(statement);
    }
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(server.url, database),
    database,
    async close() {
      const drop = await mariadb.createConnection(connectionOptions(server.url));
      try {
        await drop.query(`DROP DATABASE IF EXISTS ${database}`);
      } finally {
        await drop.end();
      }
    },
  };
}

/**
 * Connection options for the mariadb driver from a `mariadb://` or `mysql://` URL, with a 10 s
 * connect timeout: the driver's default (1 s) is missed by a test machine running every test file
 * at once, and the connection then fails for no reason of the test's.
 */
export function connectionOptions(url: string): {
  host: string;
  port: number;
  user: string;
  password: string;
  connectTimeout: number;
  database?: string;
} {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    connectTimeout: 10_000,
    ...(database ? { database } : {}),
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export type { ServerKind };
export { resolveServer };
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const readRepoFile = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), 'utf8');
