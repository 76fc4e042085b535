/**
 * PostgreSQL for the migration tests: empty scratch databases (unique random names, dropped after),
 * or a skipped test whose title gives the reason when no server is reachable.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import pg from 'pg';
import { provisionPostgres, resolveServer } from '../../support/databases.js';

const server = await resolveServer('postgres');

type Body = (t: ExecutionContext) => Promise<void>;

/** Declares a test that needs PostgreSQL; without a server it is skipped, and its title says why. */
export function postgresTest(title: string, body: Body): void {
  declare(test, title, body);
}

/**
 * The same, run serially within its file. Files that also boot PGlite need it: PGlite's start-up
 * blocks the event loop for seconds, and the schema engine's 10 s advisory-lock timer, queued behind
 * it, can then fire before the lock's (already arrived) reply is read.
 */
postgresTest.serial = (title: string, body: Body): void => {
  declare(test.serial, title, body);
};

function declare(declareTest: typeof test | typeof test.serial, title: string, body: Body): void {
  if ('skip' in server) {
    test.skip(`${title} (PostgreSQL: skipped, ${server.skip})`, () => {});
    return;
  }
  declareTest(title, body);
}

/** Runs `body` with an empty scratch database, dropped afterwards whatever happens. */
export async function withEmptyDatabase<T>(body: (url: string) => Promise<T>): Promise<T> {
  const db = await provisionPostgres({ migrate: false });
  if ('skip' in db) throw new Error(`PostgreSQL disappeared: ${db.skip}`);
  try {
    return await body(db.url);
  } finally {
    await db.close();
  }
}

/** Runs one query on a database and returns its rows. */
export async function query<R extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** The server's databases whose names start with `prefix`. */
export async function databasesNamed(prefix: string): Promise<string[]> {
  if ('skip' in server) return [];
  const rows = await query<{ datname: string }>(server.url, 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
  return rows.map((row) => row.datname);
}
