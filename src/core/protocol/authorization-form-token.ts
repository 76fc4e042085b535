import { randomBytes } from 'node:crypto';
import { FORM_BINDING, formTokenMac } from './form-token-mac.js';

/**
 * CSRF protection of the sign-in/consent form (RFC 6749 §10.12, RFC 9700 §4.7).
 *
 * Two things must hold for a posted decision to count:
 * - it comes from a browser the server gave the form to: that browser holds a random *binding*
 *   in a cookie, which another site can neither read nor set (double submit);
 * - it is the very request the user saw: the token is an HMAC, under a server secret, over the
 *   binding, the time the form was shown and every authorization-request parameter, so a forged
 *   or edited form (another `scope`, `redirect_uri`, `code_challenge`…) fails.
 * The token carries its issue time, so a form left open too long must be fetched again.
 */

/** The OAuth parameters (RFC 6749 §4.1.1, RFC 7636 §4.3): the first fields of every form token's MAC. */
const OAUTH_PARAMETERS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

/**
 * The OpenID Connect parameters a form carries back (OIDC Core §3.1.2.1): what the POST must see
 * to store the nonce and to judge the sign-in session (and whom `id_token_hint` names) as the GET
 * did. The rest are refused (`request`, `request_uri`, a `response_mode` other than the default)
 * or ignored.
 */
const OPENID_PARAMETERS = ['nonce', 'prompt', 'max_age', 'login_hint', 'id_token_hint'] as const;

/**
 * The single-valued authorization-request parameters (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core
 * §3.1.2.1) a form token covers; it also covers every `resource` (RFC 8707 §2.1), which may be
 * repeated. {@link authorizationRequestFields} lists them all as form fields.
 */
export const AUTHORIZATION_REQUEST_PARAMETERS = [...OAUTH_PARAMETERS, ...OPENID_PARAMETERS] as const;

/** One of {@link AUTHORIZATION_REQUEST_PARAMETERS}. */
export type AuthorizationRequestParameter = (typeof AUTHORIZATION_REQUEST_PARAMETERS)[number];

/**
 * The authorization-request parameters present in a request: each a single string, and the
 * `resource` values (RFC 8707 §2.1) in the order given.
 */
export type AuthorizationRequestParameters = Partial<Record<AuthorizationRequestParameter, string>> & {
  resource?: string[];
};

/** Options of {@link createAuthorizationFormTokens}. */
export interface AuthorizationFormTokenOptions {
  /**
   * The HMAC key: at least 32 bytes (a string counts its UTF-8 bytes). Every server instance that
   * may receive the form must share it; a new secret invalidates the forms open at that moment.
   */
  secret: string | Uint8Array;
  /** How long a shown form may be submitted, in seconds. Default 600; between 60 and 3600. */
  lifetime?: number;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
}

/** Issues and verifies the tokens of the authorization form. */
export interface AuthorizationFormTokens {
  /** A fresh browser binding: 256 random bits, base64url (43 characters), for a cookie. */
  newBinding(): string;
  /** Whether `value` has the shape of a binding (a cookie that does not is replaced). */
  isBinding(value: unknown): value is string;
  /** The token for a form showing `parameters` to the browser holding `binding`. */
  issue(binding: string, parameters: AuthorizationRequestParameters): string;
  /**
   * Whether `token` was issued by this secret for this binding and exactly these parameters, and
   * is still within its lifetime. Anything malformed is false, never an exception.
   */
  verify(binding: unknown, parameters: AuthorizationRequestParameters, token: unknown): boolean;
}

const MIN_SECRET_BYTES = 32;
const DEFAULT_LIFETIME = 600;
/** Domain separation: this key signs nothing else with the same layout. */
const CONTEXT = 'oauth2-kit/authorization-form/v1';

/** Builds the form-token issuer/verifier. Throws a `TypeError` for a short secret or bad lifetime. */
export function createAuthorizationFormTokens(options: AuthorizationFormTokenOptions): AuthorizationFormTokens {
  const secret = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : Buffer.from(options.secret ?? []);
  if (secret.length < MIN_SECRET_BYTES) throw new TypeError(`the form secret must be at least ${MIN_SECRET_BYTES} bytes`);
  const lifetime = options.lifetime ?? DEFAULT_LIFETIME;
  if (!Number.isInteger(lifetime) || lifetime < 60 || lifetime > 3600) {
    throw new TypeError('the form lifetime must be a whole number of seconds between 60 and 3600');
  }
  const now = options.now ?? (() => new Date());

  // The resources come after the OAuth parameters, as one array, and only when there are any;
  // then the OpenID parameters, as one object, only when there are any: a form without them keeps
  // its MAC.
  const tokens = formTokenMac<AuthorizationRequestParameters>(CONTEXT, secret, lifetime, now, (parameters) => {
    const fields: Array<string | null | string[] | Record<string, Array<string | null>>> = OAUTH_PARAMETERS.map((name) => parameters[name] ?? null);
    if (parameters.resource !== undefined && parameters.resource.length > 0) fields.push(parameters.resource);
    if (OPENID_PARAMETERS.some((name) => parameters[name] !== undefined)) {
      fields.push({ openid: OPENID_PARAMETERS.map((name) => parameters[name] ?? null) });
    }
    return fields;
  });

  return {
    newBinding: () => randomBytes(32).toString('base64url'),
    isBinding: (value): value is string => typeof value === 'string' && FORM_BINDING.test(value),
    issue: tokens.issue,
    verify: tokens.verify,
  };
}

/**
 * Picks the authorization-request parameters out of parsed query or form parameters. Names that
 * are not authorization-request parameters are dropped (RFC 6749 §3.1: unknown parameters are
 * ignored). Returns null when one of them is not a single string (repeated, or not text in JSON),
 * or a `resource` is neither a string nor an array of strings.
 */
export function pickAuthorizationRequestParameters(source: Record<string, unknown>): AuthorizationRequestParameters | null {
  const picked: AuthorizationRequestParameters = {};
  for (const name of AUTHORIZATION_REQUEST_PARAMETERS) {
    const value = Object.hasOwn(source, name) ? source[name] : undefined;
    if (value === undefined) continue;
    if (typeof value !== 'string') return null;
    picked[name] = value;
  }
  const resource = Object.hasOwn(source, 'resource') ? source['resource'] : undefined;
  if (resource !== undefined) {
    const values: unknown[] = Array.isArray(resource) ? resource : [resource];
    if (!values.every((value): value is string => typeof value === 'string')) return null;
    if (values.length > 0) picked.resource = values;
  }
  return picked;
}

/**
 * The authorization request as the form fields that carry it from the page back to the endpoint,
 * in order: every single-valued parameter present, then one `resource` field per resource. Render
 * each as `<input type="hidden" name="…" value="…">`, with the form token beside them.
 */
export function authorizationRequestFields(parameters: AuthorizationRequestParameters): Array<[name: string, value: string]> {
  const fields: Array<[string, string]> = [];
  for (const name of AUTHORIZATION_REQUEST_PARAMETERS) {
    const value = parameters[name];
    if (value !== undefined) fields.push([name, value]);
  }
  for (const resource of parameters.resource ?? []) fields.push(['resource', resource]);
  return fields;
}
