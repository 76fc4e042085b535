import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing for the default user store: scrypt (RFC 7914) from node:crypto with a random
 * 16-byte salt, stored as the self-describing string `scrypt$N$r$p$salt$hash` (base64url) so that
 * the cost can be raised later without invalidating existing hashes.
 */

/** scrypt cost parameters (RFC 7914 §2). */
export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB per hash: the RFC 7914 interactive-login order of magnitude. */
export const DEFAULT_SCRYPT_COST: Readonly<ScryptCost> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/**
 * Bounds on parameters read back from a stored hash: a planted hash with an enormous N must not be
 * able to exhaust memory when someone logs in.
 */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** Throws when the cost is not usable; used to validate provider options. */
export function assertScryptCost(cost: ScryptCost): void {
  if (!isValidCost(cost)) {
    throw new RangeError(`scrypt cost must have N a power of two in [2, ${MAX_N}], r in [1, ${MAX_R}], p in [1, ${MAX_P}]`);
  }
}

function isValidCost({ N, r, p }: ScryptCost): boolean {
  return (
    Number.isInteger(N) && N >= 2 && N <= MAX_N && (N & (N - 1)) === 0 &&
    Number.isInteger(r) && r >= 1 && r <= MAX_R &&
    Number.isInteger(p) && p >= 1 && p <= MAX_P
  );
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // node's default maxmem (32 MiB) is exactly the default cost's need; leave headroom.
  const maxmem = 128 * cost.N * cost.r * cost.p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N: cost.N, r: cost.r, p: cost.p, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** Hashes a password into `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks a password against a stored hash in constant time. A malformed or out-of-bounds stored
 * hash never verifies (and is not an error: the caller answers "bad credentials").
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!isValidCost(cost)) return false;
  const salt = Buffer.from(saltText, 'base64url');
  const expected = Buffer.from(keyText, 'base64url');
  if (salt.length < SALT_BYTES || expected.length !== KEY_BYTES) return false;
  const actual = await derive(password, salt, cost);
  return timingSafeEqual(actual, expected);
}
