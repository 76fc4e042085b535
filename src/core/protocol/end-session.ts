import { randomBytes } from 'node:crypto';
import { STATE } from './authorization-endpoint.js';
import type { OAuthProvider } from '../oauth-provider.js';
import { mayBeStoredClientId } from '../provider/client-metadata/client-id-url.js';
import { mayBeSelfRegistered } from '../provider/client-use.js';
import type { Credentials } from '../provider/credentials.js';
import { MAX_ACCESS_TOKEN_LENGTH, MAX_REDIRECT_URI_LENGTH, MAX_STATE_LENGTH } from '../provider/input-limits.js';
import { verifyIdTokenHint, type IdTokenHint } from '../provider/openid/id-token-hint.js';
import { subjectFor } from '../provider/openid/subject-identifier.js';
import { credentialsOf } from '../provider/provider-link.js';
import type { ClientRecord } from '../storage/records.js';
import { END_SESSION_PARAMETERS, endSessionFormTokens, type EndSessionParameters } from './end-session-form-token.js';
import { FORM_BINDING } from './form-token-mac.js';

export { END_SESSION_PARAMETERS, type EndSessionParameter, type EndSessionParameters } from './end-session-form-token.js';

/** Options of {@link createEndSessionEndpoint}. */
export interface EndSessionEndpointOptions {
  /** A provider built with the `openid` option. */
  provider: OAuthProvider;
  /**
   * Key of the confirmation form's CSRF tokens, at least 32 bytes. Default: random per process;
   * several processes behind one address must share one, as for the authorization page.
   */
  csrfSecret?: string | Uint8Array;
  /** How long a shown confirmation may be submitted, in seconds. Default 600; between 60 and 3600. */
  formLifetime?: number;
}

/** What a logout request asks for, once validated (OIDC RP-Initiated Logout §2, §3). */
export interface EndSessionRequest {
  /** The request's logout parameters, for the confirmation form to carry back unchanged. */
  parameters: EndSessionParameters;
  /** The client that sent the user, when the hint or `client_id` names one; for the page. */
  client: { id: string; name: string } | null;
  /**
   * Where the user goes after logging out: the registered `post_logout_redirect_uri` the request
   * named, with its `state` (§3); null when it named none: show a "signed out" page.
   */
  redirectTo: string | null;
  /** The `ui_locales` asked for (§2), in order of preference; the page may honour them. */
  uiLocales: string[];
  /** The browser's live sign-in session (its id, not secret), or null when it has none. */
  sessionId: string | null;
  /**
   * Whether the user must confirm before the session ends (§2: the OP MUST ask unless the hint
   * shows the request comes for the very user signed in).
   */
  confirm: boolean;
}

/** The outcome of validating a logout request. Refusals are shown as a page, never redirected (§4). */
export type EndSessionCheck =
  | { ok: true; request: EndSessionRequest }
  | { ok: false; status: 400; error: 'invalid_request'; errorDescription: string };

/** What the endpoint is given about one request. */
export interface EndSessionInput {
  /** The query (GET) or form (POST) parameters, as parsed; repeated names are arrays. */
  parameters: Record<string, unknown>;
  /** The secret of the sign-in session cookie the browser sent, if any. */
  sessionSecret: unknown;
  /**
   * True when the browser may have withheld its cookies: a relying party's own cross-site form
   * POST, on which SameSite=Lax cookies are not sent. Absence of a session then proves nothing,
   * so the user is asked (the confirmation posts from this site, with the cookie).
   */
  cookiesMayBeWithheld?: boolean;
}

/** The end-session endpoint (OIDC RP-Initiated Logout 1.0), framework-free. */
export interface EndSessionEndpoint {
  /** Validates a logout request and finds the browser's session; reads storage, changes nothing. */
  validate(input: EndSessionInput): Promise<EndSessionCheck>;
  /** Ends the request's session (§2); false when there was none or it was gone already. */
  end(request: EndSessionRequest): Promise<boolean>;
  /** A fresh browser binding for the confirmation form's cookie (the authorization form's format). */
  newBinding(): string;
  /** Whether `value` has the shape of a binding. */
  isBinding(value: unknown): value is string;
  /** The confirmation form's hidden fields: the logout parameters and the CSRF token, in order. */
  confirmationFields(binding: string, request: EndSessionRequest): Array<[name: string, value: string]>;
  /** Whether a posted form is a confirmation form (it carries the CSRF field), not a relying party's POST. */
  isConfirmation(form: Record<string, unknown>): boolean;
  /**
   * Whether a posted confirmation is genuine: issued to the browser holding `binding`, for exactly
   * the parameters posted, within its lifetime.
   */
  verifyConfirmation(binding: unknown, form: Record<string, unknown>): boolean;
  /** Name of the form field telling whether the user chose to log out (`logout`) or to stay (`stay`). */
  readonly decisionField: string;
}

