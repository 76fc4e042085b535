import { resolve } from 'node:path';
import { UsageError } from './cli-error.js';

/**
 * Where the CLI (and the example servers, which share this convention) find the database:
 * `--database-url`, else `DATABASE_URL`, else the embedded PGlite data folder.
 */

/** The embedded PGlite data folder used when no URL is given, relative to the working directory. */
export const DEFAULT_PGLITE_FOLDER = '.data/pglite';

/** A database the CLI can open, decided from its URL scheme. */
export type DatabaseLocation =
  | { kind: 'postgres'; url: string }
  | { kind: 'mysql'; url: string }
  | { kind: 'pglite'; folder: string };

/**
 * Reads a database URL:
 * - `postgres://…` or `postgresql://…` — PostgreSQL;
 * - `mysql://…` or `mariadb://…` — MySQL or MariaDB;
 * - `pglite:PATH` — an embedded PGlite data folder (absolute, or relative to the working directory).
 *
 * Throws a {@link UsageError} naming the problem, without echoing the URL (it may carry a password).
 */
export function parseDatabaseUrl(text: string): DatabaseLocation {
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError('the database URL is empty');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'pglite') {
    const folder = trimmed.slice('pglite:'.length).replace(/^\/\/(?=\/)/, '');
    if (folder === '') throw new UsageError('a pglite: URL needs a data folder, e.g. pglite:.data/pglite');
    return { kind: 'pglite', folder: resolve(folder) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql' || scheme === 'mysql' || scheme === 'mariadb') {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new UsageError(`malformed ${scheme}: database URL`);
    }
    if (url.hostname === '') throw new UsageError(`the ${scheme}: database URL has no host`);
    if (url.pathname.replace(/^\//, '') === '') throw new UsageError(`the ${scheme}: database URL names no database`);
    return { kind: scheme.startsWith('postgres') ? 'postgres' : 'mysql', url: trimmed };
  }
  throw new UsageError(
    scheme === undefined
      ? 'malformed database URL: expected postgresql://…, mysql://…, mariadb://… or pglite:PATH'
      : `unsupported database URL scheme "${scheme}:": expected postgresql://…, mysql://…, mariadb://… or pglite:PATH`,
  );
}

/** The database to use: an explicit URL, else `DATABASE_URL`, else the default embedded folder. */
export function resolveDatabaseLocation(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): DatabaseLocation {
  const url = explicit ?? (env.DATABASE_URL === '' ? undefined : env.DATABASE_URL);
  if (url === undefined) return { kind: 'pglite', folder: resolve(DEFAULT_PGLITE_FOLDER) };
  return parseDatabaseUrl(url);
}

/** A description of a location safe to print: never a password. */
export function describeLocation(location: DatabaseLocation): string {
  if (location.kind === 'pglite') return `embedded PGlite at ${location.folder}`;
  const url = new URL(location.url);
  const name = location.kind === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB';
  return `${name} at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

/** Connection options for the `mariadb` driver from a `mysql://` or `mariadb://` URL. */
export function mysqlConnectionOptions(url: string): { host: string; port: number; user: string; password: string; database: string } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  };
}
