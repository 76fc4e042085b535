import { errorCodesOf, firstLine, redactCredentials, type StorageFailureReason } from '../errors.js';
import { StorageTimeoutError } from './storage-deadline.js';

/** What {@link classifyStorageFailure} found. */
export interface StorageFailure {
  /** Why the storage failed; `other` when no error along the chain says. */
  reason: StorageFailureReason;
  /**
   * The database's own words for the cause, one line, without the driver's prefixes, the failing
   * statement or a password (`database "shop" does not exist`, `Access denied for user 'app'@'10.0.0.5'
   * (using password: YES)`, `connect ECONNREFUSED 127.0.0.1:5432`); empty when the error has none.
   */
  detail: string;
  /**
   * The code that decided the reason: the driver's (`ECONNREFUSED`, `3D000`, `ER_BAD_DB_ERROR`),
   * else Prisma's (`P1001`); absent for `other` and for a `storageTimeout`.
   */
  code?: string | number;
  /** For `unknown_host`, the host name that did not resolve, when the error names it. */
  host?: string;
}

/**
 * Reasons by the codes drivers put in `code`, `errorCode` or `errno`: Node's network errors;
 * PostgreSQL SQLSTATEs (also PGlite's); MySQL/MariaDB error names and numbers; the `mariadb`
 * connector's timeouts; Prisma's error codes (https://www.prisma.io/docs/orm/reference/error-reference).
 */
