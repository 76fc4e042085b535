import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SQLInterface } from '../providers/sql/index.js';
import { PACKAGE_ROOT } from '../providers/installed-packages.js';

/**
 * How far a PostgreSQL or PGlite database's Prisma migration history (`_prisma_migrations`, which
 * `migrate` and `prisma migrate deploy` both keep) is from the migrations this package ships.
 */
export interface MigrationHistory {
  /** The migrations this package ships, oldest first. */
  shipped: string[];
  /** Whether the database has a history table at all. */
  recorded: boolean;
  /** Shipped migrations recorded as finished (and not rolled back). */
  applied: string[];
  /** Shipped migrations recorded as started and neither finished nor rolled back: Prisma refuses to go on (P3009). */
  failed: string[];
  /** Shipped migrations not applied yet. */
  pending: string[];
  /**
   * Recorded migrations this package does not ship: the history is the application's (its own
   * migrations own the tables), and `migrate` refuses the database.
   */
  foreign: string[];
}

const SHIPPED_MIGRATIONS = join(PACKAGE_ROOT, 'prisma', 'migrations');

function shippedMigrations(): string[] {
  return readdirSync(SHIPPED_MIGRATIONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

interface HistoryRow {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Reads the history of a PostgreSQL-dialect database (the schema in use, as `migrate` does). */
export async function readMigrationHistory(sql: SQLInterface): Promise<MigrationHistory> {
  const shipped = shippedMigrations();
  const table = await sql.query(
    "SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = '_prisma_migrations' AND schemaname = current_schema()",
    [],
  );
  if (table.rows.length === 0) return { shipped, recorded: false, applied: [], failed: [], pending: shipped, foreign: [] };
  const { rows } = await sql.query<HistoryRow>('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations', []);
  const live = rows.filter((row) => row.rolled_back_at === null);
  const finished = new Set(live.filter((row) => row.finished_at !== null).map((row) => row.migration_name));
  const started = new Set(live.filter((row) => row.finished_at === null).map((row) => row.migration_name));
  const own = new Set(shipped);
  return {
    shipped,
    recorded: true,
    applied: shipped.filter((name) => finished.has(name)),
    failed: shipped.filter((name) => started.has(name) && !finished.has(name)),
    pending: shipped.filter((name) => !finished.has(name) && !started.has(name)),
    foreign: [...new Set(rows.map((row) => row.migration_name))].filter((name) => !own.has(name)).sort(),
  };
}
