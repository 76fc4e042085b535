/**
 * Readers for one column of a result row. They accept exactly what `SQLInterface` promises and
 * throw a clear error otherwise, so that a misbehaving adapter is caught at the first read instead
 * of leaking a string where a `Date` belongs.
 */

/** A result row as an adapter returns it. */
export type Row = Record<string, unknown>;

function mismatch(column: string, expected: string, value: unknown): TypeError {
  const got = value === null ? 'null' : value instanceof Date ? 'Date' : typeof value;
  return new TypeError(`column ${column}: expected ${expected}, got ${got} (check the SQLInterface adapter)`);
}

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw mismatch(column, 'string', value);
  return value;
}

export function optionalText(row: Row, column: string): string | null {
  return row[column] === null || row[column] === undefined ? null : text(row, column);
}

export function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw mismatch(column, 'integer', value);
  return value;
}

export function optionalInteger(row: Row, column: string): number | null {
  return row[column] === null || row[column] === undefined ? null : integer(row, column);
}

/** A boolean, or MySQL's 0/1 for one. */
export function boolean(row: Row, column: string): boolean {
  const value = row[column];
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw mismatch(column, 'boolean', value);
}

export function timestamp(row: Row, column: string): Date {
  const value = row[column];
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw mismatch(column, 'valid Date', value);
  return value;
}

export function optionalTimestamp(row: Row, column: string): Date | null {
  return row[column] === null || row[column] === undefined ? null : timestamp(row, column);
}
