/**
 * The provider × database combinations the conformance suite runs on. Each opens one fresh database
 * per test file and empties it before every test (a fresh database per test would dominate the run).
 */
import mariadb from 'mariadb';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { OAuthProvider, OAuthProviderOptions } from '../../../src/core/index.js';
import { OAuthPrismaProvider, preparedStatementName } from '../../../src/providers/prisma/index.js';
import {
  mariadbPoolAdapter,
  OAuthSqlProvider,
  pgliteAdapter,
  pgPoolAdapter,
  type SQLInterface,
} from '../../../src/providers/sql/index.js';
import { countingSqlInterface } from '../../../src/testing/counting-sql-interface.js';
import { clientOver } from '../../prisma/support/prisma-databases.js';
import {
  connectionOptions,
  provisionMariaDb,
  provisionPGlite,
  provisionPostgres,
  type Skipped,
} from '../../support/databases.js';

export type ProviderKind = 'sql' | 'prisma';
export type DatabaseKind = 'pglite' | 'postgres' | 'mariadb';

/** The tables of the storage schema, children before parents. */
export const TABLES = [
  'oauth_client_scopes',
  'oauth_client_grants',
  'oauth_client_redirect_uris',
  'oauth_tokens',
  'oauth_authorization_codes',
  'oauth_client_registrations',
  'oauth_consent_grants',
  'oauth_clients',
  'oauth_scopes',
  'oauth_users',
  'oauth_attempt_counters',
  'oauth_resources',
  'oauth_signing_keys',
  'oauth_sessions',
] as const;

/** One open combination: builds providers on its database and inspects it. */
export interface OpenTarget {
  name: string;
  provider(options: OAuthProviderOptions): OAuthProvider;
  /** Raw SQL on the same database, outside the provider (not counted). */
  raw: SQLInterface;
  queries(): number;
  resetQueries(): void;
  empty(): Promise<void>;
  dumpAllRows(): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens `provider` on a fresh database of `database`, or says why it can't. */
export async function openTarget(provider: ProviderKind, database: DatabaseKind): Promise<OpenTarget | Skipped> {
  const name = `${provider}/${database}`;
  const db = await openDatabase(database);
  if ('skip' in db) return db;
  let build: (options: OAuthProviderOptions) => OAuthProvider;
  let queries: () => number;
  let resetQueries: () => void;
  let closeClient = async () => {};
  if (provider === 'sql') {
    const counting = countingSqlInterface(db.raw);
    let offset = 0;
    build = (options) => new OAuthSqlProvider(counting.sql, options);
    queries = () => counting.queries() - offset;
    resetQueries = () => {
      offset = counting.queries();
    };
  } else {
    if (!db.prismaAdapter) return { skip: `Prisma has no driver adapter for ${database} in this project` };
    const { prisma, statements: log } = clientOver(db.prismaAdapter());
    build = (options) => new OAuthPrismaProvider(prisma, options);
    // BEGIN/COMMIT are round trips too: count every statement the client sends.
    queries = () => log.statements.length;
    resetQueries = () => log.clear();
    closeClient = () => prisma.$disconnect();
  }
  return {
    name,
    provider: build,
    raw: db.raw,
    queries,
    resetQueries,
    async empty() {
      for (const table of TABLES) await db.raw.query(`DELETE FROM ${table}`, []);
    },
    async dumpAllRows() {
      const values: string[] = [];
      for (const table of TABLES) {
        const { rows } = await db.raw.query<Record<string, unknown>>(`SELECT * FROM ${table}`, []);
        for (const row of rows) {
          for (const value of Object.values(row)) {
            if (value !== null) values.push(value instanceof Date ? value.toISOString() : String(value));
          }
        }
      }
      return values;
    },
    async close() {
      await closeClient();
      await db.close();
    },
  };
}

export interface OpenDatabase {
  raw: SQLInterface;
  prismaAdapter?: () => SqlDriverAdapterFactory;
  close(): Promise<void>;
}

export async function openDatabase(kind: DatabaseKind): Promise<OpenDatabase | Skipped> {
  if (kind === 'pglite') {
    const db = await provisionPGlite();
    return {
      raw: pgliteAdapter(db.pglite),
      prismaAdapter: () => new PrismaPGlite(db.pglite),
      close: () => db.close(),
    };
  }
  if (kind === 'postgres') {
    const db = await provisionPostgres();
    if ('skip' in db) return db;
    const pool = new pg.Pool({ connectionString: db.url, max: 8 });
    return {
      raw: pgPoolAdapter(pool),
      // Prepared, as the README recommends: the suite then covers every statement that way.
      prismaAdapter: () => new PrismaPg({ connectionString: db.url, max: 8 }, { statementNameGenerator: preparedStatementName }),
      async close() {
        await pool.end();
        await db.close();
      },
    };
  }
  const db = await provisionMariaDb();
  if ('skip' in db) return db;
  const pool = mariadb.createPool({ ...connectionOptions(db.url), connectionLimit: 8 });
  return {
    raw: mariadbPoolAdapter(pool),
    async close() {
      await pool.end();
      await db.close();
    },
  };
}
