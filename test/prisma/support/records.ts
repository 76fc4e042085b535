/**
 * Storage-port records for the Prisma tests: valid by default, each with fresh random ids and
 * digests so that tests never collide with each other.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AuthorizationCodeRecord, ClientRecord, ConsentGrantRecord, TokenRecord, UserRecord } from '../../../src/core/storage/records.js';

/** A SHA-256 hex digest of fresh random bytes, as the core stores credentials. */
export function randomDigest(): string {
  return createHash('sha256').update(randomBytes(32)).digest('hex');
}

/** A fixed instant with milliseconds, so that lost precision shows. */
export const T0 = new Date('2031-05-06T07:08:09.123Z');

export function later(base: Date, seconds: number): Date {
  return new Date(base.getTime() + seconds * 1000);
}

export function aClient(overrides: Partial<ClientRecord> = {}): ClientRecord {
  return {
    id: `client-${randomUUID()}`,
    name: 'Test client',
    secretHash: randomDigest(),
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: ['https://app.example/callback'],
    scopes: [],
    accessTokenLifetime: null,
    refreshTokenLifetime: null,
    authorizationCodeLifetime: null,
    requirePkce: true,
    allowPlainPkce: false,
    defaultScopes: [],
    allowIntrospection: false,
    postLogoutRedirectUris: [],
    idTokenSignedResponseAlg: null,
    subjectType: 'public',
    sectorIdentifier: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function aToken(clientId: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: randomUUID(),
    accessTokenHash: randomDigest(),
    accessTokenExpiresAt: later(T0, 3600),
    refreshTokenHash: randomDigest(),
    refreshTokenExpiresAt: later(T0, 86400),
    scope: null,
    audience: null,
    clientId,
    userId: null,
    familyId: randomUUID(),
    authorizationCodeId: null,
    revokedAt: null,
    authTime: null,
    acr: null,
    amr: null,
    expiresAt: later(T0, 86400),
    createdAt: T0,
    ...overrides,
  };
}

export function aCode(clientId: string, userId: string, overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    id: randomUUID(),
    codeHash: randomDigest(),
    clientId,
    userId,
    redirectUri: 'https://app.example/callback',
    scope: null,
    audience: null,
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    nonce: null,
    authTime: null,
    acr: null,
    amr: null,
    expiresAt: later(T0, 300),
    consumedAt: null,
    createdAt: T0,
    ...overrides,
  };
}

export function aConsentGrant(clientId: string, overrides: Partial<ConsentGrantRecord> = {}): ConsentGrantRecord {
  return {
    userId: `user-${randomUUID()}`,
    clientId,
    scope: 'openid profile',
    audience: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function aUser(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: randomUUID(),
    username: `user-${randomUUID()}`,
    passwordHash: 'scrypt$32768$8$1$c2FsdA$aGFzaA',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}
