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

/**
 * N=2^17, r=8, p=1 (128 MiB per hash): the first of the scrypt settings of the OWASP Password
 * Storage Cheat Sheet, which lists N=2^16, r=8, p=2 and N=2^15, r=8, p=3 as equivalent. Measured
 * on an idle 2-core AMD EPYC with Node 20 (median of 7 hashes; memory as the growth of the resident
 * set), the three take 467 ms / 128 MiB, 468 ms / 64 MiB and 295 ms / 32 MiB; the former default,
 * N=2^15, r=8, p=1, took 111 ms / 32 MiB. A guessing rig pays memory × time per guess, and the p
 * lanes run one after another in the same memory: per guess, 2^16/8/2 costs it half of what
 * 2^17/8/1 does and 2^15/8/3 three sixteenths, for as much or 0.6 times the server's time.
 * 2^17/8/1 is the most cost to a guesser per millisecond of ours; its price is 128 MiB for each
 * check in flight. Hosts short of memory configure `{ N: 2 ** 15, r: 8, p: 3 }`.
 */
export const DEFAULT_SCRYPT_COST: Readonly<ScryptCost> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

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
  // node's default maxmem is 32 MiB: allow what this cost needs (at most 128·N·r·p bytes), with headroom.
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
 * A hash in the stored format that no password verifies against (its key is random, not derived:
 * a match is a 2^-256 chance), and whose check costs exactly what checking a real hash of this
 * cost does. What an unknown username is checked against.
 */
export function unmatchableHash(cost: ScryptCost): string {
  return ['scrypt', cost.N, cost.r, cost.p, randomBytes(SALT_BYTES).toString('base64url'), randomBytes(KEY_BYTES).toString('base64url')].join('$');
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

/** A stored hash's parts, or null when it is not one {@link verifyPassword} would check. */
function parse(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!isValidCost(cost)) return null;
  const salt = Buffer.from(saltText, 'base64url');
  const key = Buffer.from(keyText, 'base64url');
  if (salt.length < SALT_BYTES || key.length !== KEY_BYTES) return null;
  return { cost, salt, key };
}

/** The cost a stored hash was made with, or null when it is malformed or out of bounds. */
export function costOf(stored: string): ScryptCost | null {
  return parse(stored)?.cost ?? null;
}

/**
 * Whether a stored hash should be replaced by one made at `cost`: it is not an scrypt hash of
 * ours, or any of its N, r, p is below `cost`'s. A hash above `cost` in some parameter and below
 * in another is replaced too: every parameter of the configured cost is a floor.
 */
export function needsRehash(stored: string, cost: ScryptCost): boolean {
  const current = costOf(stored);
  return current === null || current.N < cost.N || current.r < cost.r || current.p < cost.p;
}

/**
 * Checks a password against a stored hash in constant time. A malformed or out-of-bounds stored
 * hash never verifies (and is not an error: the caller answers "bad credentials").
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (parsed === null) return false;
  const actual = await derive(password, parsed.salt, parsed.cost);
  return timingSafeEqual(actual, parsed.key);
}
