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
   * Replaces the user's password hash and sets `updatedAt`, in one UPDATE; false when there is no
   * user with exactly this id. With `replacing`, a compare-and-set in the database: only while the
   * stored hash is still `replacing` (false, writing nothing, once it is not), so that a hash
   * upgraded at sign-in never overwrites a password changed meanwhile.
   *
   * Called by: `users.setPassword` (without `replacing`), and `users.login` / `users.verifyPassword`
   * (the password grant and the sign-in page) to store the upgrade of a hash made at a lower cost
   * than the configured one (with `replacing`).
   */
  updateUserPassword(id: string, passwordHash: string, updatedAt: Date, replacing?: string): Promise<boolean>;

  /**
   * Deletes the user with exactly this id; false when absent. The core revokes the user's tokens first.
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
  'updateUserPassword',
  'deleteUser',
  'listUsers',
] as const satisfies ReadonlyArray<keyof OAuthUserStorage>;
