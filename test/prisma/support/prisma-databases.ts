/**
 * Prisma clients over fresh test databases, generated from the project schema
 * (`generated/prisma`), each with a log of the statements it sends.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../../../generated/prisma/client.js';
import { provisionPGlite, provisionPostgres, type Skipped } from '../../support/databases.js';
import { recordStatements, type StatementLog } from './statement-log.js';

/** A Prisma client on its own fresh database. */
export interface PrismaTestDatabase {
  prisma: PrismaClient;
  /** Every statement the client has sent (cleared by the caller between measurements). */
  statements: StatementLog;
  close(): Promise<void>;
}

/**
 * Prisma gives up on a transaction that waits over 2 s for a connection or runs over 5 s. Tests run
 * many files at once on a small machine, and are not about timing, so they wait longer.
 */
const transactionOptions = { maxWait: 60_000, timeout: 60_000 };

/** A test client over `factory` that logs every statement it sends. */
export function clientOver(factory: SqlDriverAdapterFactory): { prisma: PrismaClient; statements: StatementLog } {
  const { adapter, log } = recordStatements(factory);
  return { prisma: new PrismaClient({ adapter, transactionOptions }), statements: log };
}

/**
 * A client over a fresh in-memory PGlite. `timeZone` sets the session time zone (PGlite is one
 * session), to show that instants do not depend on it.
 */
export async function prismaOverPGlite(options: { timeZone?: string } = {}): Promise<PrismaTestDatabase> {
  const db = await provisionPGlite();
  if (options.timeZone !== undefined) await db.pglite.query('SELECT set_config($1, $2, false)', ['TimeZone', options.timeZone]);
  const { prisma, statements } = clientOver(new PrismaPGlite(db.pglite));
  return {
    prisma,
    statements,
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}

/**
 * A client over a fresh database on the PostgreSQL server, or the reason there is none.
 * `timeZone` sets the session time zone, to show that instants do not depend on it.
 */
export async function prismaOverPostgres(options: { timeZone?: string } = {}): Promise<PrismaTestDatabase | Skipped> {
  const db = await provisionPostgres();
  if ('skip' in db) return db;
  const { prisma, statements } = clientOver(
    new PrismaPg({
      connectionString: db.url,
      ...(options.timeZone === undefined ? {} : { options: `-c TimeZone=${options.timeZone}` }),
    }),
  );
  return {
    prisma,
    statements,
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
