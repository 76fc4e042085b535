import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from '../provider/input-limits.js';
import type { LoginOAuthUser, OAuthUser } from '../provider/application-callbacks.js';

/**
 * What the resource owner decided on the sign-in/consent form (RFC 6749 §4.1.1–4.1.2):
 * - `approve`: issue a code to this user;
 * - `deny`: send the client `access_denied` (RFC 6749 §4.1.2.1);
 * - `retry`: show the form again with `message` (e.g. wrong password), redirecting nowhere.
 */
export type AuthorizationDecision =
  | { outcome: 'approve'; user: OAuthUser }
  | { outcome: 'deny' }
  | {
      outcome: 'retry';
      /** Shown to the user; plain text (the page escapes it). */
      message: string;
      /** The username to fill the form with again, if any. */
      username?: string;
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
} as const;

/**
 * The default decision: denying needs nothing more (it only tells the client no), approving needs
 * the username and password to pass `login`. A wrong password gives the same message as an unknown
 * username, so the form does not reveal which accounts exist.
 */
export async function decideWithPassword(
  login: LoginOAuthUser,
  form: Record<string, unknown>,
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
  const user = await login(username, password);
  if (user === null || user === undefined) {
    return { outcome: 'retry', message: AUTHORIZATION_MESSAGES.wrongCredentials, username };
  }
  return { outcome: 'approve', user };
}
