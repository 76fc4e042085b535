import type { GetOAuthUser, OAuthUser } from '../provider/application-callbacks.js';
import { isLoopbackHost } from '../provider/redirect-uri.js';
import type { OAuthProvider } from '../oauth-provider.js';
import type { SignInAuthentication, SignInSession } from '../provider/openid/sign-in-sessions.js';
import { credentialsOf } from '../provider/provider-link.js';
import { isHintedUser } from './authorization-id-token-hint.js';
import type { ApprovalAuthentication, AuthorizationGrant, AuthorizationRequest, InteractionRequiredError } from './authorization-endpoint.js';

/** A browser's live sign-in session with its user, as the authorization page sees it. */
export interface SignedInSession {
  /** The session; its secret stays in the cookie. */
  session: SignInSession;
  /** The session's user, as `getUser` knows it now. */
  user: OAuthUser;
}

/**
 * What the authorization endpoint does with a request before any form is posted (OIDC Core
 * §3.1.2.3–§3.1.2.6):
 * - `approve`: the browser's session signs the user in and remembered consent covers the request;
 * - `refuse`: the request said `prompt=none` and a page would be needed;
 * - `show`: show the page, with the session whose user need not sign in again, or null.
 */
export type AuthorizationPrecheck =
  | { action: 'approve'; signedIn: SignedInSession }
  | { action: 'refuse'; error: InteractionRequiredError }
  | { action: 'show'; signedIn: SignedInSession | null };

/** Options of {@link createAuthorizationSessions}. */
export interface AuthorizationSessionsOptions {
  provider: OAuthProvider;
  /** Loads a session's user. Default `provider.users.getUser` (the default user store). */
  getUser?: GetOAuthUser;
}

/**
 * Sign-in sessions and remembered consent at the authorization endpoint, framework-free: the
 * page reads and writes the cookie, this decides what the session and consent allow. Everything
 * here is off (no session found, nothing remembered, every request shown) unless the provider
 * has the `openid` option; then it serves every request, OpenID Connect or plain OAuth.
 */
export interface AuthorizationSessions {
  /** Whether sessions and remembered consent are in play (the `openid` option is on). */
  readonly enabled: boolean;
  /** The live session whose cookie holds `secret`, with its user; null when none (or its user is gone). */
  find(secret: unknown): Promise<SignedInSession | null>;
  /**
   * Whether the session may stand in for a sign-in on this request: not when the request asks
   * for a fresh one (`prompt=login`, `prompt=select_account`), nor when the user authenticated
   * longer ago than `max_age`, nor when its user is not the one the request's `id_token_hint`
   * identifies (OIDC Core §3.1.2.1).
   */
  satisfies(request: AuthorizationRequest, signedIn: SignedInSession | null): signedIn is SignedInSession;
  /**
   * Whether `user` may approve the request: always without an `id_token_hint`; with one, only the
   * End-User it identifies (the same `sub` at the client, OIDC Core §3.1.2.1, §8). A sign-in as
   * anyone else must be asked again, never turned into a code.
   */
  isHintedUser(request: AuthorizationRequest, user: OAuthUser): boolean;
  /** What to do with a request on its arrival (GET), given the browser's session. */
  precheck(request: AuthorizationRequest, signedIn: SignedInSession | null): Promise<AuthorizationPrecheck>;
  /**
   * A user has just authenticated: ends the browser's previous session (another user's, or the
   * same user's now re-authenticated) and begins one. Returns the new session and the secret for
   * its cookie, or null when sessions are not kept (then only the approval knows the sign-in).
   */
  signIn(user: OAuthUser, authentication: SignInAuthentication, previous: SignedInSession | null): Promise<{ secret: string; signedIn: SignedInSession } | null>;
  /** The authentication an approval through this session carries to the code (OIDC Core §2). */
  authenticationOf(signedIn: SignedInSession): ApprovalAuthentication;
  /** Remembers what the user approved for the request's client (OIDC Core §3.1.2.4). */
  remember(userId: string, request: AuthorizationRequest, granted: AuthorizationGrant): Promise<void>;
}

