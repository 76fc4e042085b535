import type { UserRecord } from './records.js';

/**
 * The optional user-store port: the default user store's table (`provider.users`). A storage for
 * an application that keeps its users elsewhere leaves it out and passes its own `getUser` and
 * `login` callbacks to `provider.userModel()`.
 */
export interface OAuthUserStorage {
  /**
   * Stores a user. Throws {@link DuplicateError} (`user` or `username`) when the id or the
   * username is taken.
   *
   * Called by: `users.create`.
   */
  insertUser(user: UserRecord): Promise<void>;

  /**
   * The user with exactly this username (case and trailing spaces count), or null.
   *
   * Called by: `users.login` (the password grant and the sign-in page), `users.verifyPassword` and `users.findByUsername`.
   */
  findUserByUsername(username: string): Promise<UserRecord | null>;

  /**
   * The user with this id, or null.
   *
   * Called by: `users.get` and `users.getUser` (the refresh and code grants, when the token row
   * does not already prove the user exists).
   */
  findUserById(id: string): Promise<UserRecord | null>;

  /**
   * Deletes the user; false when absent. The core revokes the user's tokens first.
   *
   * Called by: `users.delete`.
   */
  deleteUser(id: string): Promise<boolean>;

  /**
   * Every user, ordered by username. Password hashes included: the core strips them before a
   * user reaches a caller.
   *
   * Called by: `users.list` (the CLI's `user list`).
   */
  listUsers(): Promise<UserRecord[]>;
}

/** The user-store port's methods, in the order they are documented. */
export const USER_STORE_METHODS = [
  'insertUser',
  'findUserByUsername',
  'findUserById',
  'deleteUser',
  'listUsers',
] as const satisfies ReadonlyArray<keyof OAuthUserStorage>;
