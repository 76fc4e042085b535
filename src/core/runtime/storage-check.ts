import { randomUUID } from 'node:crypto';
import {
  describeCause,
  OAuthStorageCheckError,
  StorageUnavailableError,
  type OAuthStorageCheckCode,
  type StorageFailureReason,
} from '../errors.js';
import { classifyStorageFailure, type StorageFailure } from './storage-failure.js';
import type { StorageStack } from './storage-stack.js';

/** A digest no token hashes to in practice; well-formed, so the key checks let it reach storage. */
const ABSENT_DIGEST = '0'.repeat(64);

/**
 * The storage's connection check when it has one, then one cheap read through each port the
 * provider uses while serving requests — the clients, the access tokens, the authorization codes,
 * the scope catalogue and, when present, the user store, the failed-attempt counters and the
 * signing keys — straight through the storage stack (deadline included, read caches bypassed). The first failure
 * becomes an {@link OAuthStorageCheckError} whose reason {@link classifyStorageFailure} reads
 * from the codes on its cause chain.
 */
export async function checkStorage(stack: StorageStack): Promise<void> {
  const absentId = `oauth2-kit-check-${randomUUID()}`;
  const probes: Array<[string, () => Promise<unknown>]> = [];
  // First, so that a pool that hides why it cannot connect does not get to hide it.
  const connection = stack.connectionCheck;
  if (connection !== null) probes.push(['checkConnection', () => connection.checkConnection()]);
  probes.push(
    ['findClient', () => stack.runtime.findClient(absentId)],
    ['findAccessTokens', () => stack.runtime.findAccessTokens([ABSENT_DIGEST])],
    ['findAuthorizationCode', () => stack.runtime.findAuthorizationCode(ABSENT_DIGEST)],
    ['listScopes', () => stack.management.listScopes()],
  );
  const users = stack.users;
  if (users !== null) probes.push(['findUserById', () => users.findUserById(absentId)]);
  // The failed-attempt counters: a database without their table would fail only at the first wrong password.
  const counters = stack.attemptCounters;
  if (counters !== null) probes.push(['findAttemptCounter', () => counters.findAttemptCounter(ABSENT_DIGEST, new Date())]);
  // The signing keys: a database without their table would fail only at the first JWT access token.
  const signingKeys = stack.signingKeys;
  if (signingKeys !== null) probes.push(['listSigningKeys', () => signingKeys.listSigningKeys(new Date())]);
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
  const failure = classifyStorageFailure(cause);
  const found = `(${method}: ${causeWords(failure, cause)})`;
  const code = CHECK_CODES[failure.reason];
  const message =
    code === 'storage_unreachable'
      ? `the OAuth storage cannot be reached: ${reasonPhrase(failure)} ${found}. ${ADVICE[failure.reason]}`
      : code === 'storage_schema_missing'
        ? `the OAuth storage is missing tables: it has no oauth2-kit tables, or older ones ${found}. ${ADVICE.schema_missing}`
        : `the OAuth storage check failed ${found}.`;
  return new OAuthStorageCheckError(code, message, cause, failure.reason);
}

/**
 * The cause in the database's own words with its code (`role "app" does not exist (28000)`, where
 * Prisma says only "User was denied access on the database"); for a cause no reason fits, the
 * first line of each error along its chain.
 */
function causeWords(failure: StorageFailure, cause: unknown): string {
  if (failure.reason === 'other' || failure.detail === '') return describeCause(cause) || 'no details';
  const { detail, code } = failure;
  return code === undefined || detail.includes(String(code)) ? detail : `${detail} (${code})`;
}

/** The stable, coarser code each reason is reported under. */
const CHECK_CODES: Record<StorageFailureReason, OAuthStorageCheckCode> = {
  connection_refused: 'storage_unreachable',
  unknown_host: 'storage_unreachable',
  unreachable: 'storage_unreachable',
  timed_out: 'storage_unreachable',
  connection_lost: 'storage_unreachable',
  tls_failed: 'storage_unreachable',
  bad_credentials: 'storage_unreachable',
  unknown_database: 'storage_unreachable',
  schema_missing: 'storage_schema_missing',
  other: 'storage_failed',
};

function reasonPhrase(failure: StorageFailure): string {
  switch (failure.reason) {
    case 'connection_refused':
      return 'connection refused';
    case 'unknown_host':
      return failure.host === undefined ? 'unknown host' : `unknown host "${failure.host}"`;
    case 'unreachable':
      return 'the database server is unreachable';
    case 'timed_out':
      return 'no answer in time';
    case 'connection_lost':
      return 'the server closed the connection';
    case 'tls_failed':
      return 'the TLS connection failed';
    case 'bad_credentials':
      return 'bad credentials';
    case 'unknown_database':
      return 'unknown database';
    default:
      return failure.reason;
  }
}

/** What to do, per reason. */
const ADVICE: Record<StorageFailureReason, string> = {
  connection_refused: 'Check that the database server is running, and the host and port in the database URL.',
  unknown_host: 'Check the host name in the database URL.',
  unreachable: 'Check the host and port in the database URL, and that this machine can reach the database server.',
  timed_out: 'Check that the database server is up and reachable from here (a firewall that drops packets looks like this), and the port in the database URL.',
  connection_lost: 'Check that the database server is up and not restarting, and that the port in the database URL is the database\'s.',
  tls_failed: 'Check the TLS settings of the database URL (sslmode, certificates) against the server\'s.',
  bad_credentials: 'Check the user and password in the database URL, and that the server lets this user connect to the database.',
  unknown_database: 'Create the database, or fix its name in the database URL.',
  schema_missing: 'Apply the migrations before starting: `npx prisma migrate deploy` with Prisma, `npx oauth2-kit migrate` with the SQL provider.',
  other: '',
};
