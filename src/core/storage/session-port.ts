import type { SessionRecord } from './records.js';

/**
 * The optional session port: the `oauth_sessions` table, the sign-in sessions of browsers at the
 * authorization endpoint (OIDC Core §3.1.2.3). A session is found by the SHA-256 digest of the
 * secret its cookie holds; the secret itself never reaches the storage. Without the port there are
 * no sessions: every authorization asks for the password, and `prompt=none` always answers
 * `login_required` (docs/contract.md).
 */
export interface OAuthSessionStorage {
  /**
   * Writes a new session. Throws {@link DuplicateError} (`session`) when the id or digest is taken.
   *
   * Called by: the authorization page, when a user signs in.
   */
  insertSession(session: SessionRecord): Promise<void>;

  /**
   * The session with this secret digest, expired ones included (the core decides), or null. One statement.
   *
   * Called by: the authorization page and the end-session endpoint, for every request with a session cookie.
   */
  findSession(secretHash: string): Promise<SessionRecord | null>;

  /**
   * Deletes the session with this id; false when absent.
   *
   * Called by: the end-session endpoint (RP-Initiated Logout), a sign-in as another user, and the management API.
   */
  deleteSession(id: string): Promise<boolean>;

  /**
   * Deletes every session of the user, in one statement. Returns how many went.
   *
   * Called by: `users.delete`, a password change through `users.setPassword`, and the management API.
   */
  deleteUserSessions(userId: string): Promise<number>;

  /**
   * Deletes the sessions whose `expiresAt` is before `now`, in one statement. Returns how many went.
   *
   * Called by: `provider.purgeExpired()` (the CLI's `tokens purge-expired`).
   */
  purgeSessions(now: Date): Promise<number>;
}

/** The session port's methods, in the order they are documented. */
export const SESSION_METHODS = [
  'insertSession',
  'findSession',
  'deleteSession',
  'deleteUserSessions',
  'purgeSessions',
] as const satisfies ReadonlyArray<keyof OAuthSessionStorage>;
