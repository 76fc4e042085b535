import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors.js';
import {
  codePointLength,
  isBoundedString,
  isStorableText,
  isUserId,
  MAX_PASSWORD_LENGTH,
  MAX_USER_ID_LENGTH,
  MAX_USERNAME_LENGTH,
  MIN_PASSWORD_LENGTH,
} from './input-limits.js';
import type { GetOAuthUser, LoginOAuthUser, OAuthUser } from './application-callbacks.js';
import { costOf, hashPassword, needsRehash, verifyPassword } from './password-hashing.js';
import { UnknownUserHashes } from './unknown-user-hashes.js';
import type { Credentials } from './credentials.js';
import { sourceKeyOf } from '../runtime/attempt-source.js';
import type { OAuthUserStorage } from '../storage/user-store-port.js';
import type { UserRecord } from '../storage/records.js';

/** A user of the default store, as returned to callers (never with the password hash). */
export interface StoredUser {
  id: string;
  username: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What `users.create` accepts. */
export interface NewUserInput {
  /** 1–255 printable characters; matched exactly (case-sensitive) at login. */
  username: string;
  /**
   * At least 8 characters (NIST SP 800-63B §5.1.1.2), counted as Unicode code points, so `'🔐'`
   * is one character; at most 1024 UTF-16 code units. Stored only as an scrypt hash.
   */
  password: string;
  /** Generated (a random UUID) when omitted. */
  id?: string;
}

/** Options of `users.setPassword`. */
export interface SetPasswordOptions {
  /**
   * Whether to revoke every token of the user (default true): whoever held a session or a
   * refresh token of theirs, perhaps whoever learnt the old password, must sign in again. False
   * keeps them, e.g. when users change their own password from a session they keep using.
   */
  revokeTokens?: boolean;
}

/**
 * Throws `ValidationError` unless `password` may be set: at least 8 Unicode code points (NIST SP
 * 800-63B §5.1.1.2), at most `MAX_PASSWORD_LENGTH` UTF-16 code units, which bounds what a password
 * can add to the cost of hashing it (input-limits.ts).
 */
function assertNewPassword(password: unknown): asserts password is string {
  if (!isBoundedString(password, MAX_PASSWORD_LENGTH)) {
    throw new ValidationError('password', `must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters`);
  }
  if (codePointLength(password) < MIN_PASSWORD_LENGTH) {
    throw new ValidationError('password', `must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
}

function toStoredUser(record: UserRecord): StoredUser {
  return { id: record.id, username: record.username, createdAt: record.createdAt, updatedAt: record.updatedAt };
}

/**
 * The default user store on the `oauth_users` table (`provider.users`). Applications with their
 * own users ignore it and pass their own interactors to `provider.userModel()`.
 */
export class UserStore {
  #unknownUserHashes: UnknownUserHashes | undefined;

  /**
   * Ready-made {@link GetOAuthUser}: the user with this id, or null. Passing this very
   * function to `userModel()` lets the refresh grant skip the lookup (the token row's join proves
   * the user exists).
   */
  readonly getUser: GetOAuthUser = async (userId) => {
    const user = await this.get(userId);
    return user ? { id: user.id, username: user.username } : null;
  };

  /**
   * Ready-made {@link LoginOAuthUser} checking the stored password under the provider's throttle.
   * Throws `TooManyFailedAttemptsError` (with `retryAfterSeconds`) while the source address of the
   * request is past its limits, and `PasswordCheckBusyError` when too many checks are in flight:
   * a sign-in page tells the person to wait, never "wrong password" (the default page does; the
   * password grant answers 429 or 503). The source is `attempt.sourceAddress`, which the kit's
   * endpoints and page pass; an application's own sign-in page passes its request's
   * (`provider.users.login(username, password, { sourceAddress: ctx.ip })`). Without one, only the
   * per-username delay and the bound on checks in flight apply.
   */
  readonly login: LoginOAuthUser = (username, password, attempt) =>
    this.credentials.throttledLogin(username, sourceKeyOf(attempt?.sourceAddress), () => this.verifyPassword(username, password));

  /** @internal */
  constructor(private readonly credentials: Credentials) {}

  /**
   * Creates a user. Throws `ValidationError` for invalid input — among it a password shorter than
   * 8 Unicode code points (NIST SP 800-63B §5.1.1.2) — and `DuplicateError` when the id or
   * username is taken. Existing users with shorter passwords can still sign in: the minimum applies
   * to passwords being set, never to passwords being checked.
   */
  async create(input: NewUserInput): Promise<StoredUser> {
    if (typeof input !== 'object' || input === null) throw new ValidationError('user', 'must be an object');
    if (!isStorableText(input.username, MAX_USERNAME_LENGTH)) {
      throw new ValidationError('username', `must be 1–${MAX_USERNAME_LENGTH} printable characters`);
    }
    assertNewPassword(input.password);
    if (input.id !== undefined && !isUserId(input.id)) {
      throw new ValidationError('id', `must be 1–${MAX_USER_ID_LENGTH} printable characters`);
    }
    const users = this.#users(); // before hashing: a storage without a user store fails at once
    const now = this.credentials.now();
    const record: UserRecord = {
      id: input.id ?? randomUUID(),
      username: input.username,
      passwordHash: await hashPassword(input.password, this.credentials.settings.passwordCost),
      createdAt: now,
      updatedAt: now,
    };
    await users.insertUser(record);
    return toStoredUser(record);
  }

  /**
   * The user when the password is right, null otherwise. Not throttled: for sign-ins, use
   * {@link UserStore.login}.
   *
   * An unknown username still costs one scrypt, at the cost most recently checked users' hashes
   * have (unknown-user-hashes.ts), so response time does not reveal which usernames exist. A right
   * password whose hash is below the configured cost (`passwordHashCost`: any of N, r, p lower)
   * has its hash replaced by one at that cost before the user is returned; when that cannot be
   * stored, the failure goes to the provider's `onError` and the user is returned all the same.
   */
  async verifyPassword(username: string, password: string): Promise<OAuthUser | null> {
    if (!isStorableText(username, MAX_USERNAME_LENGTH) || !isBoundedString(password, MAX_PASSWORD_LENGTH)) return null;
    const record = await this.#users().findUserByUsername(username);
    const cost = record === null ? null : costOf(record.passwordHash);
    if (record === null || cost === null) {
      // No user, or a stored hash nothing verifies against: one check all the same.
      await verifyPassword(password, this.#unknownUsers().hash());
      return null;
    }
    this.#unknownUsers().observe(record.id, cost);
    if (!(await verifyPassword(password, record.passwordHash))) return null;
    await this.#upgradeHash(record, password);
    return { id: record.id, username: record.username };
  }

  /**
   * Sets a user's password, validated as {@link UserStore.create} validates it and hashed at the
   * configured cost, then revokes every token of the user and ends their sign-in sessions unless
   * `{ revokeTokens: false }`: a password changed because it leaked ends the sessions of whoever
   * used it, from their next request on. `idOrUser` is a user id or a user (`{ id }`); usernames
   * are not taken, so that a username that is another user's id can never address the wrong user.
   * False, changing nothing, when there is no such user. Throws `ValidationError` for an
   * unacceptable password.
   */
  async setPassword(idOrUser: string | { id: string }, newPassword: string, options: SetPasswordOptions = {}): Promise<boolean> {
    const id = typeof idOrUser === 'object' && idOrUser !== null ? idOrUser.id : idOrUser;
    if (typeof id !== 'string') throw new ValidationError('user', 'must be a user id or a user');
    assertNewPassword(newPassword);
    if (options.revokeTokens !== undefined && typeof options.revokeTokens !== 'boolean') {
      throw new ValidationError('revokeTokens', 'must be a boolean');
    }
    const users = this.#users();
    if (!isUserId(id)) return false;
    const passwordHash = await hashPassword(newPassword, this.credentials.settings.passwordCost);
    const now = this.credentials.now();
    if (!(await users.updateUserPassword(id, passwordHash, now))) return false;
    // After the change: revoking first would leave a moment in which the old password still signs
    // in, and the session it opens would survive.
    if (options.revokeTokens !== false) {
      await this.credentials.storage.runtime.revokeTokens({ userId: id }, now);
      // Whoever signed in with the old password keeps no browser session either (OIDC Core §3.1.2.3).
      await this.credentials.storage.sessions?.deleteUserSessions(id);
    }
    return true;
  }

  /** The user with this id, or null. */
  async get(id: string): Promise<StoredUser | null> {
    if (!isUserId(id)) return null;
    const record = await this.#users().findUserById(id);
    return record ? toStoredUser(record) : null;
  }

  /**
   * The user with exactly this username (case and spaces count), or null. Not throttled and
   * without a password check: for management, not for sign-ins.
   */
  async findByUsername(username: string): Promise<StoredUser | null> {
    if (!isStorableText(username, MAX_USERNAME_LENGTH)) return null;
    const record = await this.#users().findUserByUsername(username);
    return record ? toStoredUser(record) : null;
  }

  /** Every user, ordered by username, without password hashes. */
  async list(): Promise<StoredUser[]> {
    return (await this.#users().listUsers()).map(toStoredUser);
  }

  /**
   * Spends the user's authorization codes not yet exchanged, revokes their tokens, ends their
   * sign-in sessions and deletes their consent grants (OpenID Connect: a session or a remembered
   * consent must not outlive its user, nor pass to a later user given the same id), then deletes
   * the user. False when there was none.
   */
  async delete(id: string): Promise<boolean> {
    if (!isUserId(id)) return false;
    const users = this.#users();
    const now = this.credentials.now();
    const { storage } = this.credentials;
    // Codes before tokens: a pending code exchanged meanwhile would mint tokens the revocation missed.
    await storage.consentGrants?.consumeAuthorizationCodes(id, undefined, now);
    await storage.runtime.revokeTokens({ userId: id }, now);
    // Through the storage's ports, not `credentials.sessions`: those are off without the openid
    // option (the CLI's provider has none), and the rows must go all the same.
    await storage.sessions?.deleteUserSessions(id);
    await storage.consentGrants?.deleteConsentGrants({ userId: id });
    return users.deleteUser(id);
  }

  /** The user-store port, or a clear error when the storage has none. */
  #users(): OAuthUserStorage {
    const users = this.credentials.storage.users;
    if (users === null) {
      throw new TypeError(
        'this storage has no user store (OAuthUserStorage): keep users in your application and pass its getUser and login to provider.userModel()',
      );
    }
    return users;
  }

  #unknownUsers(): UnknownUserHashes {
    this.#unknownUserHashes ??= new UnknownUserHashes(this.credentials.settings.passwordCost);
    return this.#unknownUserHashes;
  }

  /**
   * Replaces a hash below the configured cost by one at it, at the one moment the password is
   * known to be right. Compare-and-set: a password changed since the check stays as it was set.
   * Never throws: the sign-in stands, the failure is reported, and the next sign-in tries again.
   */
  async #upgradeHash(record: UserRecord, password: string): Promise<void> {
    const cost = this.credentials.settings.passwordCost;
    if (!needsRehash(record.passwordHash, cost)) return;
    try {
      const upgraded = await hashPassword(password, cost);
      await this.#users().updateUserPassword(record.id, upgraded, this.credentials.now(), record.passwordHash);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const failure = new Error(`the password hash of user "${record.id}" was not upgraded to the configured cost: ${reason}`, { cause: error });
      try {
        this.credentials.settings.report(failure);
      } catch {
        // A reporter that throws must not undo a sign-in that succeeded.
      }
    }
  }
}
