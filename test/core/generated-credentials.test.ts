/**
 * Generated credentials (client secrets, access and refresh tokens, codes) are 256-bit values from
 * the CSPRNG, drawn in blocks: no two are ever alike, across the blocks too (RFC 6749 §10.10).
 */
import test from 'ava';
import { generateCredential } from '../../src/core/provider/opaque-credentials.js';

test('RFC 6749 §10.10 — generated credentials are 43 base64url characters (256 bits) and never repeat, across many blocks', (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const credential = generateCredential();
    t.regex(credential, /^[A-Za-z0-9_-]{43}$/);
    seen.add(credential);
  }
  t.is(seen.size, 1000);
});

test('RFC 6749 §10.10 — generated credentials are not zeroed bytes: what is taken from a block is its random part', (t) => {
  // 32 zero bytes in base64url: a credential served from a block slot already zeroed would read so.
  const zero = Buffer.alloc(32).toString('base64url');
  for (let i = 0; i < 300; i++) t.not(generateCredential(), zero);
});

test('RFC 6749 §10.10 — the bits of generated credentials are balanced, as random bits are', (t) => {
  let ones = 0;
  const count = 2000;
  for (let i = 0; i < count; i++) for (const byte of Buffer.from(generateCredential(), 'base64url')) ones += popcount(byte);
  const bits = count * 256;
  // 512 000 fair bits: the share of ones is within 0.5 % of a half with overwhelming probability (σ ≈ 0.07 %).
  t.true(Math.abs(ones / bits - 0.5) < 0.005, `share of ones ${ones / bits}`);
});

function popcount(byte: number): number {
  let n = 0;
  for (let b = byte; b > 0; b >>= 1) n += b & 1;
  return n;
}
