import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import {
  AUTHORIZATION_FORM_FIELDS,
  AUTHORIZATION_MESSAGES,
  authorizationRequestFields,
  createAuthorizationEndpoint,
  createAuthorizationFormTokens,
  createAuthorizationSessions,
  decideWithPassword,
  passwordCheckRefusal,
  pickAuthorizationRequestParameters,
  withIssuer,
  type AuthorizationDecision,
  type AuthorizationRequest,
  type AuthorizationRequestCheck,
  type AuthorizationRequestParameters,
  type ApprovalAuthentication,
  type GetOAuthUser,
  type LoginOAuthUser,
  type SignedInSession,
  type OAuthProvider,
  type ValidateScope,
} from '../../core/index.js';
import type { AuthorizeEndpointFacts, AuthorizeHandlers } from '../authorize.js';
import { newCspNonce, redirectSource } from './content-security-policy.js';
import { protectPage, sendPageHtml, showErrorPage } from './page-response.js';
import { defaultAuthorizationPageTemplate } from './default-template.js';
import { readFormBinding, writeFormBinding } from './form-binding-cookie.js';
import type { AuthorizationPageTemplate, ConsentPageView, ErrorPageView } from './page-views.js';
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from './session-cookie.js';

/**
 * Decides what the user's submission means: approve (for which user), deny, or show the form
 * again with a message. Replace it to sign users in another way (a second factor, another
 * identity provider); `form` is the posted body, `ctx` the request. `session` is the browser's
 * live sign-in session when it may stand in for a sign-in on this request (OpenID Connect on,
 * and neither `prompt=login` nor an exceeded `max_age`, nor another user than the request's
 * `id_token_hint` names, OIDC Core §3.1.2.1), else null: approve with `authentication: 'session'`
 * to approve as its user without a password. An approval for a user other than the hint's End-User
 * is not carried out: the form is shown again with a message.
 *
 * A decider that checks passwords with `provider.users.login` passes the browser's address, so
 * that failures count against it: `login(username, password, { sourceAddress: ctx.ip })`.
 */
export type AuthorizationDecider = (input: {
  ctx: Context;
  request: AuthorizationRequest;
  form: Record<string, unknown>;
  session: SignedInSession | null;
}) => Promise<AuthorizationDecision>;

/** Options of {@link authorizationPage}. */
export interface AuthorizationPageOptions {
  /** The provider the codes are issued by and the clients and scopes are read from. */
  provider: OAuthProvider;
  /**
   * Checks the username and password of the default decision. Default `provider.users.login`
   * (the default user store). Ignored when `decide` is given.
   */
  login?: LoginOAuthUser;
  /** Replaces the default decision (sign in with username and password, then approve or deny). */
  decide?: AuthorizationDecider;
  /**
   * Loads the user of a sign-in session (OpenID Connect), for the page's "signed in as" and the
   * approvals the session allows. Default `provider.users.getUser` (the default user store); give
   * your own with your own `login`.
   */
  getUser?: GetOAuthUser;
  /**
   * The scope policy; give the server's model the same one. Default: the requested scopes the
   * client may have, and with none requested its default scopes (RFC 6749 §3.3), else `invalid_scope`.
   */
  validateScope?: ValidateScope;
  /** Replaces the consent page, the error page, or both. */
  template?: Partial<AuthorizationPageTemplate>;
  /**
   * Key of the form's CSRF tokens, at least 32 bytes. Default: random per process, which is right
   * for one process; several processes behind one address must share a secret, or a form shown by
   * one is refused by another. A restart invalidates the forms open at that moment.
   */
  csrfSecret?: string | Uint8Array;
  /** How long a shown form may be submitted, in seconds. Default 600. */
  formLifetime?: number;
}

/** Form field of the CSRF token (a name no authorization request uses). */
const CSRF_FIELD = 'csrf_token';
/**
 * Form field naming the sign-in session the page was shown for (its id, which is not secret): an
 * approval without a password counts only while the browser still has that very session.
 */
const SESSION_FIELD = 'signed_in_session';

type Refusal = Extract<AuthorizationRequestCheck, { ok: false }>;

