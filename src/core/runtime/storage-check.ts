import { randomUUID } from 'node:crypto';
import { errorCodesOf, describeCause, OAuthStorageCheckError, StorageUnavailableError, type OAuthStorageCheckCode } from '../errors.js';
import { StorageTimeoutError } from './storage-deadline.js';
import type { StorageStack } from './storage-stack.js';

/**
 * Codes meaning the database answered but oauth2-kit's tables or columns are not there: PostgreSQL
 * `42P01` undefined_table and `42703` undefined_column; MySQL/MariaDB `ER_NO_SUCH_TABLE` (1146)
 * and `ER_BAD_FIELD_ERROR` (1054); Prisma `P2021` (table) and `P2022` (column).
 */
const SCHEMA_MISSING = new Set<string | number>(['42P01', '42703', 'ER_NO_SUCH_TABLE', 1146, 'ER_BAD_FIELD_ERROR', 1054, 'P2021', 'P2022']);

/**
 * Codes meaning the database cannot be reached or refuses the connection: Node's network errors;
 * PostgreSQL `28P01`/`28000` (authentication), `3D000` (no such database); MySQL/MariaDB
 * `ER_ACCESS_DENIED_ERROR` (1045), `ER_DBACCESS_DENIED_ERROR` (1044), `ER_BAD_DB_ERROR` (1049), the
 * MariaDB connector's connection timeouts; Prisma `P1000`–`P1003`, `P1011`, `P1017`.
 */
const UNREACHABLE = new Set<string | number>([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EAI_AGAIN',
  '28P01',
  '28000',
  '3D000',
  'ER_ACCESS_DENIED_ERROR',
  1045,
  'ER_DBACCESS_DENIED_ERROR',
  1044,
  'ER_BAD_DB_ERROR',
  1049,
  'ER_GET_CONNECTION_TIMEOUT',
  'ER_CONNECTION_TIMEOUT',
  'P1000',
  'P1001',
  'P1002',
  'P1003',
  'P1011',
  'P1017',
]);

/** A digest no token hashes to in practice; well-formed, so the key checks let it reach storage. */
const ABSENT_DIGEST = '0'.repeat(64);

/**
 * One cheap read through each port the provider uses while serving requests — the clients, the
 * access tokens, the authorization codes, the scope catalogue and, when present, the user store and
 * the failed-attempt counters —
 * straight through the storage stack (deadline included, read caches bypassed). The first failure
 * becomes an {@link OAuthStorageCheckError} classified from the codes on its cause chain.
 */
export async function checkStorage(stack: StorageStack): Promise<void> {
  const absentId = `oauth2-kit-check-${randomUUID()}`;
  const probes: Array<[string, () => Promise<unknown>]> = [
    ['findClient', () => stack.runtime.findClient(absentId)],
    ['findAccessTokens', () => stack.runtime.findAccessTokens([ABSENT_DIGEST])],
    ['findAuthorizationCode', () => stack.runtime.findAuthorizationCode(ABSENT_DIGEST)],
    ['listScopes', () => stack.management.listScopes()],
  ];
  const users = stack.users;
  if (users !== null) probes.push(['findUserById', () => users.findUserById(absentId)]);
  // The failed-attempt counters: a database without their table would fail only at the first wrong password.
  const counters = stack.attemptCounters;
  if (counters !== null) probes.push(['findAttemptCounter', () => counters.findAttemptCounter(ABSENT_DIGEST, new Date())]);
  for (const [method, probe] of probes) {
    try {
      await probe();
    } catch (error) {
      throw checkFailure(method, error);
    }
  }
}

function checkFailure(method: string, error: unknown): OAuthStorageCheckError {
  const cause = error instanceof StorageUnavailableError ? error.cause : error;
  const code = classify(cause);
  const described = describeCause(cause) || 'no details';
  const what = {
    storage_unreachable: `the OAuth storage cannot be reached (${method}: ${described}). Check the database URL, that the database server is running and reachable from here, and that it accepts these credentials.`,
    storage_schema_missing: `the OAuth storage has no oauth2-kit tables, or older ones (${method}: ${described}). Apply the migrations before starting: \`npx prisma migrate deploy\` with Prisma, \`npx oauth2-kit migrate\` with the SQL provider.`,
    storage_failed: `the OAuth storage check failed (${method}: ${described}).`,
  }[code];
  return new OAuthStorageCheckError(code, what, cause);
}

/** Classifies by the codes found along the cause chain (and an `AggregateError`'s errors). */
function classify(error: unknown): OAuthStorageCheckCode {
  const codes = codesAlong(error, 0);
  if (codes.some((code) => SCHEMA_MISSING.has(code))) return 'storage_schema_missing';
  if (error instanceof StorageTimeoutError || codes.some((code) => UNREACHABLE.has(code))) return 'storage_unreachable';
  return 'storage_failed';
}

function codesAlong(error: unknown, depth: number): Array<string | number> {
  if (depth > 4 || typeof error !== 'object' || error === null) return [];
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  const nested = Array.isArray(errors) ? errors.slice(0, 4).flatMap((inner) => codesAlong(inner, depth + 1)) : [];
  return [...errorCodesOf(error), ...nested, ...codesAlong(cause, depth + 1)];
}
