import type { Context } from 'koa';
import {
  createEndSessionEndpoint,
  type EndSessionCheck,
  type EndSessionEndpointOptions,
  type EndSessionRequest,
} from '../../core/index.js';
import { newCspNonce, redirectSource } from './content-security-policy.js';
import { protectPage, sendPageHtml, showErrorPage } from './page-response.js';
import { defaultEndSessionPageTemplate } from './end-session-template.js';
import type { EndSessionPageTemplate } from './end-session-views.js';
import { readFormBinding, writeFormBinding } from './form-binding-cookie.js';
import type { ErrorPageView } from './page-views.js';
import { clearSessionCookie, readSessionCookie } from './session-cookie.js';

/** Options of {@link endSessionPage}: the endpoint's, and the pages' template. */
export interface EndSessionPageOptions extends EndSessionEndpointOptions {
  /** Replaces the confirmation page, the outcome page, the error page, or several. */
  template?: Partial<EndSessionPageTemplate>;
}

/** The end-session endpoint's handlers, for `createOAuthRouter({ endSession })`; the router parses `POST` bodies. */
export interface EndSessionHandlers {
  /** `GET {prefix}/logout`: a relying party's redirect (OIDC RP-Initiated Logout §2). */
  get(ctx: Context): Promise<void>;
  /** `POST {prefix}/logout`: a relying party's form post (§2), or the confirmation form. */
  post(ctx: Context): Promise<void>;
}

/**
 * The end-session endpoint of OpenID Connect RP-Initiated Logout 1.0, as Koa handlers. A request
 * is validated by the core (`createEndSessionEndpoint`); a refused one gets an error page, never a
 * redirect (§4). The browser's sign-in session ends at once when the `id_token_hint` names the
 * user signed in; otherwise the user confirms on a page whose form carries a CSRF token. After
 * logout the session row is deleted and its cookie cleared, and the user goes to the registered
 * `post_logout_redirect_uri` with `state` (§3), or sees a "signed out" page. Every answer is
 * `no-store`, unframeable, and sent without a referrer (the hint may be in the URL); pages have a
 * strict nonce-based Content-Security-Policy.
 */
export function endSessionPage(options: EndSessionPageOptions): EndSessionHandlers {
  const endpoint = createEndSessionEndpoint(options);
  const template: EndSessionPageTemplate = { ...defaultEndSessionPageTemplate, ...options.template };


  const showError = (ctx: Context, view: Omit<ErrorPageView, 'nonce'>): void => showErrorPage(ctx, template.error, view);

  function refuse(ctx: Context, refusal: Extract<EndSessionCheck, { ok: false }>): void {
    showError(ctx, {
      status: refusal.status,
      title: 'This sign-out link is not valid',
      message:
        'The application that sent you here made a sign-out request this server cannot accept, so you cannot be sent back to it. You have not been signed out. Return to the application, or tell its developers.',
      error: refusal.error,
      errorDescription: refusal.errorDescription,
    });
  }

  function showConfirmation(ctx: Context, request: EndSessionRequest): void {
    let binding = readFormBinding(ctx);
    if (!endpoint.isBinding(binding)) {
      binding = endpoint.newBinding();
      writeFormBinding(ctx, binding);
    }
    const source = request.redirectTo === null ? null : redirectSource(request.redirectTo);
    const nonce = newCspNonce();
    const html = template.confirm({
      client: request.client,
      returnTo: request.redirectTo === null ? null : (source ?? request.redirectTo),
      formAction: new URL(ctx.originalUrl, 'http://form.invalid').pathname,
      hiddenFields: endpoint.confirmationFields(binding, request),
      decisionField: endpoint.decisionField,
      uiLocales: request.uiLocales,
      nonce,
    });
    // The form's 303 goes on to the relying party's URI: form-action must allow it.
    sendPageHtml(ctx, 200, html, nonce, source === null ? [] : [source]);
  }

  /** Where the request ends: back to the relying party (§3), or the outcome page. */
  function finish(ctx: Context, request: EndSessionRequest, signedOut: boolean): void {
    if (request.redirectTo !== null) {
      // 303 after a form, so that the browser follows with a GET.
      ctx.status = ctx.method === 'POST' ? 303 : 302;
      ctx.redirect(request.redirectTo);
      return;
    }
    const nonce = newCspNonce();
    sendPageHtml(ctx, 200, template.done({ signedOut, client: request.client, uiLocales: request.uiLocales, nonce }), nonce);
  }

  /** §2: ends the browser's session, if it has one, and clears its cookie. */
  async function logOut(ctx: Context, request: EndSessionRequest): Promise<void> {
    await endpoint.end(request);
    if (readSessionCookie(ctx) !== undefined) clearSessionCookie(ctx);
    finish(ctx, request, true);
  }

  async function answer(ctx: Context, check: EndSessionCheck): Promise<void> {
    if (!check.ok) return refuse(ctx, check);
    if (check.request.confirm) return showConfirmation(ctx, check.request);
    return logOut(ctx, check.request);
  }

  return {
    async get(ctx) {
      protectPage(ctx);
      await answer(ctx, await endpoint.validate({ parameters: ctx.query, sessionSecret: readSessionCookie(ctx) }));
    },

    async post(ctx) {
      protectPage(ctx);
      const form = (ctx.request.body ?? {}) as Record<string, unknown>;
      if (!endpoint.isConfirmation(form)) {
        // A relying party's own form post: cross-site, so a SameSite=Lax session cookie may be withheld.
        await answer(ctx, await endpoint.validate({ parameters: form, sessionSecret: readSessionCookie(ctx), cookiesMayBeWithheld: true }));
        return;
      }
      // Checked before anything else: a forged or stale confirmation ends nothing and reads no storage.
      if (!endpoint.verifyConfirmation(readFormBinding(ctx), form)) {
        return showError(ctx, {
          status: 403,
          title: 'This form has expired',
          message: 'The sign-out form was open too long, or it did not come from this site. Nothing changed. Return to the application and sign out again.',
          error: 'invalid_request',
          errorDescription: 'the form token is missing, expired or does not match this browser and request',
        });
      }
      const check = await endpoint.validate({ parameters: form, sessionSecret: readSessionCookie(ctx) });
      if (!check.ok) return refuse(ctx, check);
      if (form[endpoint.decisionField] === 'stay') return finish(ctx, check.request, false);
      return logOut(ctx, check.request);
    },
  };
}
