import { DuplicateError, UnknownScopeError } from '../core/index.js';
import { classifyStorageFailure, SigningKeyError, StorageUnavailableError, ValidationError, type StorageFailure } from '../core/index.js';
import { CommandError, UsageError } from './cli-error.js';

/** How a failed command is reported: one line and an exit status. */
export interface Failure {
  message: string;
  /** 2 for a malformed command line, 1 for anything else. */
  exitCode: 1 | 2;
}

/**
 * Turns whatever a command threw into one line an operator can act on. Errors of this package are
 * shown as they are; database failures the operator causes (an unreachable or wrong database,
 * missing tables) as their cause; anything else — a bug — as `unexpected`, by its class and the
 * first line of its message only, because drivers append the failing statement and its bound
 * parameters (digests, hashes) on later lines.
 */
export function describeFailure(error: unknown, fieldNames: Record<string, string> = {}): Failure {
  if (error instanceof UsageError) return { message: error.message, exitCode: 2 };
  if (error instanceof CommandError) return { message: error.message, exitCode: 1 };
  if (error instanceof ValidationError) return { message: validationMessage(error, fieldNames), exitCode: 1 };
  if (error instanceof DuplicateError) return { message: duplicateMessage(error), exitCode: 1 };
  // Its message names the key, the operator key's fingerprints or the option, and what to do.
  if (error instanceof SigningKeyError) return { message: error.message, exitCode: 1 };
  if (error instanceof UnknownScopeError) {
    const list = error.scopes.join(' ');
    return {
      message: `unknown scope: ${list} (define it first: oauth2-kit scope define ${error.scopes[0] ?? '<name>'})`,
      exitCode: 1,
    };
  }
  if (error instanceof StorageUnavailableError) return describeDriverError(error.cause);
  return describeDriverError(error);
}

/** `redirectUris[1]: must be…` becomes `--redirect-uri #2: must be…` with the command's spelling. */
function validationMessage(error: ValidationError, fieldNames: Record<string, string>): string {
  const match = /^([A-Za-z]+)(?:\[(\d+)\])?$/.exec(error.field);
  const option = match ? fieldNames[match[1]!] : undefined;
  if (option === undefined) return error.message;
  const reason = error.message.slice(error.field.length).replace(/^:\s*/, '');
  return `${option}${match![2] === undefined ? '' : ` #${Number(match![2]) + 1}`}: ${reason}`;
}

function duplicateMessage(error: DuplicateError): string {
  if (error.entity === 'client') return 'a client with this id already exists';
  if (error.entity === 'username') return 'a user with this username already exists';
  if (error.entity === 'user') return 'a user with this id already exists';
  return error.message;
}

function describeDriverError(error: unknown): Failure {
  const expected = expectedDatabaseProblem(error);
  if (expected !== undefined) return { message: expected, exitCode: 1 };
  if (error instanceof Error) {
    const firstLine = error.message.split('\n')[0]!.trim();
    return { message: `unexpected ${error.name}${firstLine ? `: ${firstLine}` : ''}`, exitCode: 1 };
  }
  return { message: `unexpected failure: ${String(error)}`, exitCode: 1 };
}

const MISSING_TABLES = 'the database has no oauth2-kit tables yet: run "oauth2-kit migrate" first';

/**
 * A database failure an operator causes and can fix — missing tables, or any of
 * {@link connectionProblem} — as one line; undefined for anything else (a bug).
 */
function expectedDatabaseProblem(error: unknown): string | undefined {
  const failure = classifyStorageFailure(error);
  if (failure.reason === 'schema_missing') return MISSING_TABLES;
  const problem = phrase(failure);
  return problem === undefined ? undefined : `cannot reach the database: ${problem}`;
}

/**
 * Why the database could not be reached or entered, as a phrase naming the cause, when it is one
 * the operator fixes in the database URL or on the server: the connection was refused, the host is
 * unknown or unreachable, the connection timed out or was closed, authentication failed, the
 * database does not exist. The core's {@link classifyStorageFailure} reads the cause from the
 * whole error chain (pools and Prisma wrap the driver's error); this only words it for the command
 * line. Undefined for anything else. Driver messages used here name the user, host or database,
 * never the password.
 */
export function connectionProblem(error: unknown): string | undefined {
  return phrase(classifyStorageFailure(error));
}

function phrase(failure: StorageFailure): string | undefined {
  const code = failure.code === undefined ? '' : ` (${failure.code})`;
  switch (failure.reason) {
    case 'connection_refused':
      return `connection refused${code}: is the database server running, on this host and port?`;
    case 'unknown_host':
      return `unknown host${failure.host === undefined ? '' : ` "${failure.host}"`}${code}: check the host name in the database URL`;
    case 'unreachable':
      return `the database server is unreachable${code}: check the host and port in the database URL, and the network between here and there`;
    case 'timed_out':
      return failure.code === undefined
        ? `no answer in time (${failure.detail}): is the database server up and reachable from here?`
        : `the connection timed out${code}: is the host reachable, and the port right?`;
    case 'connection_lost':
      return `the server closed the connection${code}: is the database server restarting, and is the port the database's?`;
    case 'tls_failed':
      return `the TLS connection failed: ${failure.detail}: check the TLS settings in the database URL`;
    case 'bad_credentials':
      return `authentication failed: ${failure.detail}: check the user and password in the database URL`;
    case 'unknown_database':
      return `unknown database: ${failure.detail}: create it, or fix the database name in the URL`;
    default:
      return undefined;
  }
}
