import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import {
  AUTHORIZATION_FORM_FIELDS,
  AUTHORIZATION_MESSAGES,
  authorizationRequestFields,
  createAuthorizationEndpoint,
  createAuthorizationFormTokens,
  decideWithPassword,
  passwordCheckRefusal,
  pickAuthorizationRequestParameters,
  withIssuer,
  type AuthorizationDecision,
  type AuthorizationRequest,
  type AuthorizationRequestCheck,
  type AuthorizationRequestParameters,
  withSourceAddress,
  type LoginOAuthUser,
  type OAuthProvider,
  type ValidateScope,
} from '../../core/index.js';
import type { AuthorizeEndpointFacts, AuthorizeHandlers } from '../authorize.js';
import { newCspNonce, pageContentSecurityPolicy, redirectSource } from './content-security-policy.js';
import { defaultAuthorizationPageTemplate } from './default-template.js';
import { readFormBinding, writeFormBinding } from './form-binding-cookie.js';
import type { AuthorizationPageTemplate, ConsentPageView, ErrorPageView } from './page-views.js';

/**
 * Decides what the user's submission means: approve (for which user), deny, or show the form
 * again with a message. Replace it to sign users in another way (an existing session, a second
 * factor, remembered consent); `form` is the posted body, `ctx` the request.
 */
export type AuthorizationDecider = (input: {
  ctx: Context;
  request: AuthorizationRequest;
  form: Record<string, unknown>;
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
  const decide: AuthorizationDecider = options.decide ?? (({ form }) => decideWithPassword(login, form));

  function sendHtml(ctx: Context, status: number, html: string, nonce: string, formTargets: string[] = []): void {
    ctx.status = status;
    ctx.set('Content-Security-Policy', pageContentSecurityPolicy(nonce, formTargets));
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  }

  function showError(ctx: Context, view: Omit<ErrorPageView, 'nonce'>): void {
    const nonce = newCspNonce();
    sendHtml(ctx, view.status, template.error({ ...view, nonce }), nonce);
  }

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
    retry: { message: string | null; username: string; throttled?: { retryAfterSeconds: number; busy?: boolean } },
  ): Promise<void> {
    const hiddenFields = authorizationRequestFields(parameters);
    hiddenFields.push([CSRF_FIELD, tokens.issue(binding, parameters)]);
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
      username: retry.username,
      message: retry.message,
      nonce: newCspNonce(),
    };
    if (retry.throttled) ctx.set('Retry-After', String(retry.throttled.retryAfterSeconds));
    const status = retry.throttled ? (retry.throttled.busy ? 503 : 429) : 200;
    sendHtml(ctx, status, template.consent(view), view.nonce, source === null ? [] : [source]);
  }

  return {
    async get(ctx, facts?: AuthorizeEndpointFacts) {
      // Documents of clients known by URL are fetched against the browser's address.
      const check = await withSourceAddress(ctx.ip, () => endpoint.validate(ctx.query));
      if (!check.ok) return refuse(ctx, check, facts?.issuer);
      // Validation accepted every parameter as a single string (and `resource` as strings), so
      // picking cannot fail here.
      const parameters = pickAuthorizationRequestParameters(ctx.query) ?? {};
      let binding = readFormBinding(ctx);
      if (!tokens.isBinding(binding)) {
        binding = tokens.newBinding();
        writeFormBinding(ctx, binding);
      }
      await showConsent(ctx, check.request, parameters, binding, { message: null, username: '' });
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
      if (options.decide === undefined && form[AUTHORIZATION_FORM_FIELDS.decision] === 'approve') {
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
      const check = await withSourceAddress(ctx.ip, () => endpoint.validate(parameters));
      if (!check.ok) return refuse(ctx, check, facts?.issuer);

      // Every sign-in attempt the decision makes is counted against the browser's address.
      const decision = await withSourceAddress(ctx.ip, () => decide({ ctx, request: check.request, form }));
      switch (decision.outcome) {
        case 'deny':
          return redirect(ctx, withIssuer(endpoint.deny(check.request).redirectTo, facts?.issuer));
        case 'approve':
          return redirect(ctx, withIssuer((await withSourceAddress(ctx.ip, () => endpoint.approve(check.request, decision.user))).redirectTo, facts?.issuer));
        case 'retry':
          return showConsent(ctx, check.request, parameters, binding, {
            message: decision.message,
            username: decision.username ?? '',
            ...(decision.throttled ? { throttled: decision.throttled } : {}),
          });
        default:
          throw new TypeError('the authorization decider returned no known outcome');
      }
    },
  };
}