const REASON_BY_CODE = new Map<string | number, StorageFailureReason>([
  ['ECONNREFUSED', 'connection_refused'],
  ['ENOTFOUND', 'unknown_host'],
  ['EAI_AGAIN', 'unknown_host'],
  ['EHOSTUNREACH', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  ['P1001', 'unreachable'],
  ['ETIMEDOUT', 'timed_out'],
  ['ER_CONNECTION_TIMEOUT', 'timed_out'],
  ['ER_GET_CONNECTION_TIMEOUT', 'timed_out'],
  ['P1002', 'timed_out'],
  ['P1008', 'timed_out'],
  ['ECONNRESET', 'connection_lost'],
  ['EPIPE', 'connection_lost'],
  ['ER_SOCKET_UNEXPECTED_CLOSE', 'connection_lost'],
  ['57P01', 'connection_lost'], // admin_shutdown
  ['P1017', 'connection_lost'],
  ['P1011', 'tls_failed'],
  ['28P01', 'bad_credentials'], // invalid_password
  ['28000', 'bad_credentials'], // invalid_authorization_specification: no such role, a pg_hba refusal
  ['ER_ACCESS_DENIED_ERROR', 'bad_credentials'],
  [1045, 'bad_credentials'],
  ['ER_DBACCESS_DENIED_ERROR', 'bad_credentials'],
  [1044, 'bad_credentials'],
  ['ER_ACCESS_DENIED_NO_PASSWORD_ERROR', 'bad_credentials'],
  [1698, 'bad_credentials'],
  ['P1000', 'bad_credentials'],
  ['P1010', 'bad_credentials'],
  ['3D000', 'unknown_database'], // invalid_catalog_name
  ['ER_BAD_DB_ERROR', 'unknown_database'],
  [1049, 'unknown_database'],
  ['P1003', 'unknown_database'],
  ['42P01', 'schema_missing'], // undefined_table
  ['42703', 'schema_missing'], // undefined_column
  ['ER_NO_SUCH_TABLE', 'schema_missing'],
  [1146, 'schema_missing'],
  ['ER_BAD_FIELD_ERROR', 'schema_missing'],
  [1054, 'schema_missing'],
  ['P2021', 'schema_missing'],
  ['P2022', 'schema_missing'],
]);

/**
 * Reasons by the `kind` of a Prisma driver adapter's error (`meta.driverAdapterError.cause.kind`),
 * which Prisma 7 hands on instead of the driver's error.
 */
const REASON_BY_ADAPTER_KIND = new Map<string, StorageFailureReason>([
  ['DatabaseDoesNotExist', 'unknown_database'],
  ['AuthenticationFailed', 'bad_credentials'],
  ['DatabaseAccessDenied', 'bad_credentials'],
  ['TableDoesNotExist', 'schema_missing'],
  ['ColumnNotFound', 'schema_missing'],
  ['SocketTimeout', 'timed_out'],
  ['ConnectionClosed', 'connection_lost'],
  ['TlsConnectionError', 'tls_failed'],
]);

/**
 * When errors along one chain disagree, the most specific wins: a pool's "no connection in time"
 * wraps the refusal that caused it, Prisma's "can't reach the server" the adapter's finer kind.
 */
const SPECIFICITY: readonly StorageFailureReason[] = [
  'schema_missing',
  'unknown_database',
  'bad_credentials',
  'unknown_host',
  'connection_refused',
  'tls_failed',
  'connection_lost',
  'unreachable',
  'timed_out',
];

/** Links of a cause chain read at most; a cyclic chain ends there. */
const MAX_LINKS = 16;
/** Longest detail kept. */
const MAX_DETAIL = 300;

interface Link {
  value: Record<string, unknown>;
  parent: Link | undefined;
  depth: number;
}

interface Match {
  link: Link;
  reason: StorageFailureReason;
  code?: string | number;
  host?: string;
}

/**
 * Says why a database call failed — connection refused, unknown host, timed out, bad credentials,
 * unknown database, missing tables… — from the error a driver, a pool or Prisma threw, so that a
 * program can tell its operator what to fix. Reads only the errors' properties (`code`, `errno`,
 * `errorCode`, Prisma's adapter `kind`), so no driver is loaded to do it.
 *
 * The whole chain is read: `cause` (the `mariadb` pool's "failed to retrieve a connection" wraps the
 * real refusal), an `AggregateError`'s `errors` (Node reports `localhost` refusing on both `::1` and
 * `127.0.0.1` as one), Prisma's `meta.driverAdapterError` and its `cause`. When several errors along
 * it say something, the most specific wins. A `StorageUnavailableError` is read through its cause.
 *
 * @example
 * ```ts
 * try {
 *   await provider.check();
 * } catch (error) {
 *   const { reason, detail } = classifyStorageFailure(error); // e.g. 'unknown_database', 'database "shop" does not exist'
 * }
 * ```
 */
export function classifyStorageFailure(error: unknown): StorageFailure {
  const links = chainOf(error);
  let best: Match | undefined;
  for (const link of links) {
    const match = matchOf(link);
    if (match !== undefined && (best === undefined || moreTelling(match, best))) best = match;
  }
  if (best === undefined) {
    const outermost = links[0];
    return { reason: 'other', detail: outermost !== undefined ? detailOf(outermost) : typeof error === 'string' ? clean(error) : '' };
  }
  return {
    reason: best.reason,
    detail: detailOf(best.link),
    ...(best.code === undefined ? {} : { code: best.code }),
    ...(best.host === undefined ? {} : { host: best.host }),
  };
}

/** The more specific reason; for the same reason, the error deeper down, which speaks the driver's own words. */
function moreTelling(candidate: Match, best: Match): boolean {
  const rank = SPECIFICITY.indexOf(candidate.reason) - SPECIFICITY.indexOf(best.reason);
  return rank < 0 || (rank === 0 && candidate.link.depth > best.link.depth);
}

/** The error and everything it wraps, outermost first. */
function chainOf(error: unknown): Link[] {
  const links: Link[] = [];
  const seen = new Set<unknown>();
  const pending: Array<{ value: unknown; parent: Link | undefined }> = [{ value: error, parent: undefined }];
  while (pending.length > 0 && links.length < MAX_LINKS) {
    const { value, parent } = pending.shift()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const link: Link = { value: value as Record<string, unknown>, parent, depth: parent === undefined ? 0 : parent.depth + 1 };
    links.push(link);
    const { cause, errors, meta } = link.value;
    if (Array.isArray(errors)) for (const inner of errors) pending.push({ value: inner, parent: link });
    if (cause !== undefined) pending.push({ value: cause, parent: link });
    if (typeof meta === 'object' && meta !== null) {
      pending.push({ value: (meta as { driverAdapterError?: unknown }).driverAdapterError, parent: link });
    }
  }
  return links;
}

function matchOf(link: Link): Match | undefined {
  const { value } = link;
  if (value instanceof StorageTimeoutError) return { link, reason: 'timed_out' };
  const kind = value.kind;
  if (typeof kind === 'string') {
    // The driver's code when the adapter kept it, else Prisma's own (P1001) around it.
    const code = typeof value.originalCode === 'string' ? value.originalCode : (codeAround(link) ?? kind);
    // @prisma/adapter-pg reports a refused connection and an unknown host alike; only a refused
    // one has a port, the one its socket tried.
    if (kind === 'DatabaseNotReachable') {
      const host = typeof value.host === 'string' ? value.host : undefined;
      if (value.port !== undefined && value.port !== null) return { link, reason: 'connection_refused', code };
      return { link, reason: 'unknown_host', code, ...(host === undefined ? {} : { host }) };
    }
    const reason = REASON_BY_ADAPTER_KIND.get(kind);
    if (reason !== undefined) return { link, reason, code };
  }
  for (const code of errorCodesOf(value)) {
    const reason = REASON_BY_CODE.get(code);
    if (reason === undefined) continue;
    if (reason === 'unknown_host' && typeof value.hostname === 'string') return { link, reason, code, host: value.hostname };
    return { link, reason, code };
  }
  return undefined;
}

function codeAround(link: Link): string | number | undefined {
  for (let current = link.parent; current !== undefined; current = current.parent) {
    const code = errorCodesOf(current.value)[0];
    // Prisma's "raw query failed" says nothing of why: the adapter's kind says more.
    if (code !== undefined && code !== PRISMA_RAW_QUERY_FAILED) return code;
  }
  return undefined;
}

const PRISMA_RAW_QUERY_FAILED = 'P2010';

/** Prisma's words around a raw query's failure: "Raw query failed. Code: `…`. Message: `…`". */
const RAW_QUERY_FAILED = /Raw query failed\. Code: `[^`]*`\. Message: `([\s\S]*)`\s*$/;

/** The words of the link, else of the nearest error around it that has some. */
function detailOf(link: Link): string {
  for (let current: Link | undefined = link; current !== undefined; current = current.parent) {
    const text = textOf(current.value);
    if (text !== '') return text;
  }
  return '';
}

function textOf(value: Record<string, unknown>): string {
  // Prisma's DriverAdapterError says only its kind; the words are its cause's or Prisma's own.
  if (value.name === 'DriverAdapterError') return '';
  for (const field of ['sqlMessage', 'originalMessage', 'message'] as const) {
    const text = value[field];
    if (typeof text === 'string' && text.trim() !== '') return clean(RAW_QUERY_FAILED.exec(text.trim())?.[1] ?? text);
  }
  const errors = value.errors;
  if (Array.isArray(errors) && typeof errors[0] === 'object' && errors[0] !== null) return textOf(errors[0] as Record<string, unknown>);
  return '';
}

/** One line, without the `mariadb` connector's `(conn:…, no:…, SQLState:…)` prefix or a password. */
function clean(text: string): string {
  const line = redactCredentials(firstLine(text).replace(/^\(conn:[^)]*\)\s*/, ''));
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}
