import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque credentials: client secrets, access and refresh tokens, authorization codes.
 * They are 256-bit random values, so a single SHA-256 is a sufficient one-way function for storage
 * (no salt or stretching is needed against guessing: see docs/adr/0002-hashed-credentials.md).
 */

const CREDENTIAL_BYTES = 32;
const DIGEST_BYTES = 32;

/** A fresh 256-bit random credential, base64url without padding (43 characters). */
export function generateCredential(): string {
  return randomBytes(CREDENTIAL_BYTES).toString('base64url');
}

/** The hex SHA-256 digest under which a credential is stored and looked up. */
export function digestCredential(credential: string): string {
  // One-shot hashing (Node ≥ 20.12): a third of createHash()'s cost, and this runs on every guarded request.
  return hash('sha256', credential, 'hex');
}

/**
 * Compares two hex digests in constant time. A malformed digest (wrong length or not hex) never
 * matches; its shape is no secret, so it may return early.
 */
export function digestsEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(actual, 'hex');
  if (a.length !== DIGEST_BYTES || b.length !== DIGEST_BYTES) return false;
  return timingSafeEqual(a, b);
}