/** Form field of the CSRF token (a name no logout request uses). */
const CSRF_FIELD = 'csrf_token';
const DECISION_FIELD = 'decision';
const MIN_SECRET_BYTES = 32;
const DEFAULT_FORM_LIFETIME = 600;
/** Bounds on the parameters the endpoint only passes along (§2 gives them no size). */
const MAX_HINT_TEXT_LENGTH = 2000;
const MAX_UI_LOCALES_LENGTH = 200;

const LIMITS: Record<(typeof END_SESSION_PARAMETERS)[number], number> = {
  id_token_hint: MAX_ACCESS_TOKEN_LENGTH,
  logout_hint: MAX_HINT_TEXT_LENGTH,
  client_id: MAX_REDIRECT_URI_LENGTH,
  post_logout_redirect_uri: MAX_REDIRECT_URI_LENGTH,
  state: MAX_STATE_LENGTH,
  ui_locales: MAX_UI_LOCALES_LENGTH,
};

/**
 * The end-session endpoint of OpenID Connect RP-Initiated Logout 1.0 on a provider built with
 * `openid`; throws a `TypeError` for one built without it.
 *
 * `validate` applies §2–§4: an `id_token_hint` must verify as an ID token this provider issued
 * (an expired one is accepted: it identifies, it does not authorize); `client_id`, when given
 * with it, must be the hint's client; a `post_logout_redirect_uri` needs a client and must equal
 * one of its registered `postLogoutRedirectUris` exactly. Anything else is a refusal for an error
 * page: never a redirect, so the endpoint cannot be used to send users to unregistered places.
 * The user is asked to confirm unless the hint's `sub` is the one the session's user has at the
 * hint's client (OIDC Core §8): a link anyone can craft must not log the user out alone (§5).
 * `logout_hint` and `ui_locales` are accepted and bounded; a browser has one session here, so the
 * former has nothing to choose between, and the latter is handed to the page.
 */
