import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { ASYMMETRIC_ALGORITHMS } from '../signing/key-pair.js';
import { isBoundedString, MAX_ACCESS_TOKEN_LENGTH } from '../input-limits.js';
import type { KeyRing } from '../signing/key-ring.js';

/** What a verified `id_token_hint` says (OIDC RP-Initiated Logout §2): whom, and for which client. */
export interface IdTokenHint {
  /** The `sub` the client was told (public or pairwise, OIDC Core §8). */
  subject: string;
  /** The client the ID token was issued to: its `aud`, or its `azp` when it names several audiences. */
  clientId: string;
  /** Whether `exp` has passed: such a hint still identifies (RP-Initiated Logout §2), it authorizes nothing. */
  expired: boolean;
}

/** The outcome of checking a hint; `reason` is for the error page's developer detail, never a secret. */
export type IdTokenHintCheck = { ok: true; hint: IdTokenHint } | { ok: false; reason: string };

/**
 * Asymmetric JWS algorithms only (RFC 7518 §3.1): a hint signed with `none` or an HMAC key was
 * not signed by this provider, whose keys are all asymmetric, and must never be taken for one.
 */

/**
 * Verifies an `id_token_hint` (OIDC RP-Initiated Logout §2): a compact JWS signed by one of the
 * keys the provider publishes now (found by `kid`, in the key's own algorithm), with `iss` this
 * issuer (§2: "the OP MUST validate that it was the issuer of the ID Token"), a `sub`, and an
 * audience naming one client. `exp` is not enforced: §2 says the OP SHOULD accept an ID token past
 * its expiry, since a hint only tells whom the relying party believes is logging out; it never
 * ends a session by itself unless that session is the same user's (see the end-session endpoint).
 * A JWT access token (RFC 9068, `typ: at+jwt`) signed by the same keys is refused by its type.
 */
export async function verifyIdTokenHint(token: unknown, ring: KeyRing | null, issuer: string | null, now: Date): Promise<IdTokenHintCheck> {
  if (!isBoundedString(token, MAX_ACCESS_TOKEN_LENGTH) || token.split('.').length !== 3) return refused('the id_token_hint is not a signed JWT (JWS compact serialization)');
  if (ring === null || issuer === null) return refused('this server has no signing keys to verify an id_token_hint with');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return refused('the id_token_hint has no readable JOSE header');
  }
  const { alg, kid, typ } = header;
  if (typeof alg !== 'string' || !ASYMMETRIC_ALGORITHMS.has(alg)) return refused('the id_token_hint is not signed with an asymmetric algorithm of this server');
  if (typ !== undefined && (typeof typ !== 'string' || typ.toLowerCase() !== 'jwt')) return refused('the id_token_hint is not an ID token (its typ is not JWT)');
  if (typeof kid !== 'string') return refused('the id_token_hint names no key (kid)');
  const key = (await ring.published(now)).find((candidate) => candidate.record.id === kid);
  // The key's own algorithm, not the header's choice: a header cannot pick how its key is used.
  if (key === undefined || key.publicJwk.alg !== alg) return refused('the id_token_hint was not signed by a key this server publishes');
  let payload: Uint8Array;
  try {
    const verifier = await importJWK(key.publicJwk as unknown as JWK, key.publicJwk.alg);
    ({ payload } = await compactVerify(token, verifier, { algorithms: [key.publicJwk.alg] }));
  } catch {
    return refused('the id_token_hint signature does not verify');
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return refused('the id_token_hint claims are not JSON');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return refused('the id_token_hint claims are not a JSON object');
  const { iss, sub, aud, azp, exp } = claims as Record<string, unknown>;
  if (iss !== issuer) return refused('the id_token_hint was issued by another issuer');
  if (typeof sub !== 'string' || sub === '') return refused('the id_token_hint has no sub');
  const clientId = clientOf(aud, azp);
  if (clientId === null) return refused('the id_token_hint names no single client as its audience');
  const expired = typeof exp === 'number' && exp * 1000 <= now.getTime();
  return { ok: true, hint: { subject: sub, clientId, expired } };
}

/**
 * The client an ID token was issued to (OIDC Core §2): `aud` when it is one value; with several
 * audiences, `azp`, which must be one of them.
 */
function clientOf(aud: unknown, azp: unknown): string | null {
  if (typeof aud === 'string') return aud === '' ? null : aud;
  if (!Array.isArray(aud) || aud.length === 0 || !aud.every((value) => typeof value === 'string' && value !== '')) return null;
  if (aud.length === 1) return aud[0] as string;
  return typeof azp === 'string' && aud.includes(azp) ? azp : null;
}

function refused(reason: string): IdTokenHintCheck {
  return { ok: false, reason };
}
