/**
 * `column = ANY(array)` for an array bound as one parameter, written so that PostgreSQL plans the
 * statement once for every array: both providers' token lookups use it.
 *
 * PostgreSQL's plan cache compares the plan it prepared with plans made for each call's
 * parameters. Bound directly (`= ANY($1)`), the array is visible to the planner, and for fewer
 * than ten values (a lightly loaded server's batches: one digest) a plan for those values looks
 * cheaper: PostgreSQL then plans the statement anew on every call, and goes on doing so on that
 * connection when larger batches come. For the token lookup that tripled its database CPU
 * (docs/benchmarks.md, "What changed for these figures"). Through a sub-select the planner
 * cannot see into, every call after the first five runs the prepared plan; the cast after the
 * sub-select makes it an array value rather than `ANY (subquery)`.
 *
 * `type` is how PostgreSQL compares the column: `bpchar` for a `char(n)` column, `text` for the
 * others. The array takes it, so that the comparison stays on the column's index.
 */
export function anyOfBoundArray(column: string, placeholder: string, type: 'text' | 'bpchar'): string {
  return `${column} = ANY((SELECT ${placeholder}::${type}[])::${type}[])`;
}
