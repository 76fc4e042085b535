import { sign, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from './key-pair.js';

/**
 * A JWS in compact serialization (RFC 7515 §7.1): `BASE64URL(header).BASE64URL(payload).BASE64URL(signature)`,
 * signed over the first two parts. ES256 signatures are the 64-byte `R || S` of RFC 7518 §3.4 (not
 * DER); EdDSA ones the 64 bytes of Ed25519 (RFC 8037 §3.1); RS256 ones RSASSA-PKCS1-v1_5 with SHA-256
 * (RFC 7518 §3.3), Node's default padding for an RSA key. Node's crypto signs without the
 * promise round trips of WebCrypto: about a quarter of the cost (docs in the signing folder's tests).
 */
export function signCompactJws(header: Readonly<Record<string, unknown>>, payload: Readonly<Record<string, unknown>>, alg: SigningAlgorithm, key: KeyObject): string {
  const input = `${encodePart(header)}.${encodePart(payload)}`;
  const data = Buffer.from(input, 'ascii');
  const signature =
    alg === 'ES256' ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }) : alg === 'RS256' ? sign('sha256', data, key) : sign(null, data, key);
  return `${input}.${signature.toString('base64url')}`;
}

function encodePart(value: Readonly<Record<string, unknown>>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
