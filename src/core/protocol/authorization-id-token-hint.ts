import type { Credentials } from '../provider/credentials.js';
import { verifyIdTokenHint } from '../provider/openid/id-token-hint.js';
import { subjectFor } from '../provider/openid/subject-identifier.js';
import type { ClientRecord } from '../storage/records.js';

/**
 * `id_token_hint` at the authorization endpoint (OIDC Core §3.1.2.1): the hint must be an ID
 * token this provider issued to the requesting client; once it is, only the End-User it names
 * may approve the request, whether through a sign-in session or a fresh sign-in.
 */

/** The outcome of checking a request's hint: the hinted `sub`, or why the request is refused. */
export type AuthorizationHintCheck = { ok: true; subject: string } | { ok: false; description: string };

/**
 * Verifies `token` as an ID token of this provider (signature by a published key, `iss`, `typ`;
 * an expired one still identifies, as at the end-session endpoint) issued to `client`.
 */
export async function checkAuthorizationHint(credentials: Credentials, client: ClientRecord, token: string): Promise<AuthorizationHintCheck> {
  const check = await verifyIdTokenHint(token, credentials.keyRing, credentials.settings.signing.issuer, credentials.now());
  if (!check.ok) return { ok: false, description: `Invalid parameter: \`id_token_hint\` (${check.reason})` };
  // OIDC Core §3.1.2.1: the hint is "an ID Token previously issued by the Authorization Server"
  // to this client; another client's token says nothing about whom this client expects.
  if (check.hint.clientId !== client.id) return { ok: false, description: 'Invalid parameter: `id_token_hint` (it was issued to another client)' };
  return { ok: true, subject: check.hint.subject };
}

/**
 * How each validated request with a verified hint tells its End-User apart: keyed by the request
 * object, which only validation creates, so a request edited or built by hand matches nobody.
 */
const hintedUsers = new WeakMap<object, (userId: string) => boolean>();

/** Binds to `request` the check that a user is the one its hint names: the same `sub` at `client` (OIDC Core §8). */
export function bindHintedSubject(request: object, client: ClientRecord, subject: string, credentials: Credentials): void {
  const pairwiseSecret = credentials.settings.openid?.pairwiseSecret ?? null;
  hintedUsers.set(request, (userId) => {
    try {
      return subjectFor(userId, client, pairwiseSecret) === subject;
    } catch {
      // A client whose pairwise subject cannot be derived matches nobody.
      return false;
    }
  });
}

/**
 * Whether `userId` may approve `request`: always without a hint; with one, only its End-User.
 */
export function isHintedUser(request: { openid: { hintedSubject: string | null } | null }, userId: string): boolean {
  if (request.openid === null || request.openid.hintedSubject === null) return true;
  return hintedUsers.get(request)?.(userId) ?? false;
}
