import type { ErrorPageView } from './page-views.js';

/**
 * What the logout pages' template receives. Every string is raw text from the client registry or
 * the request: a template must HTML-escape all of it.
 */

/** The page asking the user to confirm logging out (OIDC RP-Initiated Logout §2). */
export interface EndSessionConfirmView {
  /** The client that sent the user here, when the request named one; null otherwise. */
  client: { id: string; name: string } | null;
  /** Where the user will be sent afterwards, for display (an origin or a scheme); null: nowhere. */
  returnTo: string | null;
  /** The form's `action`: post back to the end-session endpoint. */
  formAction: string;
  /** Hidden fields the form must post unchanged: the logout request and its CSRF token. */
  hiddenFields: Array<[name: string, value: string]>;
  /** Name of the pressed button's field; its values are `logout` and `stay`. */
  decisionField: string;
  /** The request's `ui_locales` (§2), in order of preference; the default page is in English. */
  uiLocales: string[];
  /** The Content-Security-Policy nonce for `<style>`; scripts are not allowed. */
  nonce: string;
}

/** The page after the request, when no `post_logout_redirect_uri` takes the user back. */
export interface EndSessionDoneView {
  /** True: the user is signed out (or was not signed in); false: the user chose to stay signed in. */
  signedOut: boolean;
  /** The client that sent the user here, when the request named one. */
  client: { id: string; name: string } | null;
  uiLocales: string[];
  nonce: string;
}

/** Renders the end-session endpoint's pages to complete HTML documents. */
export interface EndSessionPageTemplate {
  confirm(view: EndSessionConfirmView): string;
  done(view: EndSessionDoneView): string;
  /** A request refused (§4): shown, never redirected. */
  error(view: ErrorPageView): string;
}
