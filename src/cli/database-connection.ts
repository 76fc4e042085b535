import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SQLInterface } from '../providers/sql/index.js';
import { CommandError } from './cli-error.js';
import { lockDataFolder } from './data-folder-lock.js';
import { preparePrivateDataFolder } from './private-data-folder.js';
import { describeLocation, mysqlConnectionOptions, type DatabaseLocation } from './database-location.js';
import { connectionProblem } from './failure-message.js';

/**
 * Opens the database a command works on, as a {@link SQLInterface} for `OAuthSqlProvider` (the
 * tables are the same whichever provider the server runs). Drivers are loaded on demand, so that
 * an installation using one database does not need the others' packages.
 */

/** An open database. `close()` ends the pool or the embedded instance and releases its lock. */
export interface DatabaseConnection {
  sql: SQLInterface;
  location: DatabaseLocation;
  /** The embedded instance, for commands that need PGlite itself (migrations). */
  pglite?: import('@electric-sql/pglite').PGlite;
  close(): Promise<void>;
}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** Whether a PGlite data folder that does not exist yet may be created (only `migrate` does). */
  createEmbedded: boolean;
  /** Told about a PGlite data folder other users may read (it is used all the same). */
  warn?: (message: string) => void;
}

/** Connects, and checks the connection with one round trip so that failures surface here, in one line. */
export async function openDatabase(location: DatabaseLocation, options: OpenDatabaseOptions): Promise<DatabaseConnection> {
  switch (location.kind) {
    case 'postgres':
      return openPostgres(location);
    case 'mysql':
      return openMysql(location);
    case 'pglite':
      return openPGlite(location, options);
  }
}

async function openPostgres(location: Extract<DatabaseLocation, { kind: 'postgres' }>): Promise<DatabaseConnection> {
  const pg = (await import('pg')).default;
  const { pgPoolAdapter } = await import('../providers/sql/index.js');
  const pool = new pg.Pool({ connectionString: location.url, max: 2, connectionTimeoutMillis: 10_000 });
  // An idle client's error (server restart) would otherwise crash the process with a stack trace.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw cannotConnect(location, error);
  }
  return { sql: pgPoolAdapter(pool), location, close: () => pool.end() };
}

async function openMysql(location: Extract<DatabaseLocation, { kind: 'mysql' }>): Promise<DatabaseConnection> {
  const mariadb = await import('mariadb');
  const { mariadbPoolAdapter } = await import('../providers/sql/index.js');
  // One plain connection first: the pool retries a refused connection, a wrong password or an
  // unknown database until its acquire timeout and then reports only "failed to retrieve a
  // connection"; a single connection fails at once with the server's own reason.
  try {
    const probe = await mariadb.createConnection({ ...mysqlConnectionOptions(location.url), connectTimeout: 5_000 });
    await probe.end();
  } catch (error) {
    throw cannotConnect(location, error);
  }
  const pool = mariadb.createPool({
    ...mysqlConnectionOptions(location.url),
    connectionLimit: 2,
    connectTimeout: 10_000,
    acquireTimeout: 15_000,
  });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw cannotConnect(location, error);
  }
  return { sql: mariadbPoolAdapter(pool), location, close: () => pool.end() };
}

async function openPGlite(
  location: Extract<DatabaseLocation, { kind: 'pglite' }>,
  options: OpenDatabaseOptions,
): Promise<DatabaseConnection> {
  // PG_VERSION is the first file initdb writes: without it the folder holds no database yet.
  if (!options.createEmbedded && !existsSync(join(location.folder, 'PG_VERSION'))) {
    throw new CommandError(
      `no embedded database at ${location.folder}: run "oauth2-kit migrate" (or start the example server) first, ` +
        'or pass --database-url',
    );
  }
  const lock = lockDataFolder(location.folder, 'oauth2-kit CLI');
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { pgliteAdapter } = await import('../providers/sql/index.js');
    // Before PGlite, which would create a missing folder readable by every local user.
    const warning = preparePrivateDataFolder(location.folder);
    if (warning !== undefined) options.warn?.(warning);
    const pglite = await PGlite.create({ dataDir: location.folder });
    return {
      sql: pgliteAdapter(pglite),
      location,
      pglite,
      async close() {
        try {
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw new CommandError(`cannot open ${describeLocation(location)}: ${oneLine(error)}`);
  }
}

/** One line naming the cause: a known one ({@link connectionProblem}) in words, else the driver's first line. */
function cannotConnect(location: DatabaseLocation, error: unknown): CommandError {
  return new CommandError(`cannot connect to ${describeLocation(location)}: ${connectionProblem(error) ?? oneLine(error)}`);
}

/** A driver error's message on one line; some drivers add the failing SQL on further lines. */
function oneLine(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return oneLine(error.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim() || (error instanceof Error ? error.name : 'unknown error');
}