/**
 * The authorization endpoint's sign-in and consent page (RFC 6749 §4.1), as handlers for
 * `createOAuthRouter({ authorize: authorizationPage({ provider }) })`.
 *
 * `GET` validates the authorization request and shows the page; `POST` receives the form, checks
 * its CSRF token, re-validates the request, lets the decision run and redirects with `code`,
 * `state` and `iss` (RFC 9207), or with `access_denied`. A request whose client or `redirect_uri`
 * cannot be established gets an error page, never a redirect (RFC 6749 §4.1.2.1). Pages are sent
 * with a strict, nonce-based Content-Security-Policy, `frame-ancestors 'none'` and `no-store`.
 *
 * With the provider's `openid` option on, a sign-in begins a sign-in session (its secret in an
 * HttpOnly, SameSite=Lax cookie, its digest in the storage) and an approval remembers the
 * consent, for every request: a browser with a usable session whose consent covers the request
 * gets its code without a page; `prompt=none` never gets a page (OIDC Core §3.1.2.6). An
 * `id_token_hint` (OIDC Core §3.1.2.1) must be an ID token the provider issued to the client; then
 * only the End-User it names is signed in, by session or by password.
 */
export function authorizationPage(options: AuthorizationPageOptions): AuthorizeHandlers {
  const { provider } = options;
  const endpoint = createAuthorizationEndpoint({
    provider,
    ...(options.validateScope === undefined ? {} : { validateScope: options.validateScope }),
  });
  const tokens = createAuthorizationFormTokens({
    secret: options.csrfSecret ?? randomBytes(32),
    // The provider's clock, so that forms and codes age together (and tests can move both).
    now: () => provider.now(),
    ...(options.formLifetime === undefined ? {} : { lifetime: options.formLifetime }),
  });
  const template: AuthorizationPageTemplate = { ...defaultAuthorizationPageTemplate, ...options.template };
  const login = options.login ?? provider.users.login;
  const sessions = createAuthorizationSessions({ provider, ...(options.getUser === undefined ? {} : { getUser: options.getUser }) });
  const decide: AuthorizationDecider = options.decide ?? defaultDecision;

  /**
   * The default decision: a page shown as "signed in as" approves without a password while the
   * browser still has that session (OIDC Core §3.1.2.3); otherwise the username and password.
   */
  async function defaultDecision({ ctx, form, session }: Parameters<AuthorizationDecider>[0]): Promise<AuthorizationDecision> {
    const shownFor = form[SESSION_FIELD];
    if (form[AUTHORIZATION_FORM_FIELDS.decision] === 'approve' && typeof shownFor === 'string' && !hasPassword(form)) {
      if (session !== null && session.session.id === shownFor) return { outcome: 'approve', user: session.user, authentication: 'session' };
      return { outcome: 'retry', message: SESSION_CHANGED };
    }
    // Every sign-in attempt is counted against the browser's address.
    const decision = await decideWithPassword(login, form, { sourceAddress: ctx.ip });
    // RFC 8176 §2 `pwd`: the user has just proved it with a password.
    return decision.outcome === 'approve' ? { ...decision, authentication: { amr: ['pwd'] } } : decision;
  }

  /** The browser's live sign-in session, clearing a cookie that names none. */
  async function currentSession(ctx: Context): Promise<SignedInSession | null> {
    if (!sessions.enabled) return null;
    const secret = readSessionCookie(ctx);
    if (secret === undefined) return null;
    const found = await sessions.find(secret);
    if (found === null) clearSessionCookie(ctx);
    return found;
  }

  /**
   * The authentication an approval carries to the code (OIDC Core §2). A fresh sign-in begins a
   * session, ending the browser's previous one (another user's, or a stale authentication).
   */
  async function authenticate(
    ctx: Context,
    decision: Extract<AuthorizationDecision, { outcome: 'approve' }>,
    current: SignedInSession | null,
    usable: SignedInSession | null,
  ): Promise<ApprovalAuthentication | undefined> {
    const how = decision.authentication;
    if (how === undefined) return undefined;
    if (how === 'session') {
      if (usable === null || usable.user.id !== decision.user.id) {
        throw new TypeError('the authorization decider approved through a session the request cannot use, or for another user');
      }
      return sessions.authenticationOf(usable);
    }
    const begun = await sessions.signIn(decision.user, how, current);
    if (begun === null) return { authTime: provider.now(), acr: how.acr ?? null, amr: how.amr ?? [] };
    writeSessionCookie(ctx, begun.secret, begun.signedIn.session.expiresAt);
    return sessions.authenticationOf(begun.signedIn);
  }

  const showError = (ctx: Context, view: Omit<ErrorPageView, 'nonce'>): void => showErrorPage(ctx, template.error, view);

  /** A response after the form: 303 so that the browser follows with a GET (RFC 9700 §4.12). */
  function redirect(ctx: Context, location: string): void {
    ctx.status = ctx.method === 'POST' ? 303 : 302;
    ctx.redirect(location);
  }

  function refuse(ctx: Context, refusal: Refusal, issuer: string | undefined): void {
    if (refusal.redirectTo !== null) return redirect(ctx, withIssuer(refusal.redirectTo, issuer));
    if (refusal.throttled) {
      // The client's metadata document was not fetched (RFC 6585 §4: 429 for this address, 503 for the server).
      ctx.set('Retry-After', String(refusal.throttled.retryAfterSeconds));
      return showError(ctx, {
        status: refusal.throttled.busy ? 503 : 429,
        title: refusal.throttled.busy ? 'This server is busy' : 'Too many requests from your network',
        message: refusal.throttled.busy
          ? 'This server is looking up too many applications at this moment. Wait a moment, then return to the application and try again.'
          : 'This server has looked up too many unfamiliar applications for your network lately. Wait a while, then return to the application and try again.',
        error: refusal.error,
        errorDescription: refusal.errorDescription,
      });
    }
    showError(ctx, {
      status: 400,
      title: 'This sign-in link is not valid',
      message:
        'The application that sent you here made a request this server cannot accept, so you cannot be sent back to it. Return to the application and try again, or tell its developers.',
      error: refusal.error,
      errorDescription: refusal.errorDescription,
    });
  }

  async function showConsent(
    ctx: Context,
    request: AuthorizationRequest,
    parameters: AuthorizationRequestParameters,
    binding: string,
    signedIn: SignedInSession | null,
    retry: { message: string | null; username: string; throttled?: { retryAfterSeconds: number; busy?: boolean } },
  ): Promise<void> {
    const hiddenFields = authorizationRequestFields(parameters);
    hiddenFields.push([CSRF_FIELD, tokens.issue(binding, parameters)]);
    if (signedIn !== null) hiddenFields.push([SESSION_FIELD, signedIn.session.id]);
    const descriptions =
      request.scope.length === 0 ? new Map<string, string | null>() : new Map((await provider.scopes.list()).map((s) => [s.name, s.description]));
    const source = redirectSource(request.redirectUri);
    const view: ConsentPageView = {
      client: { id: request.client.id, name: request.client.name, host: request.clientIdHost },
      scopes: request.scope.map((name) => ({ name, description: descriptions.get(name) ?? null })),
      resources: request.resources.map(({ id, name }) => ({ id, name })),
      returnTo: source ?? request.redirectUri,
      // The path as the browser sent it: right even when the application is mounted under a prefix.
      formAction: new URL(ctx.originalUrl, 'http://form.invalid').pathname,
      hiddenFields,
      fieldNames: { ...AUTHORIZATION_FORM_FIELDS },
      // OIDC Core §3.1.2.1: login_hint fills in the username until the user typed one.
      username: retry.username === '' ? (request.openid?.loginHint ?? '') : retry.username,
      signedInAs: signedIn === null ? null : { username: typeof signedIn.user.username === 'string' ? signedIn.user.username : signedIn.user.id },
      message: retry.message,
      nonce: newCspNonce(),
    };
    if (retry.throttled) ctx.set('Retry-After', String(retry.throttled.retryAfterSeconds));
    const status = retry.throttled ? (retry.throttled.busy ? 503 : 429) : 200;
    sendPageHtml(ctx, status, template.consent(view), view.nonce, source === null ? [] : [source]);
  }

  return {
    async get(ctx, facts?: AuthorizeEndpointFacts) {
      // Documents of clients known by URL are fetched against the browser's address.
      const check = await endpoint.validate(ctx.query, { sourceAddress: ctx.ip });
      if (!check.ok) return refuse(ctx, check, facts?.issuer);
      // A signed-in browser whose consent is remembered goes straight back; prompt=none never sees a page.
      const precheck = await sessions.precheck(check.request, await currentSession(ctx));
      if (precheck.action === 'refuse') {
        return redirect(ctx, withIssuer(endpoint.interactionRequired(check.request, precheck.error).redirectTo, facts?.issuer));
      }
      if (precheck.action === 'approve') {
        const { user } = precheck.signedIn;
        const approval = await endpoint.approve(check.request, user, sessions.authenticationOf(precheck.signedIn));
        return redirect(ctx, withIssuer(approval.redirectTo, facts?.issuer));
      }
      // Validation accepted every parameter as a single string (and `resource` as strings), so
      // picking cannot fail here.
      const parameters = pickAuthorizationRequestParameters(ctx.query) ?? {};
      let binding = readFormBinding(ctx);
      if (!tokens.isBinding(binding)) {
        binding = tokens.newBinding();
        writeFormBinding(ctx, binding);
      }
      await showConsent(ctx, check.request, parameters, binding, precheck.signedIn, { message: null, username: '' });
    },

    async post(ctx, facts?: AuthorizeEndpointFacts) {
      const form = ctx.request.body as Record<string, unknown>;
      const parameters = pickAuthorizationRequestParameters(form);
      const binding = readFormBinding(ctx);
      // Checked before anything else: a forged or stale form decides nothing and reads no storage.
      if (parameters === null || !tokens.isBinding(binding) || !tokens.verify(binding, parameters, form[CSRF_FIELD])) {
        return showError(ctx, {
          status: 403,
          title: 'This form has expired',
          message:
            'The sign-in form was open too long, or it did not come from this site. Nothing was shared. Return to the application and start again.',
          error: 'invalid_request',
          errorDescription: 'the form token is missing, expired or does not match this browser and request',
        });
      }
      // A sign-in while this address has too many password checks in flight is turned away before
      // it costs a storage read or a form render: that is what keeps a flood of posts cheap.
      if (options.decide === undefined && form[AUTHORIZATION_FORM_FIELDS.decision] === 'approve' && (hasPassword(form) || form[SESSION_FIELD] === undefined)) {
        const busy = passwordCheckRefusal(provider, ctx.ip);
        if (busy) {
          ctx.set('Retry-After', String(busy.retryAfterSeconds));
          return showError(ctx, {
            status: busy.reason === 'source' ? 429 : 503,
            title: 'Too many sign-ins in progress',
            message: `${AUTHORIZATION_MESSAGES.busy} Go back and sign in again.`,
            error: 'temporarily_unavailable',
            errorDescription: 'too many password checks are in flight',
          });
        }
      }
      const check = await endpoint.validate(parameters, { sourceAddress: ctx.ip });
      if (!check.ok) return refuse(ctx, check, facts?.issuer);

      // Read again: the session may have ended, or another user signed in, since the page was shown.
      const current = await currentSession(ctx);
      const usable = sessions.satisfies(check.request, current) ? current : null;
      const decision = await decide({ ctx, request: check.request, form, session: usable });
      switch (decision.outcome) {
        case 'deny':
          return redirect(ctx, withIssuer(endpoint.deny(check.request).redirectTo, facts?.issuer));
        case 'approve': {
          // OIDC Core §3.1.2.1: the client asked for the End-User its id_token_hint names; someone
          // else signing in is asked again, and no session begins for them here.
          if (!sessions.isHintedUser(check.request, decision.user)) {
            return showConsent(ctx, check.request, parameters, binding, usable, { message: NOT_HINTED_USER, username: '' });
          }
          const authentication = await authenticate(ctx, decision, current, usable);
          const approval = await endpoint.approve(check.request, decision.user, authentication);
          // OIDC Core §3.1.2.4: what the user approved here is not asked again.
          if (approval.granted !== undefined) await sessions.remember(decision.user.id, check.request, approval.granted);
          return redirect(ctx, withIssuer(approval.redirectTo, facts?.issuer));
        }
        case 'retry': {
          return showConsent(ctx, check.request, parameters, binding, usable, {
            message: decision.message,
            username: decision.username ?? '',
            ...(decision.throttled ? { throttled: decision.throttled } : {}),
          });
        }
        default:
          throw new TypeError('the authorization decider returned no known outcome');
      }
    },
  };
}

/** Shown when the page said "signed in as" someone and the browser no longer has that session. */
const SESSION_CHANGED = 'You are no longer signed in as this page said. Check who is signed in, then choose again.';

/** Shown when someone signs in other than the user the application's `id_token_hint` names. */
const NOT_HINTED_USER = 'The application asked for another account. Sign in with the account you use with it.';

/** Whether the form carries a password: then it is a sign-in, whatever session the browser has. */
function hasPassword(form: Record<string, unknown>): boolean {
  const password = form[AUTHORIZATION_FORM_FIELDS.password];
  return typeof password === 'string' && password !== '';
}