/** Builds the session and consent decisions of the authorization endpoint on a provider. */
export function createAuthorizationSessions(options: AuthorizationSessionsOptions): AuthorizationSessions {
  const credentials = credentialsOf(options.provider);
  const getUser = options.getUser ?? options.provider.users.getUser;
  const enabled = credentials.settings.openid !== null;

  async function find(secret: unknown): Promise<SignedInSession | null> {
    if (!enabled) return null;
    const session = await credentials.sessions.find(secret);
    if (session === null) return null;
    const user = await getUser(session.userId);
    // A user who is gone signs nobody in, whatever the browser still holds.
    if (user === null || user === undefined || user.id !== session.userId) return null;
    return { session, user };
  }

  function satisfies(request: AuthorizationRequest, signedIn: SignedInSession | null): signedIn is SignedInSession {
    if (signedIn === null) return false;
    const openid = request.openid;
    if (openid === null) return true;
    // OIDC Core §3.1.2.1: the session of someone other than the hinted End-User signs nobody in here.
    if (!isHintedUser(request, signedIn.user.id)) return false;
    // There is no account chooser: the sign-in form is where another account is selected.
    if (openid.prompt.includes('login') || openid.prompt.includes('select_account')) return false;
    if (openid.maxAge !== null) {
      // OIDC Core §3.1.2.1: older than max_age, the user must actively authenticate again.
      const age = Math.floor((credentials.now().getTime() - signedIn.session.authTime.getTime()) / 1000);
      if (openid.maxAge === 0 || age > openid.maxAge) return false;
    }
    return true;
  }

  async function precheck(request: AuthorizationRequest, signedIn: SignedInSession | null): Promise<AuthorizationPrecheck> {
    if (!enabled) return { action: 'show', signedIn: null };
    const prompt = request.openid?.prompt ?? [];
    const usable = satisfies(request, signedIn) ? signedIn : null;
    if (usable !== null && !prompt.includes('consent') && mayBeApprovedSilently(request)) {
      const covered = await credentials.consentGrants.covers(
        usable.user.id,
        request.client.id,
        request.scope,
        request.resources.map((resource) => resource.id),
      );
      if (covered) return { action: 'approve', signedIn: usable };
    }
    // OIDC Core §3.1.2.6: with prompt=none no page is shown; say what the page was needed for.
    if (prompt.includes('none')) return { action: 'refuse', error: usable === null ? 'login_required' : 'consent_required' };
    return { action: 'show', signedIn: usable };
  }

  async function signIn(
    user: OAuthUser,
    authentication: SignInAuthentication,
    previous: SignedInSession | null,
  ): Promise<{ secret: string; signedIn: SignedInSession } | null> {
    if (!enabled) return null;
    // One session per browser: a new sign-in replaces the one it had (OIDC Core §3.1.2.3).
    if (previous !== null) await credentials.sessions.end(previous.session.id);
    const begun = await credentials.sessions.begin(user.id, authentication);
    return begun === null ? null : { secret: begun.secret, signedIn: { session: begun.session, user } };
  }

  function authenticationOf(signedIn: SignedInSession): ApprovalAuthentication {
    const { authTime, acr, amr } = signedIn.session;
    return { authTime, acr, amr };
  }

  async function remember(userId: string, request: AuthorizationRequest, granted: AuthorizationGrant): Promise<void> {
    if (!enabled) return;
    await credentials.consentGrants.remember(userId, request.client.id, granted.scope, granted.resources);
  }

  return {
    enabled,
    find,
    satisfies,
    isHintedUser: (request, user) => isHintedUser(request, user.id),
    precheck,
    signIn,
    authenticationOf,
    remember,
  };
}

/**
 * Whether remembered consent may approve the request without showing the page. Not for a public
 * client whose answer goes to a loopback address or a private-use scheme: any program on the
 * user's machine can listen there or claim the scheme and present that client's id with a PKCE
 * challenge of its own, so the server cannot tell it is the client the user approved (RFC 8252
 * §8.6; RFC 9700 §4.1.2). The page, one click for a signed-in user, puts the user in the loop;
 * `prompt=none` is answered `consent_required`.
 */
function mayBeApprovedSilently(request: AuthorizationRequest): boolean {
  if (!request.client.isPublic) return true;
  let url: URL;
  try {
    url = new URL(request.redirectUri);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  return !isLoopbackHost(url.hostname);
}