export function createEndSessionEndpoint(options: EndSessionEndpointOptions): EndSessionEndpoint {
  const { provider } = options;
  const credentials = credentialsOf(provider);
  const openid = credentials.settings.openid;
  if (openid === null) throw new TypeError('createEndSessionEndpoint: the provider was built without the `openid` option, so it keeps no sign-in sessions to end');
  const secret = options.csrfSecret === undefined ? randomBytes(32) : typeof options.csrfSecret === 'string' ? Buffer.from(options.csrfSecret, 'utf8') : Buffer.from(options.csrfSecret);
  if (secret.length < MIN_SECRET_BYTES) throw new TypeError(`the form secret must be at least ${MIN_SECRET_BYTES} bytes`);
  const lifetime = options.formLifetime ?? DEFAULT_FORM_LIFETIME;
  if (!Number.isInteger(lifetime) || lifetime < 60 || lifetime > 3600) throw new TypeError('the form lifetime must be a whole number of seconds between 60 and 3600');
  const tokens = endSessionFormTokens(secret, lifetime, () => provider.now());

  return {
    decisionField: DECISION_FIELD,

    async validate(input) {
      const picked = pickParameters(input.parameters);
      if (typeof picked === 'string') return refused(picked);
      const parameters = picked;

      let hint: IdTokenHint | null = null;
      if (parameters.id_token_hint !== undefined) {
        const check = await verifyIdTokenHint(parameters.id_token_hint, credentials.keyRing, credentials.settings.signing.issuer, credentials.now());
        if (!check.ok) return refused(check.reason);
        hint = check.hint;
      }
      // §2: with both, "the OP MUST verify that the Client Identifier matches the one used when issuing the ID Token".
      if (hint !== null && parameters.client_id !== undefined && parameters.client_id !== hint.clientId) {
        return refused('client_id is not the client the id_token_hint was issued to');
      }
      const clientId = hint?.clientId ?? parameters.client_id;
      let client: ClientRecord | null = null;
      if (clientId !== undefined) {
        client = mayBeStoredClientId(clientId) ? await credentials.storage.findClientShared(clientId) : null;
        if (client === null) return refused(hint === null ? 'client_id names no client of this server' : 'the id_token_hint was issued to a client this server no longer knows');
      }

      let redirectTo: string | null = null;
      const uri = parameters.post_logout_redirect_uri;
      if (uri !== undefined) {
        // §3: only to a URI the client registered, compared as strings; without a client there is nothing to compare with.
        if (client === null) return refused('post_logout_redirect_uri needs id_token_hint or client_id to name the client it is registered for');
        if (!client.postLogoutRedirectUris.includes(uri)) return refused('post_logout_redirect_uri is not registered for this client');
        // A client that registered itself chose its URIs unvetted: without a hint it issued, anyone
        // could send a browser through this server to them (an open redirect).
        if (hint === null && mayBeSelfRegistered(client.id)) {
          return refused('post_logout_redirect_uri of a client that registered itself needs the id_token_hint it was issued');
        }
        redirectTo = withState(uri, parameters.state);
      }

      const session = await credentials.sessions.find(input.sessionSecret);
      const confirm =
        session === null
          ? input.cookiesMayBeWithheld === true && credentials.sessions.enabled
          : !(hint !== null && client !== null && isSessionUser(credentials, session.userId, hint, client));
      return {
        ok: true,
        request: {
          parameters,
          client: client === null ? null : { id: client.id, name: client.name },
          redirectTo,
          uiLocales: parameters.ui_locales === undefined ? [] : parameters.ui_locales.split(' ').filter((tag) => tag !== ''),
          sessionId: session?.id ?? null,
          confirm,
        },
      };
    },

    async end(request) {
      return request.sessionId === null ? false : credentials.sessions.end(request.sessionId);
    },

    newBinding: () => randomBytes(32).toString('base64url'),
    isBinding: (value): value is string => typeof value === 'string' && FORM_BINDING.test(value),

    confirmationFields(binding, request) {
      const fields: Array<[string, string]> = [];
      for (const name of END_SESSION_PARAMETERS) {
        const value = request.parameters[name];
        if (value !== undefined) fields.push([name, value]);
      }
      fields.push([CSRF_FIELD, tokens.issue(binding, request.parameters)]);
      return fields;
    },

    isConfirmation: (form) => Object.hasOwn(form, CSRF_FIELD),

    verifyConfirmation(binding, form) {
      const parameters = pickParameters(form);
      return typeof parameters !== 'string' && tokens.verify(binding, parameters, form[CSRF_FIELD]);
    },
  };
}

/**
 * Whether the hint's `sub` is the `sub` the session's user has at the hint's client (public or
 * pairwise, OIDC Core §8). A client whose pairwise subject cannot be derived matches nobody.
 */
function isSessionUser(credentials: Credentials, userId: string, hint: IdTokenHint, client: ClientRecord): boolean {
  try {
    return subjectFor(userId, client, credentials.settings.openid?.pairwiseSecret ?? null) === hint.subject;
  } catch {
    return false;
  }
}

/**
 * The logout parameters, each one string; an empty value counts as absent (RFC 6749 §3.1, which
 * the OpenID specs build on). A repeated or non-text parameter, or one past its bound, is refused
 * with the reason.
 */
function pickParameters(source: Record<string, unknown>): EndSessionParameters | string {
  const picked: EndSessionParameters = {};
  for (const name of END_SESSION_PARAMETERS) {
    const value = Object.hasOwn(source, name) ? source[name] : undefined;
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') return Array.isArray(value) ? `${name} is repeated` : `${name} must be a string`;
    if (value.length > LIMITS[name]) return `${name} is too long`;
    // Printable ASCII (VSCHAR) like the authorization request's: `state` is copied into a URL.
    if (name === 'state' && !STATE.test(value)) return 'state must be printable ASCII';
    picked[name] = value;
  }
  return picked;
}

/** The registered URI with `state` added to its query (§3), before any fragment. */
function withState(uri: string, state: string | undefined): string {
  if (state === undefined) return uri;
  const hash = uri.indexOf('#');
  const [base, fragment] = hash === -1 ? [uri, ''] : [uri.slice(0, hash), uri.slice(hash)];
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${separator}state=${encodeURIComponent(state)}${fragment}`;
}

function refused(errorDescription: string): EndSessionCheck {
  return { ok: false, status: 400, error: 'invalid_request', errorDescription };
}
