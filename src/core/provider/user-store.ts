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
import { TooManyFailedAttemptsError } from '../runtime/failed-attempt-limiter.js';
import { hashPassword, verifyPassword } from './password-hashing.js';
import type { Credentials } from './credentials.js';
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

function toStoredUser(record: UserRecord): StoredUser {
  return { id: record.id, username: record.username, createdAt: record.createdAt, updatedAt: record.updatedAt };
}

/**
 * The default user store on the `oauth_users` table (`provider.users`). Applications with their
 * own users ignore it and pass their own interactors to `provider.userModel()`.
 */
export class UserStore {
  private dummyHash: Promise<string> | undefined;

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
   * Ready-made {@link LoginOAuthUser} checking the stored password, under the provider's
   * per-username throttle: while a username is throttled it answers null without checking (a
   * login page cannot tell a throttled sign-in from a wrong password, and neither can a guesser).
   * Passed to `userModel()`, the password grant answers 429 for a throttled username instead.
   */
  readonly login: LoginOAuthUser = async (username, password) => {
    try {
      return await this.credentials.throttledLogin(username, () => this.verifyPassword(username, password));
    } catch (error) {
      if (error instanceof TooManyFailedAttemptsError) return null;
      throw error;
    }
  };

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
    if (!isBoundedString(input.password, MAX_PASSWORD_LENGTH)) {
      throw new ValidationError('password', `must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters`);
    }
    if (codePointLength(input.password) < MIN_PASSWORD_LENGTH) {
      throw new ValidationError('password', `must be at least ${MIN_PASSWORD_LENGTH} characters long`);
    }
    if (input.id !== undefined && !isUserId(input.id)) {
      throw new ValidationError('id', `must be 1–${MAX_USER_ID_LENGTH} printable characters`);
    }
    const now = this.credentials.now();
    const record: UserRecord = {
      id: input.id ?? randomUUID(),
      username: input.username,
      passwordHash: await hashPassword(input.password, this.credentials.settings.passwordCost),
      createdAt: now,
      updatedAt: now,
    };
    await this.#users().insertUser(record);
    return toStoredUser(record);
  }

  /**
   * The user when the password is right, null otherwise. An unknown username still costs one
   * scrypt (against a dummy hash), so response time does not reveal which usernames exist.
   * Not throttled: for sign-ins, use {@link UserStore.login}.
   */
  async verifyPassword(username: string, password: string): Promise<OAuthUser | null> {
    if (!isStorableText(username, MAX_USERNAME_LENGTH) || !isBoundedString(password, MAX_PASSWORD_LENGTH)) return null;
    const record = await this.#users().findUserByUsername(username);
    const matches = await verifyPassword(password, record?.passwordHash ?? (await this.dummy()));
    return record && matches ? { id: record.id, username: record.username } : null;
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

  /** Revokes the user's tokens, then deletes the user. False when there was none. */
  async delete(id: string): Promise<boolean> {
    if (!isUserId(id)) return false;
    const now = this.credentials.now();
    await this.credentials.storage.runtime.revokeTokens({ userId: id }, now);
    return this.#users().deleteUser(id);
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

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomUUID(), this.credentials.settings.passwordCost);
    return this.dummyHash;
  }
}
