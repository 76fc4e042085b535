import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from '../provider/input-limits.js';
import type { LoginAttempt, LoginOAuthUser, OAuthUser } from '../provider/application-callbacks.js';
import type { OAuthProvider } from '../oauth-provider.js';
import { credentialsOf } from '../provider/provider-link.js';
import { sourceKeyOf } from '../runtime/attempt-source.js';
import { TooManyFailedAttemptsError } from '../runtime/attempt-throttle.js';
import { PasswordCheckBusyError } from '../runtime/password-check-gate.js';
import type { SignInAuthentication } from '../provider/openid/sign-in-sessions.js';

/**
 * What the resource owner decided on the sign-in/consent form (RFC 6749 §4.1.1–4.1.2):
 * - `approve`: issue a code to this user;
 * - `deny`: send the client `access_denied` (RFC 6749 §4.1.2.1);
 * - `retry`: show the form again with `message` (e.g. wrong password), redirecting nowhere.
 */
export type AuthorizationDecision =
  | {
      outcome: 'approve';
      user: OAuthUser;
      /**
       * How the user authenticated for this approval (OIDC Core §2):
       * - `'session'`: through the browser's sign-in session (the decider's `session` input, whose
       *   user must be `user`): the code carries that session's `auth_time`, `acr` and `amr`;
       * - `{ amr, acr }`: the user signed in just now (the default page's password sign-in is
       *   `{ amr: ['pwd'] }`):
       *   with OpenID Connect on, a sign-in session begins, replacing the browser's previous one;
       * - absent: by means the page does not know: no session begins, and the code's `auth_time`,
       *   `acr` and `amr` are unknown.
       */
      authentication?: 'session' | SignInAuthentication;
    }
  | { outcome: 'deny' }
  | {
      outcome: 'retry';
      /** Shown to the user; plain text (the page escapes it). */
      message: string;
      /** The username to fill the form with again, if any. */
      username?: string;
      /**
       * Set when the attempt was refused unchecked because of throttling: the page answers 429 (or
       * 503 when `busy`) with `Retry-After` (RFC 6585 §4).
       */
      throttled?: { retryAfterSeconds: number; busy?: boolean };
    };

/** The form fields of the default page, besides the authorization request and its CSRF token. */
export const AUTHORIZATION_FORM_FIELDS = {
  /** `approve` or `deny`: the button the user pressed. */
  decision: 'decision',
  username: 'username',
  password: 'password',
} as const;

/** Messages of the default decision, exported so that pages and tests agree on them. */
export const AUTHORIZATION_MESSAGES = {
  missingCredentials: 'Enter your username and password.',
  wrongCredentials: 'Wrong username or password.',
  noDecision: 'Choose whether to allow or deny access.',
  /** `{seconds}` is replaced by the wait. */
  tooManyAttempts: 'Too many attempts. Try again in {seconds} seconds.',
  busy: 'Too many sign-ins are in progress. Try again in a moment.',
} as const;

/**
 * The default decision: denying needs nothing more (it only tells the client no), approving needs
 * the username and password to pass `login`. A wrong password gives the same message as an unknown
 * username, so the form does not reveal which accounts exist. `attempt` is handed to `login`: with
 * the request's source address, failures count against it.
 */
export async function decideWithPassword(
  login: LoginOAuthUser,
  form: Record<string, unknown>,
  attempt?: LoginAttempt,
): Promise<AuthorizationDecision> {
  const decision = form[AUTHORIZATION_FORM_FIELDS.decision];
  if (decision === 'deny') return { outcome: 'deny' };
  if (decision !== 'approve') return { outcome: 'retry', message: AUTHORIZATION_MESSAGES.noDecision };

  const username = form[AUTHORIZATION_FORM_FIELDS.username];
  const password = form[AUTHORIZATION_FORM_FIELDS.password];
  const keep = typeof username === 'string' && username.length <= MAX_USERNAME_LENGTH ? { username } : {};
  if (typeof username !== 'string' || typeof password !== 'string' || username === '' || password === '') {
    return { outcome: 'retry', message: AUTHORIZATION_MESSAGES.missingCredentials, ...keep };
  }
  // Bounded before hashing: an enormous password must not buy an attacker CPU time.
  if (username.length > MAX_USERNAME_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return { outcome: 'retry', message: AUTHORIZATION_MESSAGES.wrongCredentials, ...keep };
  }
  let user: OAuthUser | null | undefined;
  try {
    user = await login(username, password, attempt);
  } catch (error) {
    // A throttled attempt was not checked: saying "wrong password" would be a lie the person acts on.
    if (error instanceof TooManyFailedAttemptsError) {
      const seconds = error.retryAfterSeconds;
      return {
        outcome: 'retry',
        message: AUTHORIZATION_MESSAGES.tooManyAttempts.replace('{seconds}', String(seconds)),
        username,
        throttled: { retryAfterSeconds: seconds },
      };
    }
    if (error instanceof PasswordCheckBusyError) {
      return {
        outcome: 'retry',
        message: AUTHORIZATION_MESSAGES.busy,
        username,
        throttled: { retryAfterSeconds: error.retryAfterSeconds, busy: error.reason === 'server' },
      };
    }
    throw error;
  }
  if (user === null || user === undefined) {
    return { outcome: 'retry', message: AUTHORIZATION_MESSAGES.wrongCredentials, username };
  }
  return { outcome: 'approve', user };
}

/**
 * Whether a password check from `sourceAddress` would be refused right now because too many are in
 * flight (`throttle.passwordChecks`). A sign-in page asks before anything else, so that a flood of
 * posts is turned away before it costs a storage read or a page render; the check itself asks
 * again. Null when there is room, the refusal otherwise.
 */
export function passwordCheckRefusal(provider: OAuthProvider, sourceAddress: string | undefined): PasswordCheckBusyError | null {
  try {
    credentialsOf(provider).throttle.gate.assertRoom(sourceKeyOf(sourceAddress));
    return null;
  } catch (error) {
    if (error instanceof PasswordCheckBusyError) return error;
    throw error;
  }
}
