/**
 * A driver-adapter wrapper that records every statement Prisma sends to the database, including the
 * ones Prisma's `query` log event leaves out (failed statements, BEGIN/COMMIT/ROLLBACK), so that tests
 * can state how many round trips a port method costs.
 */
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from '@prisma/driver-adapter-utils';

/** What the wrapper has seen so far; `clear()` between measurements. */
export interface StatementLog {
  readonly statements: string[];
  clear(): void;
}

/** Wraps `factory` so that every statement through it is appended to the returned log. */
export function recordStatements(factory: SqlDriverAdapterFactory): {
  adapter: SqlDriverAdapterFactory;
  log: StatementLog;
} {
  const statements: string[] = [];
  const log: StatementLog = {
    statements,
    clear: () => void statements.splice(0),
  };
  const record = (sql: string) => void statements.push(sql);

  // Adapters open a transaction inside `startTransaction` (so BEGIN never passes through
  // `executeRaw`). Those with `usePhantomQuery` (PGlite) also end it inside `commit()`/`rollback()`;
  // the others (node-postgres) get COMMIT/ROLLBACK from Prisma through `executeRaw`, already recorded.
  const wrapTransaction = (tx: Transaction): Transaction => {
    const ends = (sql: string) => {
      if (tx.options.usePhantomQuery) record(sql);
    };
    return Object.assign(Object.create(tx) as Transaction, {
      queryRaw: (q: SqlQuery) => (record(q.sql), tx.queryRaw(q)),
      executeRaw: (q: SqlQuery) => (record(q.sql), tx.executeRaw(q)),
      commit: () => (ends('COMMIT'), tx.commit()),
      rollback: () => (ends('ROLLBACK'), tx.rollback()),
    });
  };

  const wrapAdapter = (inner: SqlDriverAdapter): SqlDriverAdapter =>
    Object.assign(Object.create(inner) as SqlDriverAdapter, {
      queryRaw: (q: SqlQuery) => (record(q.sql), inner.queryRaw(q)),
      executeRaw: (q: SqlQuery) => (record(q.sql), inner.executeRaw(q)),
      executeScript: (script: string) => (record(script), inner.executeScript(script)),
      startTransaction: async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
        record('BEGIN');
        return wrapTransaction(await inner.startTransaction(...args));
      },
    });

  const adapter: SqlDriverAdapterFactory = Object.assign(Object.create(factory) as SqlDriverAdapterFactory, {
    connect: async () => wrapAdapter(await factory.connect()),
  });
  return { adapter, log };
}
