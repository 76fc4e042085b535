import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * The key pairs JWT access tokens are signed with: asymmetric only (RFC 9068 §4 makes a resource
 * server reject what it cannot verify with the issuer's published keys; a symmetric key would have
 * to be shared with every verifier, and let each of them mint tokens).
 */

/**
 * The JWS algorithms the kit signs with: RFC 7518 §3.4 ECDSA P-256 SHA-256; RFC 8037 §3.1 EdDSA,
 * Ed25519; RFC 7518 §3.3 RSASSA-PKCS1-v1_5 SHA-256, which OIDC Core §15.1 requires an OpenID
 * provider to support for ID tokens (every relying party verifies it).
 */
export type SigningAlgorithm = 'ES256' | 'EdDSA' | 'RS256';

export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = Object.freeze(['ES256', 'EdDSA', 'RS256']);

/** RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used"; the kit makes 2048-bit keys. */
const RSA_MODULUS_BITS = 2048;
/** The largest RSA modulus read back (a 4096-bit `n` is 683 characters: the public_jwk column holds it). */
const MAX_RSA_MODULUS_BITS = 4096;
/** e = 65537, base64url of its big-endian bytes. */
const RSA_PUBLIC_EXPONENT = 'AQAB';

/** The public-key JWS algorithms a verifier here may accept (RFC 8725 §3.1: never `none` or an HMAC). */
export const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set(['ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);

/** Whether `value` names an algorithm the kit signs with. */
export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

/** A public key as the JWKS publishes it (RFC 7517 §4): only public members, with `kid`, `alg` and `use`. */
export interface PublicSigningJwk {
  kty: 'EC' | 'OKP' | 'RSA';
  /** EC and OKP keys. */
  crv?: 'P-256' | 'Ed25519';
  /** EC and OKP keys. */
  x?: string;
  /** EC keys only. */
  y?: string;
  /** RSA keys only: the modulus (RFC 7518 §6.3.1.1). */
  n?: string;
  /** RSA keys only: the public exponent, `AQAB` (RFC 7518 §6.3.1.2). */
  e?: string;
  kid: string;
  alg: SigningAlgorithm;
  use: 'sig';
}

/** The private half, as it is sealed: the JWK members of the key, `d` included. */
export type PrivateSigningJwk = Record<string, unknown> & { kty: string; d: string };

/** A new key pair, the public half ready to publish and the private half ready to seal. */
export interface GeneratedKeyPair {
  id: string;
  publicJwk: PublicSigningJwk;
  privateJwk: PrivateSigningJwk;
}

/** A fresh key id: 128 random bits, base64url (22 characters), never derived from the key. */
export function newKeyId(): string {
  return randomBytes(16).toString('base64url');
}

/** Generates a key pair for `alg` under a fresh key id. */
export function generateSigningKeyPair(alg: SigningAlgorithm): GeneratedKeyPair {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: RSA_MODULUS_BITS, publicExponent: 0x10001 })
        : generateKeyPairSync('ed25519');
  const id = newKeyId();
  const privateJwk = pair.privateKey.export({ format: 'jwk' }) as PrivateSigningJwk;
  return { id, publicJwk: publicJwkOf(privateJwk, id, alg), privateJwk };
}

/**
 * The public members of a key (RFC 7518 §6.2.1 for EC: `kty`, `crv`, `x`, `y`; RFC 8037 §2 for
 * OKP: `kty`, `crv`, `x`; RFC 7518 §6.3.1 for RSA: `kty`, `n`, `e`), with `kid`, `alg` and `use: "sig"` (RFC 7517 §4.2–4.5). Nothing else of
 * the private JWK is copied, so `d` can never be published.
 */
export function publicJwkOf(jwk: Record<string, unknown>, kid: string, alg: SigningAlgorithm): PublicSigningJwk {
  const text = (name: string) => {
    const value = jwk[name];
    if (typeof value !== 'string' || value === '') throw new TypeError(`the key has no ${name}`);
    return value;
  };
  if (alg === 'ES256') {
    if (jwk['kty'] !== 'EC' || jwk['crv'] !== 'P-256') throw new TypeError('an ES256 key is an EC key on P-256');
    return { kty: 'EC', crv: 'P-256', x: text('x'), y: text('y'), kid, alg, use: 'sig' };
  }
  if (alg === 'RS256') {
    if (jwk['kty'] !== 'RSA') throw new TypeError('an RS256 key is an RSA key');
    const n = text('n');
    const bits = rsaModulusBits(n);
    if (bits < RSA_MODULUS_BITS || bits > MAX_RSA_MODULUS_BITS) {
      throw new TypeError(`an RS256 key has a modulus of ${RSA_MODULUS_BITS} to ${MAX_RSA_MODULUS_BITS} bits (RFC 7518 §3.3), this one has ${bits}`);
    }
    if (text('e') !== RSA_PUBLIC_EXPONENT) throw new TypeError('an RS256 key has the public exponent 65537 (AQAB)');
    return { kty: 'RSA', n, e: RSA_PUBLIC_EXPONENT, kid, alg, use: 'sig' };
  }
  if (jwk['kty'] !== 'OKP' || jwk['crv'] !== 'Ed25519') throw new TypeError('an EdDSA key is an OKP key on Ed25519');
  return { kty: 'OKP', crv: 'Ed25519', x: text('x'), kid, alg, use: 'sig' };
}

/**
 * The private key of `privateJwk` for signing, after checking that it is the private half of
 * `publicJwk`: its public members are recomputed from `d` by the import, so a private key sealed
 * for another key (a row's value swapped for another's) is refused rather than used.
 */
export function importPrivateKey(privateJwk: PrivateSigningJwk, publicJwk: PublicSigningJwk): KeyObject {
  const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const derived = key.export({ format: 'jwk' }) as Record<string, unknown>;
  const expected = publicJwkOf(derived, publicJwk.kid, publicJwk.alg);
  if (expected.x !== publicJwk.x || expected.y !== publicJwk.y || expected.crv !== publicJwk.crv || expected.n !== publicJwk.n || expected.e !== publicJwk.e) {
    throw new TypeError('the private key is not the private half of the published key');
  }
  return key;
}

/** The size of an RSA modulus written in base64url (RFC 7518 §6.3.1.1: no leading zero octet), in bits. */
function rsaModulusBits(n: string): number {
  if (!/^[A-Za-z0-9_-]+$/.test(n)) throw new TypeError('the key has no n');
  const bytes = Buffer.from(n, 'base64url');
  const first = bytes[0] ?? 0;
  return first === 0 ? 0 : (bytes.length - 1) * 8 + (32 - Math.clz32(first));
}

/** A stored public JWK, read back and checked; a TypeError says what is wrong with it. */
export function parsePublicJwk(text: string, kid: string, alg: string): PublicSigningJwk {
  if (!isSigningAlgorithm(alg)) throw new TypeError(`its algorithm ${JSON.stringify(alg)} is not one the kit signs with (${SIGNING_ALGORITHMS.join(', ')})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError('its public key is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('its public key is not a JSON object');
  return publicJwkOf(parsed as Record<string, unknown>, kid, alg);
}
