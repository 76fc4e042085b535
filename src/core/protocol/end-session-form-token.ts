import { formTokenMac, type FormTokenMac } from './form-token-mac.js';

/**
 * CSRF protection of the logout confirmation form (OIDC RP-Initiated Logout §5 treats a logout
 * nobody asked for as an attack on the user). As for the authorization form
 * (`authorization-form-token.ts`), a posted confirmation counts only when it comes from a browser
 * holding the random binding of its cookie (which another site can neither read nor set) and
 * carries an HMAC, under a server secret, over that binding, the time the form was shown and
 * every logout parameter, so that neither a forged form nor an edited one (another
 * `post_logout_redirect_uri`) is taken for the user's answer. A distinct context string keeps a
 * token of one form from ever verifying as the other's.
 */

/** The logout request's parameters (OIDC RP-Initiated Logout §2), in the order a token covers them. */
export const END_SESSION_PARAMETERS = ['id_token_hint', 'logout_hint', 'client_id', 'post_logout_redirect_uri', 'state', 'ui_locales'] as const;

/** One of {@link END_SESSION_PARAMETERS}. */
export type EndSessionParameter = (typeof END_SESSION_PARAMETERS)[number];

/** The logout parameters present in a request, each a single non-empty string. */
export type EndSessionParameters = Partial<Record<EndSessionParameter, string>>;

/** Issues and verifies the confirmation form's tokens. */
export type EndSessionFormTokens = FormTokenMac<EndSessionParameters>;

const CONTEXT = 'oauth2-kit/end-session-form/v1';

/** Builds the token issuer/verifier over a checked secret (≥ 32 bytes) and lifetime. */
export function endSessionFormTokens(secret: Buffer, lifetime: number, now: () => Date): EndSessionFormTokens {
  return formTokenMac<EndSessionParameters>(CONTEXT, secret, lifetime, now, (parameters) => END_SESSION_PARAMETERS.map((name) => parameters[name] ?? null));
}
