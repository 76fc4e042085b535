import { createHash, randomBytes } from 'node:crypto';
import { ValidationError } from '../../errors.js';

/**
 * The operator's key: the 256-bit secret signing keys' private halves are encrypted under at rest
 * (`signingKeys.encryptionKey`). It never leaves the process; a fingerprint of it names it in the
 * header of every private key it encrypted, so that a wrong or changed key is told apart from a
 * damaged row.
 */
export interface OperatorKey {
  /** base64url of a domain-separated SHA-256 of the key, 16 characters: safe to print and store. */
  readonly fingerprint: string;
  /** The 32 bytes of the key. */
  readonly secret: Uint8Array;
}

/** The operator keys a provider holds: the one it encrypts new keys under, and older ones it still reads. */
export interface OperatorKeys {
  readonly current: OperatorKey;
  /** Every key by fingerprint, the current one included. */
  readonly byFingerprint: ReadonlyMap<string, OperatorKey>;
}

const KEY_BYTES = 32;
const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}$/;
/** Keeps the fingerprint from being a plain hash of the key that could be met elsewhere. */
const FINGERPRINT_CONTEXT = 'oauth2-kit signing-key encryption key v1\n';

/** How an operator key is written, for messages. */
export const OPERATOR_KEY_FORMAT =
  "32 random bytes, base64url without padding (43 characters), e.g. from: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"";

/**
 * A fresh operator key in the form `signingKeys.encryptionKey` takes: 32 random bytes, base64url.
 * Generate it once, keep it in a secret store, and give the same key to every process (and the
 * CLI) on one database.
 */
export function generateSigningKeyEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString('base64url');
}

/** The key `value` writes, or a {@link ValidationError} naming `field` (never quoting the value). */
export function parseOperatorKey(value: unknown, field: string): OperatorKey {
  if (typeof value !== 'string' || !BASE64URL_KEY.test(value)) throw new ValidationError(field, `must be ${OPERATOR_KEY_FORMAT}`);
  const secret = Buffer.from(value, 'base64url');
  // 43 characters carry 258 bits: the last two must be zero for the text to be the key's one spelling.
  if (secret.length !== KEY_BYTES || secret.toString('base64url') !== value) {
    throw new ValidationError(field, `must be ${OPERATOR_KEY_FORMAT}; this text is not the base64url spelling of 32 bytes`);
  }
  const fingerprint = createHash('sha256').update(FINGERPRINT_CONTEXT).update(secret).digest('base64url').slice(0, 16);
  return { fingerprint, secret: new Uint8Array(secret) };
}

/** The operator keys of `current` and `previous`, each checked; a repeated key counts once. */
export function operatorKeysOf(current: OperatorKey, previous: readonly OperatorKey[]): OperatorKeys {
  const byFingerprint = new Map<string, OperatorKey>([[current.fingerprint, current]]);
  for (const key of previous) if (!byFingerprint.has(key.fingerprint)) byFingerprint.set(key.fingerprint, key);
  return { current, byFingerprint };
}
