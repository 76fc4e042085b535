import { DuplicateError, UnknownScopeError } from '../core/index.js';
import { StorageUnavailableError, ValidationError } from '../core/index.js';
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
  for (const link of causeChain(error)) {
    // 42P01 undefined_table (PostgreSQL, PGlite); 1146 ER_NO_SUCH_TABLE (MySQL/MariaDB).
    if (link.code === '42P01' || link.errno === 1146) return MISSING_TABLES;
  }
  const problem = connectionProblem(error);
  return problem === undefined ? undefined : `cannot reach the database: ${problem}`;
}

/** What a driver error may carry; every field is read defensively. */
interface ErrorLink {
  code?: unknown;
  errno?: unknown;
  sqlMessage?: unknown;
  message?: unknown;
  hostname?: unknown;
}

/**
 * The error and everything it wraps: `cause` (the MariaDB pool's "failed to retrieve a connection"
 * wraps the real refusal; Prisma wraps its driver adapter's error) and an `AggregateError`'s
 * `errors` (pg reports `localhost` refusing on both ::1 and 127.0.0.1 as one). Bounded, so that a
 * cyclic chain ends.
 */
function causeChain(error: unknown): ErrorLink[] {
  const links: ErrorLink[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && links.length < 16) {
    const next = pending.shift();
    if (typeof next !== 'object' || next === null || links.includes(next as ErrorLink)) continue;
    links.push(next as ErrorLink);
    if (next instanceof AggregateError) pending.push(...next.errors);
    if ('cause' in next) pending.push((next as { cause?: unknown }).cause);
  }
  return links;
}

/** An error's message on one line, without the MariaDB driver's `(conn:…, no:…, SQLState:…)` prefix. */
function driverText(link: ErrorLink): string {
  const text = typeof link.sqlMessage === 'string' ? link.sqlMessage : typeof link.message === 'string' ? link.message : '';
  return text.split('\n')[0]!.replace(/^\(conn:[^)]*\)\s*/, '').trim();
}

/**
 * Why the database could not be reached or entered, as a phrase naming the cause, when it is one
 * the operator fixes in the database URL or on the server: the connection was refused, the host is
 * unknown, the connection timed out, authentication failed, the database does not exist. Walks the
 * error's cause chain, since pools and Prisma wrap the driver's error. Undefined for anything else.
 * Driver messages used here name the user, host or database, never the password.
 */
export function connectionProblem(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    const { code, errno } = link;
    if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED): is the database server running, on this host and port?';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      const host = typeof link.hostname === 'string' ? ` "${link.hostname}"` : '';
      return `unknown host${host} (${code}): check the host name in the database URL`;
    }
    if (code === 'ETIMEDOUT' || code === 'ER_CONNECTION_TIMEOUT') return `the connection timed out (${code}): is the host reachable, and the port right?`;
    // PostgreSQL 28P01 invalid_password, 28000 invalid_authorization_specification (no such role,
    // pg_hba refusal); MariaDB 1045 ER_ACCESS_DENIED_ERROR, 1698 ER_ACCESS_DENIED_NO_PASSWORD_ERROR,
    // 1044 ER_DBACCESS_DENIED_ERROR.
    if (code === '28P01' || code === '28000' || errno === 1045 || errno === 1698 || errno === 1044) {
      return `authentication failed: ${driverText(link)}: check the user and password in the database URL`;
    }
    // PostgreSQL 3D000 invalid_catalog_name; MariaDB 1049 ER_BAD_DB_ERROR.
    if (code === '3D000' || errno === 1049) {
      return `unknown database: ${driverText(link)}: create it, or fix the database name in the URL`;
    }
  }
  return undefined;
}
