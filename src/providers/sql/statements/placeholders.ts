/**
 * Placeholder lists for statements whose length depends on the input (multi-row VALUES, IN lists).
 * Statements are written with PostgreSQL's numbered placeholders; the dialect rewrites them.
 */

/** `$first, $first+1, …` for `count` parameters. */
export function placeholderList(count: number, first = 1): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');
}

/** `($1, $2), ($3, $4), …`: `rows` tuples of `width` parameters each, numbered from `first`. */
export function valuesList(rows: number, width: number, first = 1): string {
  return Array.from({ length: rows }, (_, row) => `(${placeholderList(width, first + row * width)})`).join(', ');
}
