import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';
import { toEngineErrorData } from './engine/engine-errors.mjs';
import { readMigrationsDirectory } from './engine/migrations-directory.mjs';
import { createPGliteAdapterFactory } from './engine/pglite-adapter-factory.mjs';
import { createPostgresAdapterFactory } from './engine/postgres-adapter-factory.mjs';
import type { ClosableAdapterFactory } from './engine/postgres-adapter-factory.mjs';
import { createSchemaEngine } from './engine/wasm-schema-engine.mjs';

/**
 * Where {@link migrate} applies migrations.
 *
 * - `{ connectionString }`: a PostgreSQL URL. Prisma's `?schema=NAME` parameter is honoured.
 * - `{ pool }`: a `pg` Pool. Its connection settings are reused for one dedicated connection, closed
 *   when migrating ends; the pool itself is not used or ended.
 * - `{ pglite }`: an embedded PGlite instance (left open).
 */
export type MigrationTarget = { connectionString: string } | { pool: Pool } | { pglite: PGlite };

/** One line of the schema engine's log, e.g. `Applying \`20250101000000_init\``. */
export interface MigrationLogEvent {
  level: 'error' | 'warn' | 'info' | 'debug' | 'trace';
  message: string;
  /** The migration being applied when the line was written, if any. */
  migrationName?: string;
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /**
   * A Prisma migrations directory (`<timestamp>_<name>/migration.sql` folders and `migration_lock.toml`).
   * Defaults to this package's own `prisma/migrations`.
   */
  migrationsDir?: string;
  /** Receives the engine's log lines. Nothing is logged by default. */
  log?: (event: MigrationLogEvent) => void;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Names of the migrations applied by this call, in order; empty when the database was up to date. */
  applied: string[];
}

/** A migration run that failed. Nothing after the failing migration was applied. */
export class MigrationError extends Error {
  /** Prisma's error code when the engine gave one (e.g. `P3005`: the database is not empty and has no migration history). */
  readonly code: string | undefined;
  /** The migration that failed, when the failure happened while applying one. */
  readonly migrationName: string | undefined;

  constructor(message: string, code: string | undefined, migrationName: string | undefined) {
    super(message);
    this.name = 'MigrationError';
    this.code = code;
    this.migrationName = migrationName;
  }
}

// src/providers/prisma/migrate.ts and dist/providers/prisma/migrate.js are both three levels below
// the package root, where `prisma/migrations` ships.
const PACKAGE_MIGRATIONS = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

/**
 * Applies pending Prisma migrations in-process, without the Prisma CLI or its native engine: the
 * schema engine compiled to WebAssembly runs them through a driver adapter.
 *
 * It is what `prisma migrate deploy` does, and it keeps the same history table (`_prisma_migrations`,
 * same names and checksums), so either can take over from the other. Running it again applies nothing.
 * A migration runs as one transaction: if it fails, none of its statements stay, it is recorded as
 * failed (as the CLI records it, so `prisma migrate resolve` applies), and a {@link MigrationError}
 * is thrown.
 *
 * PostgreSQL and PGlite only (the WASM engine does not drive MySQL).
 *
 * @example
 * ```ts
 * const { applied } = await migrate({ connectionString: process.env.DATABASE_URL! });
 * ```
 */
export async function migrate(target: MigrationTarget, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrationsDir = options.migrationsDir ?? PACKAGE_MIGRATIONS;
  const isDirectory = await stat(migrationsDir).then((info) => info.isDirectory(), () => false);
  if (!isDirectory) throw new MigrationError(`Migrations directory not found: ${migrationsDir}`, undefined, undefined);

  const factory = await adapterFactoryFor(target);
  let current: string | undefined;
  const onLog = (line: string) => {
    const event = parseLogLine(line);
    if (event === undefined) return;
    if (event.migrationName !== undefined) current = event.migrationName;
    options.log?.(event);
  };
  try {
    const migrationsList = await readMigrationsDirectory(migrationsDir);
    await refuseForeignHistory(factory, new Set(migrationsList.migrationDirectories.map((migration) => migration.path)));
    let engine;
    try {
      engine = await createSchemaEngine({ factory, onLog });
    } catch (error) {
      throw asMigrationError(error, undefined, 'Could not connect the schema engine to the database');
    }
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList,
        filters: { externalTables: [], externalEnums: [] },
      });
      return { applied: appliedMigrationNames };
    } catch (error) {
      throw asMigrationError(error, current, undefined);
    } finally {
      engine.free();
    }
  } finally {
    await factory.close();
  }
}

