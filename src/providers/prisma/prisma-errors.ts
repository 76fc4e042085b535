/**
 * Recognising Prisma's known request errors without importing `@prisma/client`: the library must
 * work with whichever client (and Prisma build) the application generated, so errors are matched by
 * their documented `code` rather than by class identity.
 */

/** Unique constraint failed (https://www.prisma.io/docs/orm/reference/error-reference#p2002). */
export const UNIQUE_VIOLATION = 'P2002';
/** Foreign key constraint failed (https://www.prisma.io/docs/orm/reference/error-reference#p2003). */
export const FOREIGN_KEY_VIOLATION = 'P2003';

/** Transaction failed due to a write conflict or a deadlock (https://www.prisma.io/docs/orm/reference/error-reference#p2034). */
export const WRITE_CONFLICT = 'P2034';

interface PrismaKnownError {
  code: string;
  meta?: Record<string, unknown>;
}

/** Whether `error` is a Prisma known request error with this code. */
export function isPrismaError(error: unknown, code: string): error is PrismaKnownError {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Names of the columns and constraint a P2002/P2003 error reports. Prisma 7 puts them under
 * `meta.driverAdapterError.cause.constraint`, as `fields` (PGlite) or `index` (node-postgres); older
 * builds used `meta.target`. Returns every name found, so callers test membership only.
 */
export function violatedConstraintNames(error: PrismaKnownError): string[] {
  const names: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === 'string') names.push(value);
    else if (Array.isArray(value)) for (const item of value) collect(item);
  };
  const meta = error.meta ?? {};
  collect(meta.target);
  const cause = (meta.driverAdapterError as { cause?: { constraint?: Record<string, unknown> } } | undefined)?.cause;
  collect(cause?.constraint?.fields);
  collect(cause?.constraint?.index);
  return names;
}

/**
 * Whether the database ended the statement as a deadlock's victim (or a serialization failure):
 * `@prisma/adapter-pg` reports PostgreSQL's 40P01 and 40001 as the kind `TransactionWriteConflict`,
 * which Prisma raises as P2034 from a model query and inside a P2010 from a raw one.
 */
export function isWriteConflict(error: unknown): boolean {
  if (isPrismaError(error, WRITE_CONFLICT)) return true;
  const adapterError = (error as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } } | null)?.meta?.driverAdapterError;
  return adapterError?.cause?.kind === 'TransactionWriteConflict';
}

/** How many times a write the database ended as a deadlock's victim is sent, in all. */
const MAX_WRITE_ATTEMPTS = 16;

/**
 * Sends a write of its own (autocommit) again when the database ended it as a deadlock's victim:
 * a revocation locks many rows of a client, user or family in index order, and a batch of
 * rotations several rows in its own order, so the two can cross (docs/adr/0003). The victim applied
 * nothing, and each such write is idempotent or a compare-and-set.
 */
export async function afterWriteConflicts<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (attempt === MAX_WRITE_ATTEMPTS || !isWriteConflict(error)) throw error;
    }
  }
}
