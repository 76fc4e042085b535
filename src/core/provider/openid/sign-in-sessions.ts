import { randomUUID } from 'node:crypto';
import type { Authentication } from '../../storage/records.js';
import type { OAuthSessionStorage } from '../../storage/session-port.js';
import { isSha256Hex } from '../../storage/storage-keys.js';
import { addSeconds } from '../lifetimes.js';
import { MAX_CREDENTIAL_LENGTH } from '../input-limits.js';
import { digestCredential, generateCredential } from '../opaque-credentials.js';

/** A browser's sign-in session, as the authorization endpoint sees it (OIDC Core §3.1.2.3). */
export interface SignInSession {
  /** Random, not secret: names the session in logs and the management API. */
  id: string;
  userId: string;
  /** When the user authenticated (OIDC Core §2 `auth_time`). */
  authTime: Date;
  /** Authentication context class reference, when the application named one. */
  acr: string | null;
  /** Authentication method references (RFC 8176), e.g. `['pwd']`. */
  amr: string[];
  expiresAt: Date;
}

/** How a user authenticated, as the sign-in that begins a session knows it. */
export interface SignInAuthentication {
  amr?: readonly string[];
  acr?: string | null;
}

/**
 * The sign-in sessions of browsers: begun when a user signs in on the authorization page, found
 * from the secret in the browser's cookie, ended at logout. The secret is 256 random bits and
 * exists in clear only in the cookie; the storage holds its SHA-256 digest, so a leaked table
 * signs nobody in (docs/adr/0002). Without the session port, or with `sessionLifetime: 0`, there
 * are none: `begin` returns null and `find` finds nothing.
 */
export class SignInSessions {
  constructor(
    private readonly storage: OAuthSessionStorage | null,
    /** Seconds; 0: sessions are off. */
    private readonly lifetime: number,
    private readonly now: () => Date,
  ) {}

  /** Whether sessions are kept at all. */
  get enabled(): boolean {
    return this.storage !== null && this.lifetime > 0;
  }

  /** Begins a session for a user who has just authenticated; the secret goes into the cookie. Null when sessions are off. */
  async begin(userId: string, authentication: SignInAuthentication = {}): Promise<{ secret: string; session: SignInSession } | null> {
    if (!this.enabled || this.storage === null) return null;
    const now = this.now();
    const secret = generateCredential();
    // max_age is judged against the whole-second auth_time the ID token will name.
    const stored = storedAuthentication({ authTime: now, ...authentication });
    const record = {
      id: randomUUID(),
      secretHash: digestCredential(secret),
      userId,
      authTime: stored.authTime!,
      acr: stored.acr,
      amr: stored.amr,
      expiresAt: addSeconds(now, this.lifetime),
      createdAt: now,
    };
    await this.storage.insertSession(record);
    const amr = [...(authentication.amr ?? [])];
    return { secret, session: { id: record.id, userId, authTime: record.authTime, acr: record.acr, amr, expiresAt: record.expiresAt } };
  }

  /** The live session whose cookie holds `secret`, or null (none, malformed, unknown, expired). */
  async find(secret: unknown): Promise<SignInSession | null> {
    if (!this.enabled || this.storage === null) return null;
    if (typeof secret !== 'string' || secret === '' || secret.length > MAX_CREDENTIAL_LENGTH) return null;
    const digest = digestCredential(secret);
    if (!isSha256Hex(digest)) return null;
    const record = await this.storage.findSession(digest);
    if (record === null || record.expiresAt <= this.now()) return null;
    return {
      id: record.id,
      userId: record.userId,
      authTime: record.authTime,
      acr: record.acr,
      amr: record.amr === null ? [] : record.amr.split(' '),
      expiresAt: record.expiresAt,
    };
  }

  /** Ends one session (logout); false when it was gone already. */
  async end(id: string): Promise<boolean> {
    if (this.storage === null) return false;
    return this.storage.deleteSession(id);
  }

  /** Ends every session of a user (deleted, or signed out everywhere); how many ended. */
  async endAllOf(userId: string): Promise<number> {
    if (this.storage === null) return 0;
    return this.storage.deleteUserSessions(userId);
  }
}

/**
 * An authentication as codes, tokens and sessions keep it: `auth_time` in whole seconds (a
 * NumericDate, OIDC Core §2), `acr` or null, `amr` space-delimited or null.
 */
export function storedAuthentication(authentication: { authTime: Date; acr?: string | null; amr?: readonly string[] }): Authentication {
  const amr = [...(authentication.amr ?? [])];
  return {
    authTime: new Date(Math.floor(authentication.authTime.getTime() / 1000) * 1000),
    acr: authentication.acr ?? null,
    amr: amr.length > 0 ? amr.join(' ') : null,
  };
}
