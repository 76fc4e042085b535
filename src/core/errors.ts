/**
 * Errors the core throws at its callers (management API, user store, provider construction).
 * OAuth protocol errors are answered by the HTTP interactors as RFC 6749 §5.2 bodies instead.
 */

/** Input to the management API, the user store or the provider options was refused. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    /** The offending field, e.g. `redirectUris[1]`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/**
 * The storage port failed (driver or connection error). The original error is kept as `cause`, and
 * the message names it in one line (`the OAuth storage is unavailable: connect ECONNREFUSED
 * 127.0.0.1:5432`, see {@link describeCause}) so that a logger printing only the message or the
 * stack (Koa's default `error` listener) still shows what went wrong. The message is for logs:
 * the endpoints answer a storage failure with a fixed text, never with this message.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  constructor(cause: unknown) {
    const described = describeCause(cause);
    super(described === '' ? 'the OAuth storage is unavailable' : `the OAuth storage is unavailable: ${described}`, { cause });
  }
}

/** What {@link OAuthStorageCheckError} found, for programs that react to it. */
export type OAuthStorageCheckCode =
  /** The database cannot be reached or refuses the credentials (wrong URL, server down, wrong password). */
  | 'storage_unreachable'
  /** The database answers but lacks oauth2-kit's tables or columns: the migrations have not run. */
  | 'storage_schema_missing'
  /** Any other failure of the probe; the message names it. */
  | 'storage_failed';

/**
 * Why a storage failed, as precisely as the database's error says: see `classifyStorageFailure`,
 * which reads it from the error's codes.
 */
export type StorageFailureReason =
  /** Nothing listens at the host and port (`ECONNREFUSED`): the server is down, or the port is wrong. */
  | 'connection_refused'
  /** The host name does not resolve (`ENOTFOUND`, `EAI_AGAIN`). */
  | 'unknown_host'
  /** No route to the server, or Prisma could not reach it without saying why (`EHOSTUNREACH`, `P1001`). */
  | 'unreachable'
  /** Connecting or answering took too long (`ETIMEDOUT`, a pool's acquire timeout, `storageTimeout`). */
  | 'timed_out'
  /** The server closed the connection (`ECONNRESET`, PostgreSQL `57P01`, Prisma `P1017`). */
  | 'connection_lost'
  /** The TLS handshake failed (Prisma `P1011`). */
  | 'tls_failed'
  /** The server refused the user or the password (PostgreSQL `28P01`/`28000`, MySQL 1045/1044/1698, Prisma `P1000`/`P1010`). */
  | 'bad_credentials'
  /** The database named in the URL does not exist (PostgreSQL `3D000`, MySQL 1049, Prisma `P1003`). */
  | 'unknown_database'
  /** The database answers but lacks oauth2-kit's tables or columns (`42P01`, `42703`, MySQL 1146/1054, Prisma `P2021`/`P2022`). */
  | 'schema_missing'
  /** Anything else; the message names it. */
  | 'other';

/**
 * `provider.check()` found the storage unusable. `code` says why in a stable form, `reason` more
 * precisely (a refused connection, an unknown host, bad credentials, an unknown database, missing
 * tables…); the message names the reason, the failing storage call, the cause and what to do; the
 * driver's error is the `cause`.
 */
export class OAuthStorageCheckError extends Error {
  override readonly name = 'OAuthStorageCheckError';
  constructor(
    readonly code: OAuthStorageCheckCode,
    message: string,
    cause: unknown,
    /** The precise reason; each maps to one `code` (`schema_missing` to `storage_schema_missing`, `other` to `storage_failed`, the rest to `storage_unreachable`). */
    readonly reason: StorageFailureReason = code === 'storage_schema_missing' ? 'schema_missing' : 'other',
  ) {
    super(message, { cause });
  }
}

/** Longest description of a cause put in a message. */
const MAX_DESCRIPTION = 300;

/**
 * One line saying what an error is about, for messages meant for logs: the first meaningful line of
 * each message along the `cause` chain (a few deep; an `AggregateError` by its first error), joined
 * with `: `, with the driver's `code` appended when the line does not already show it. Drivers put
 * the failing statement and its parameters on later lines, which are left out.
 *
 * Credentials are taken out: `user:password@` in a URL becomes `user:***@`, and `password=…` in a
 * key-value connection string `password=***`. Common drivers do not put the password in their
 * messages, but a connection-string parse error may echo the string, and a log is no place for it.
 */
export function describeCause(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth += 1) {
    const line = describeOne(current);
    if (line !== '' && !lines.some((seen) => seen.includes(line))) lines.push(line);
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  const joined = redactCredentials(lines.join(': '));
  return joined.length > MAX_DESCRIPTION ? `${joined.slice(0, MAX_DESCRIPTION - 1)}…` : joined;
}

function describeOne(error: unknown): string {
  if (typeof error !== 'object') return typeof error === 'string' ? firstLine(error) : '';
  const { message, errors } = error as { message?: unknown; errors?: unknown };
  let line = typeof message === 'string' ? firstLine(message) : '';
  // Node reports a refused connection to every address of a host as an AggregateError without a message.
  if (line === '' && Array.isArray(errors) && errors.length > 0) line = describeOne(errors[0]);
  const code = errorCodesOf(error)[0];
  if (code !== undefined && !line.includes(String(code))) line = line === '' ? String(code) : `${line} (${code})`;
  return line;
}

/**
 * The first line worth showing. Prisma starts with "Invalid `prisma.x.y()` invocation in", then
 * the calling file's path and a code frame, and says what happened after them.
 */
export function firstLine(message: string): string {
  const lines = message.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (lines.length > 1 && /^Invalid `.*` invocation/.test(lines[0]!)) {
    const said = lines.slice(1).find((line) => !/^(?:→\s*)?\d+(?:\s|$)/.test(line) && !/^\S+:\d+:\d+$/.test(line));
    if (said !== undefined) return said;
  }
  return lines[0] ?? '';
}

/**
 * The machine-readable codes an error carries itself, as drivers set them without a shared type:
 * `code` (Node's `ECONNREFUSED`, PostgreSQL's SQLSTATE, MySQL's `ER_…`, Prisma's `P2021`),
 * `errorCode` (Prisma's initialization errors) and `errno` (MySQL's numbers). Read from the
 * properties only, so the core needs no driver to recognise them.
 */
export function errorCodesOf(error: unknown): Array<string | number> {
  if (typeof error !== 'object' || error === null) return [];
  const { code, errorCode, errno } = error as { code?: unknown; errorCode?: unknown; errno?: unknown };
  return [code, errorCode, errno].filter((value): value is string | number => typeof value === 'string' || typeof value === 'number');
}

/** `text` with the password of a URL (`user:***@`) and of a key-value string (`password=***`) taken out. */
export function redactCredentials(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):[^\s@/]*@/gi, '$1:***@')
    .replace(/(password\s*=\s*)[^\s;&]+/gi, '$1***');
}
