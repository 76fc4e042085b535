import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import type { OperatorKey, OperatorKeys } from './operator-key.js';
import type { PrivateSigningJwk } from './key-pair.js';
import { SigningKeyError } from './signing-key-error.js';

/**
 * Private signing keys at rest: a compact JWE (RFC 7516 §7.1) with direct encryption under the
 * operator's key (`alg: "dir"`, RFC 7518 §4.5) and AES-256-GCM (`enc: "A256GCM"`, §5.3), whose
 * protected header — authenticated with the ciphertext — names the operator key by its fingerprint
 * (`kid`). A database dump, a backup or a replica holds nothing that can sign.
 */

const ALG = 'dir';
const ENC = 'A256GCM';
/** The JWE's content type: a JWK (RFC 7517 §8.5.1 registers `application/jwk+json`). */
const CTY = 'jwk+json';

/** Encrypts a private JWK under the operator key. */
export async function sealPrivateKey(privateJwk: PrivateSigningJwk, operator: OperatorKey): Promise<string> {
  const plaintext = new TextEncoder().encode(JSON.stringify(privateJwk));
  return new CompactEncrypt(plaintext).setProtectedHeader({ alg: ALG, enc: ENC, kid: operator.fingerprint, cty: CTY }).encrypt(operator.secret);
}

/** Why a sealed key cannot be read: a SigningKeyError `signing_key_unreadable` naming the key. */
function unreadable(keyId: string, reason: string, cause?: unknown): SigningKeyError {
  return new SigningKeyError('signing_key_unreadable', `signing key ${keyId} cannot be used: ${reason}. Rotate the signing keys (oauth2-kit keys rotate) to replace it`, { cause });
}

/**
 * The operator key among `operators` that `sealed` (the key `keyId`'s private half) names in its
 * header. Throws {@link SigningKeyError}: `signing_encryption_key_mismatch` when that key is not
 * among them (the configured key changed), `signing_key_unreadable` when the value is not such a
 * JWE. Reads the header only; nothing is decrypted.
 */
export function sealingKeyOf(sealed: string, keyId: string, operators: OperatorKeys): OperatorKey {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(sealed);
  } catch (error) {
    throw unreadable(keyId, 'its private key is not stored as a JWE', error);
  }
  if (header.alg !== ALG || header.enc !== ENC || typeof header.kid !== 'string') {
    throw unreadable(keyId, `its private key is not sealed as the kit seals keys (alg ${ALG}, enc ${ENC}, the operator key's fingerprint as kid)`);
  }
  const operator = operators.byFingerprint.get(header.kid);
  if (operator === undefined) {
    const previous = [...operators.byFingerprint.keys()].filter((fingerprint) => fingerprint !== operators.current.fingerprint);
    const others = previous.length === 0 ? '' : ` (previousEncryptionKeys: ${previous.join(', ')})`;
    throw new SigningKeyError(
      'signing_encryption_key_mismatch',
      `signing key ${keyId} is encrypted under the operator key with fingerprint ${header.kid}, but the configured ` +
        `signingKeys.encryptionKey (the CLI reads OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY) has fingerprint ${operators.current.fingerprint}${others}: ` +
        'configure the key the signing keys were created with; to move to a new one, name the old one in ' +
        'signingKeys.previousEncryptionKeys until the keys it sealed have been rotated out',
    );
  }
  return operator;
}

/**
 * The private JWK sealed in `sealed` (the key `keyId`'s), decrypted under the operator key its
 * header names ({@link sealingKeyOf}, whose errors it throws). Throws `signing_key_unreadable` too
 * when the value does not decrypt under that key (the row was altered) or is no private JWK.
 */
export async function unsealPrivateKey(sealed: string, keyId: string, operators: OperatorKeys): Promise<PrivateSigningJwk> {
  const operator = sealingKeyOf(sealed, keyId, operators);
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(sealed, operator.secret, { keyManagementAlgorithms: [ALG], contentEncryptionAlgorithms: [ENC] }));
  } catch (error) {
    throw unreadable(keyId, `its private key does not decrypt under the operator key ${operator.fingerprint} its header names (the stored value was altered)`, error);
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(new TextDecoder().decode(plaintext));
  } catch (error) {
    throw unreadable(keyId, 'its decrypted private key is not JSON', error);
  }
  if (typeof jwk !== 'object' || jwk === null || typeof (jwk as { d?: unknown }).d !== 'string' || typeof (jwk as { kty?: unknown }).kty !== 'string') {
    throw unreadable(keyId, 'its decrypted private key is not a private JWK');
  }
  return jwk as PrivateSigningJwk;
}
