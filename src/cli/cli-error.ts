/**
 * Errors the CLI reports as one line, without a stack trace. Anything else that reaches the top
 * is translated by `describeFailure` or, failing that, reported as an unexpected error.
 */

/** The command line itself is wrong (unknown flag, missing argument): exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command was understood but cannot be carried out (no such client, database busy): exit status 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}
