/**
 * What a page template receives. Every string is raw text as it came from the client registry,
 * the scope catalogue, the resource registry or the request: a template must HTML-escape all of it.
 */

/** The sign-in and consent page (`GET {prefix}/authorize`, and again after a failed sign-in). */
export interface ConsentPageView {
  /**
   * The client asking for access; `name` is what the user recognises. `host` is the host of its
   * `client_id` when that is the URL of its metadata document (draft-ietf-oauth-client-id-metadata-document-01
   * §6.4): show it prominently, since the name is then the client's own claim, which nobody
   * vouched for; null for clients registered with this server.
   */
  client: { id: string; name: string; host: string | null };
  /** The scopes that will be granted, with the catalogue's descriptions. Empty when none. */
  scopes: Array<{ name: string; description: string | null }>;
  /**
   * The resources (APIs, services) the access will be for (RFC 8707 §2.1), by their registered
   * names and identifiers, in the order requested. Empty when the request named none.
   */
  resources: Array<{ id: string; name: string }>;
  /** Where the user will be sent afterwards, for display: an origin (`https://app.example`) or a scheme. */
  returnTo: string;
  /** The form's `action`: post the form back to the authorization endpoint. */
  formAction: string;
  /**
   * Hidden fields the form must post unchanged: the authorization request and its CSRF token.
   * Render each as `<input type="hidden" name="…" value="…">`.
   */
  hiddenFields: Array<[name: string, value: string]>;
  /** Names of the visible fields: the pressed button's `decision` (`approve`/`deny`), username, password. */
  fieldNames: { decision: string; username: string; password: string };
  /** The username to fill in (after a failed sign-in, or the request's `login_hint`), or ''. */
  username: string;
  /**
   * The user the browser is signed in as (its sign-in session, OpenID Connect on), or null. When
   * set, the form approves without a password: show "signed in as" and the decision buttons,
   * with no username or password fields. A page that shows them anyway still works: a password
   * posted signs in again.
   */
  signedInAs: { username: string } | null;
  /** A message for the user (e.g. wrong password), or null. Announce it (`role="alert"`). */
  message: string | null;
  /**
   * The Content-Security-Policy nonce: put it on the page's `<style>` element(s). Scripts are not
   * allowed on the page.
   */
  nonce: string;
}

/**
 * The page shown instead of a redirect: the client or its `redirect_uri` cannot be trusted
 * (RFC 6749 §4.1.2.1), or the posted form is not one this server issued.
 */
export interface ErrorPageView {
  /** HTTP status the page is sent with. */
  status: number;
  /** A short heading. */
  title: string;
  /** What went wrong and what to do, for the user. */
  message: string;
  /** The OAuth error code (RFC 6749 §4.1.2.1) and description, for the developer. */
  error: string;
  errorDescription: string;
  /** The Content-Security-Policy nonce for `<style>`. */
  nonce: string;
}

/** Renders the authorization endpoint's pages to complete HTML documents. */
export interface AuthorizationPageTemplate {
  consent(view: ConsentPageView): string;
  error(view: ErrorPageView): string;
}