/** `MigrationError.code` of a database whose migration history is the application's. */
export const FOREIGN_HISTORY = 'oauth2kit_foreign_history';

/**
 * Refuses, before anything is written, a database whose Prisma history records migrations this
 * directory does not hold: that history is the application's (its own migrations, which may have
 * created the OAuth tables from the schema fragment). Applying ours there would fail on the existing
 * tables and leave the application's history blocked on a failed migration (P3009).
 */
async function refuseForeignHistory(factory: ClosableAdapterFactory, own: ReadonlySet<string>): Promise<void> {
  const adapter = (await factory.connect()) as unknown as {
    queryRaw(query: { sql: string; args: unknown[]; argTypes: unknown[] }): Promise<{ rows: unknown[][] }>;
    dispose(): Promise<void>;
  };
  let foreign: string[];
  try {
    const query = (sql: string) => adapter.queryRaw({ sql, args: [], argTypes: [] });
    const history = await query("SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = '_prisma_migrations' AND schemaname = current_schema()");
    if (history.rows.length === 0) return;
    const recorded = await query('SELECT migration_name FROM _prisma_migrations ORDER BY started_at');
    foreign = recorded.rows.map((row) => String(row[0])).filter((name) => !own.has(name));
  } finally {
    await adapter.dispose();
  }
  if (foreign.length === 0) return;
  throw new MigrationError(
    `this database's Prisma migration history belongs to your application: it records ${foreign.length} migration(s) ` +
      `oauth2-kit does not ship (e.g. "${foreign[0]}"), so nothing was changed. Put oauth2-kit's models (prisma/oauth.prisma) ` +
      'in your Prisma schema and migrate with your own history: `npx prisma migrate dev`, then `npx prisma migrate deploy` in production.',
    FOREIGN_HISTORY,
    undefined,
  );
}

async function adapterFactoryFor(target: MigrationTarget): Promise<ClosableAdapterFactory> {
  if (target !== null && typeof target === 'object') {
    if ('pglite' in target && target.pglite) return createPGliteAdapterFactory(target.pglite);
    if ('pool' in target && target.pool) return createPostgresAdapterFactory({ pool: target.pool });
    if ('connectionString' in target && typeof target.connectionString === 'string') {
      return createPostgresAdapterFactory({ url: target.connectionString });
    }
  }
  throw new TypeError('migrate() needs { connectionString }, { pool } or { pglite }.');
}

function asMigrationError(error: unknown, migrationName: string | undefined, context: string | undefined): MigrationError {
  const data = toEngineErrorData(error);
  const where = migrationName !== undefined ? `Migration \`${migrationName}\` failed: ` : context !== undefined ? `${context}: ` : '';
  const failure = new MigrationError(`${where}${data.message}`, data.error_code, migrationName);
  (failure as { cause?: unknown }).cause = error;
  return failure;
}

const LEVELS = new Set(['error', 'warn', 'info', 'debug', 'trace']);

function parseLogLine(line: string): MigrationLogEvent | undefined {
  let parsed: { level?: unknown; fields?: { message?: unknown }; span?: { migration_name?: unknown } };
  try {
    parsed = JSON.parse(line);
  } catch {
    return line.length > 0 ? { level: 'info', message: line } : undefined;
  }
  const level = String(parsed.level ?? 'info').toLowerCase();
  const migrationName = typeof parsed.span?.migration_name === 'string' ? parsed.span.migration_name : undefined;
  // The engine's log also carries each migration's full script; only the message is passed on.
  return {
    level: (LEVELS.has(level) ? level : 'info') as MigrationLogEvent['level'],
    message: String(parsed.fields?.message ?? ''),
    ...(migrationName !== undefined ? { migrationName } : {}),
  };
}
