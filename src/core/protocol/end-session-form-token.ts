import { createHmac, timingSafeEqual } from 'node:crypto';

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
export interface EndSessionFormTokens {
  issue(binding: string, parameters: EndSessionParameters): string;
  /** Whether `token` was issued for this binding and exactly these parameters, within its lifetime. Never throws. */
  verify(binding: unknown, parameters: EndSessionParameters, token: unknown): boolean;
}

const BINDING = /^[A-Za-z0-9_-]{43}$/;
const TOKEN = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
const CONTEXT = 'oauth2-kit/end-session-form/v1';
/** Tolerated clock difference between instances sharing the secret, in seconds. */
const CLOCK_SKEW = 60;

/** Builds the token issuer/verifier over a checked secret (≥ 32 bytes) and lifetime. */
export function endSessionFormTokens(secret: Buffer, lifetime: number, now: () => Date): EndSessionFormTokens {
  const mac = (binding: string, issuedAt: number, parameters: EndSessionParameters): string =>
    createHmac('sha256', secret)
      .update(JSON.stringify([CONTEXT, binding, issuedAt, ...END_SESSION_PARAMETERS.map((name) => parameters[name] ?? null)]))
      .digest('base64url');
  const seconds = () => Math.floor(now().getTime() / 1000);
  return {
    issue(binding, parameters) {
      if (!BINDING.test(binding)) throw new TypeError('not a form binding');
      const issuedAt = seconds();
      return `v1.${issuedAt}.${mac(binding, issuedAt, parameters)}`;
    },
    verify(binding, parameters, token) {
      if (typeof binding !== 'string' || !BINDING.test(binding) || typeof token !== 'string') return false;
      const match = TOKEN.exec(token);
      if (!match) return false;
      const issuedAt = Number(match[1]);
      const age = seconds() - issuedAt;
      if (age > lifetime || age < -CLOCK_SKEW) return false;
      // Compared as text: only the spelling we issued is accepted (see authorization-form-token.ts).
      const presented = Buffer.from(match[2] ?? '', 'utf8');
      const expected = Buffer.from(mac(binding, issuedAt, parameters), 'utf8');
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    },
  };
}
