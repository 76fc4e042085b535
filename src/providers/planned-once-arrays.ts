/**
 * Arrays bound as one parameter each, written so that PostgreSQL plans a statement once for every
 * array: the token lookups of both providers and the SQL provider's batch of rotations use them.
 *
 * PostgreSQL's plan cache compares the plan it prepared with plans made for each call's
 * parameters. Bound directly (`= ANY($1)`, `unnest($1)`), an array is visible to the planner, and
 * for a short one (a lightly loaded server's batches: one digest, one rotation) a plan for those
 * values looks cheaper: PostgreSQL then plans the statement anew on every call, and goes on doing
 * so on that connection when larger batches come. That tripled the token lookup's database CPU and
 * doubled a rotation's (docs/benchmarks.md, "What changed for these figures"). Through a sub-select
 * the planner cannot see into, every call after the first five runs the prepared plan.
 */

/**
 * The array bound as `placeholder`, hidden from the planner: a sub-select, and a cast after it so
 * that it is an array value wherever it stands (after `ANY`, a bare sub-select would be
 * `ANY (subquery)`).
 */
export function plannedOnceArray(placeholder: string, type: string): string {
  return `(SELECT ${placeholder}::${type}[])::${type}[]`;
}

/**
 * `column = ANY(array)`, the array hidden from the planner. `type` is how PostgreSQL compares the
 * column: `bpchar` for a `char(n)` column, `text` for the others; the array takes it, so that the
 * comparison stays on the column's index.
 */
export function anyOfBoundArray(column: string, placeholder: string, type: 'text' | 'bpchar'): string {
  return `${column} = ANY(${plannedOnceArray(placeholder, type)})`;
}
