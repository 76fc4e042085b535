/**
 * Recognising Prisma's known request errors without importing `@prisma/client`: the library must
 * work with whichever client (and Prisma build) the application generated, so errors are matched by
 * their documented `code` rather than by class identity.
 */

/** Unique constraint failed (https://www.prisma.io/docs/orm/reference/error-reference#p2002). */
export const UNIQUE_VIOLATION = 'P2002';
/** Foreign key constraint failed (https://www.prisma.io/docs/orm/reference/error-reference#p2003). */
export const FOREIGN_KEY_VIOLATION = 'P2003';

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
