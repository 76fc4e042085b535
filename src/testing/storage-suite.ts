/**
 * The storage-port suite: every guarantee the storage ports document (docs/contract.md), checked
 * directly against a real database. Keys arrive checked by the core, so the suite sends none that
 * no row could hold. Each storage provider runs the very same suite from its own test file:
 *
 * ```ts
 * import test from 'ava';
 * runStorageSuite(test, { name: 'sql/pglite', setup: async () => ({ storage, close }) });
 * ```
 *
 * Tests share one database per run and never depend on its being empty: every test creates its own
 * rows under fresh ids. The purge tests work in the 1970s, a time no other test writes, and run
 * serially; so do the round-trip counts, so that no other test's statements are counted. The
 * signing-key methods act on every key at once (retire, purge, list), so their tests run serially
 * too, each in an era of its own, later tests in earlier eras than the keys earlier ones leave.
 * The session purge acts on every session: it runs serially too, in the 1950s.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  AuthorizationCodeRecord,
  ClientPatch,
  ClientRecord,
  ClientRegistrationRecord,
  ConsentGrantRecord,
  ResourceRecord,
  SessionRecord,
  SigningKeyRecord,
  TokenRecord,
  TokenSelector,
  UserRecord,
} from '../core/index.js';
import {
  DuplicateError,
  MAX_ACCESS_TOKEN_BATCH,
  MAX_REFRESH_TOKEN_BATCH,
  MAX_TOKEN_INSERT_BATCH,
  UnknownScopeError,
  type OAuthAttemptCounterStorage,
  type OAuthClientRegistrationStorage,
  type OAuthConsentGrantStorage,
  type OAuthResourceStorage,
  type OAuthSessionStorage,
  type OAuthSigningKeyStorage,
  type OAuthStorage,
  type OAuthUserStorage,
} from '../core/index.js';

type OAuthStorageWithUsers = OAuthStorage & OAuthUserStorage;
type OAuthStorageWithAttemptCounters = OAuthStorage & OAuthAttemptCounterStorage;
type OAuthStorageWithResources = OAuthStorage & OAuthResourceStorage;
type OAuthStorageWithClientRegistrations = OAuthStorage & OAuthClientRegistrationStorage;
type OAuthStorageWithSigningKeys = OAuthStorage & OAuthSigningKeyStorage;
type OAuthStorageWithSessions = OAuthStorage & OAuthSessionStorage;
type OAuthStorageWithConsentGrants = OAuthStorage & OAuthConsentGrantStorage;

/** The assertions the suite uses: a structural subset of ava's `ExecutionContext`. */
export interface StorageSuiteAssertions {
  is(actual: unknown, expected: unknown, message?: string): unknown;
  deepEqual(actual: unknown, expected: unknown, message?: string): unknown;
  true(actual: unknown, message?: string): unknown;
  false(actual: unknown, message?: string): unknown;
  log(...values: unknown[]): void;
}

type Implementation = (t: StorageSuiteAssertions) => Promise<void>;

/** The test registrar the suite needs: a structural subset of ava's `test` (pass ava's `test` itself). */
export interface StorageSuiteTest {
  (title: string, implementation: Implementation): void;
  skip(title: string, implementation: Implementation): void;
  serial: { (title: string, implementation: Implementation): void; skip(title: string, implementation: Implementation): void };
  before(implementation: () => Promise<void>): void;
  after: { always(implementation: () => Promise<void>): void };
}

/** What `setup` hands the suite: the storage under test on a migrated database. */
export interface StorageSuiteSubject {
  storage: OAuthStorage;
  /**
   * Statements sent to the database so far, for the one-round-trip guarantees: a lookup, an
   * insert of tokens or a code, a claim or consume is exactly one statement. Required unless the
   * suite runs with `countsQueries: false`.
   */
  countQueries?: () => number;
  /** Releases the database (called once, after every test). */
  close(): Promise<void>;
}

export interface StorageSuiteOptions {
  /** Prefixes every test title, e.g. `sql/mariadb`. */
  name: string;
  /** Called once before the tests. */
  setup(): Promise<StorageSuiteSubject>;
  /**
   * False for a storage without the optional user-store port: its tests are registered as skipped,
   * with the reason in their titles. Default true.
   */
  userStore?: boolean;
  /**
   * False for a storage without the optional attempt-counter port: its tests are registered as
   * skipped, with the reason in their titles. Default true.
   */
  attemptCounters?: boolean;
  /**
   * False for a storage without the optional resource port (RFC 8707 resources): its tests, and
   * those of tokens and codes with an audience (the core never asks such a storage to keep one),
   * are registered as skipped, with the reason in their titles. Default true.
   */
  resources?: boolean;
  /**
   * False for a storage without the optional client-registration port (self-registered clients,
   * RFC 7591): its tests are registered as skipped, with the reason in their titles. Default true.
   */
  clientRegistrations?: boolean;
  /**
   * False for a storage without the optional signing-key port (the keys of RFC 9068 JWT access
   * tokens): its tests are registered as skipped, with the reason in their titles. Default true.
   */
  signingKeys?: boolean;
  /**
   * False for a storage without the optional session port (OpenID Connect sign-in sessions): its
   * tests are registered as skipped, with the reason in their titles. Default true.
   */
  sessions?: boolean;
  /**
   * False for a storage without the optional consent-grant port (OpenID Connect consent kept per
   * user and client): its tests are registered as skipped, with the reason in their titles. Default true.
   */
  consentGrants?: boolean;
  /**
   * False when the storage cannot count the statements it sends (the round-trip tests are then
   * registered as skipped, with the reason in their titles). Default true: `setup` must return
   * `countQueries`.
   */
  countsQueries?: boolean;
}

// ── Fixtures ───────────────────────────────────────────────────────────────────────────────────

const run = randomBytes(3).toString('hex');
let serial = 0;
/** A fresh key (client id, username, …) for this run: lower-case ASCII, so it sorts alike everywhere. */
const freshId = (label: string) => `${label}-${run}-${String(++serial).padStart(4, '0')}`;
const digest = () => randomBytes(32).toString('hex');
const at = (iso: string) => new Date(iso);

function clientFixture(overrides: Partial<ClientRecord> = {}): ClientRecord {
  return {
    id: freshId('client'),
    name: 'Example client',
    secretHash: digest(),
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: ['https://app.example/callback'],
    scopes: [],
    accessTokenLifetime: 3600,
    refreshTokenLifetime: null,
    authorizationCodeLifetime: 300,
    requirePkce: true,
    allowPlainPkce: false,
    defaultScopes: [],
    allowIntrospection: false,
    postLogoutRedirectUris: [],
    idTokenSignedResponseAlg: null,
    subjectType: 'public',
    sectorIdentifier: null,
    createdAt: at('2030-01-02T03:04:05.678Z'),
    updatedAt: at('2030-01-02T03:04:05.678Z'),
    ...overrides,
  };
}

function tokenFixture(clientId: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: randomUUID(),
    accessTokenHash: digest(),
    accessTokenExpiresAt: at('2030-06-01T10:00:00.001Z'),
    refreshTokenHash: digest(),
    refreshTokenExpiresAt: at('2030-06-15T10:00:00.002Z'),
    scope: 'read write',
    audience: null,
    clientId,
    userId: null,
    familyId: randomUUID(),
    authorizationCodeId: null,
    revokedAt: null,
    authTime: null,
    acr: null,
    amr: null,
    expiresAt: at('2030-06-15T10:00:00.002Z'),
    createdAt: at('2030-06-01T09:00:00.003Z'),
    ...overrides,
  };
}

function codeFixture(clientId: string, overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    id: randomUUID(),
    codeHash: digest(),
    clientId,
    userId: freshId('user'),
    redirectUri: 'https://app.example/callback',
    scope: 'read',
    audience: null,
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    nonce: null,
    authTime: null,
    acr: null,
    amr: null,
    expiresAt: at('2030-06-01T10:05:00.004Z'),
    consumedAt: null,
    createdAt: at('2030-06-01T10:00:00.005Z'),
    ...overrides,
  };
}

function userFixture(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: freshId('user'),
    username: freshId('name'),
    passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
    createdAt: at('2030-01-01T00:00:00.006Z'),
    updatedAt: at('2030-01-01T00:00:00.007Z'),
    ...overrides,
  };
}

function resourceFixture(overrides: Partial<ResourceRecord> = {}): ResourceRecord {
  return {
    id: `https://${freshId('api')}.example/mcp`,
    name: 'Example API',
    scopes: ['read', 'write'],
    accessTokenLifetime: 900,
    tokenFormat: 'jwt',
    createdAt: at('2030-02-03T04:05:06.789Z'),
    updatedAt: at('2030-02-03T04:05:06.789Z'),
    ...overrides,
  };
}

function registrationFixture(clientId: string, overrides: Partial<ClientRegistrationRecord> = {}): ClientRegistrationRecord {
  return {
    clientId,
    kind: 'dynamic',
    accessTokenHash: digest(),
    metadata: JSON.stringify({ client_name: 'Example client', redirect_uris: ['https://app.example/callback'] }),
    lastUsedAt: null,
    createdAt: at('2030-03-04T05:06:07.890Z'),
    updatedAt: at('2030-03-04T05:06:07.890Z'),
    ...overrides,
  };
}

/** A signing key as the core stores one; ids are lower-case ASCII, so that they sort alike everywhere. */
function signingKeyFixture(overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  const coordinate = () => randomBytes(32).toString('base64url');
  return {
    id: freshId('key'),
    alg: 'ES256',
    publicJwk: JSON.stringify({ kty: 'EC', crv: 'P-256', x: coordinate(), y: coordinate(), kid: 'k', alg: 'ES256', use: 'sig' }),
    // The shape of a compact JWE with direct encryption: header, empty key, IV, ciphertext, tag.
    privateKeyEncrypted: ['eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0', '', coordinate(), randomBytes(180).toString('base64url'), coordinate()].join('.'),
    activatesAt: at('2030-03-01T00:00:00.001Z'),
    retiresAt: null,
    expiresAt: null,
    createdAt: at('2030-02-28T23:59:59.999Z'),
    ...overrides,
  };
}

/** A sign-in session as the core stores one: the digest of a fresh secret. */
function sessionFixture(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: randomUUID(),
    secretHash: digest(),
    userId: freshId('user'),
    authTime: at('2030-04-01T08:00:00.123Z'),
    acr: null,
    amr: 'pwd',
    expiresAt: at('2030-04-15T08:00:00.456Z'),
    createdAt: at('2030-04-01T08:00:00.124Z'),
    ...overrides,
  };
}

function consentGrantFixture(clientId: string, overrides: Partial<ConsentGrantRecord> = {}): ConsentGrantRecord {
  return {
    userId: freshId('user'),
    clientId,
    scope: 'openid profile email',
    audience: null,
    createdAt: at('2030-04-02T09:10:11.012Z'),
    updatedAt: at('2030-04-02T09:10:11.012Z'),
    ...overrides,
  };
}

/** The client as the port promises it back: grants and scopes are sets, so compared sorted. */
function comparable(client: ClientRecord | null | undefined) {
  if (!client) return client;
  return { ...client, grants: [...client.grants].sort(), scopes: [...client.scopes].sort() };
}

/** The error `promise` rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

// ── The suite ──────────────────────────────────────────────────────────────────────────────────

/** Registers every storage-port test on `test` (ava's `test`), against the storage `setup` provides. */
export function runStorageSuite(test: StorageSuiteTest, options: StorageSuiteOptions): void {
  let subject: StorageSuiteSubject | undefined;
  const storage = (): OAuthStorage => {
    if (!subject) throw new Error('storage suite setup did not complete');
    return subject.storage;
  };
  /** The storage with its user store, for the user-store tests (registered only when it has one). */
  const users = (): OAuthStorageWithUsers => storage() as OAuthStorageWithUsers;
  /** One issuance stored, as the core stores one: a batch of one. */
  const insertToken = (token: TokenRecord) => storage().insertTokens([token]);
  /** One access token looked up, as the core looks one up: a batch of one. */
  const findAccessToken = async (hash: string) => (await storage().findAccessTokens([hash]))[0] ?? null;
  const findRefreshToken = async (hash: string) => (await storage().findRefreshTokens([hash]))[0] ?? null;
  const title = (rule: string) => `${options.name}: ${rule}`;
  /** A user-store test: registered as a declared skip when the storage has no user store. */
  const userStoreTest = (rule: string, implementation: Implementation) =>
    options.userStore === false ? test.skip(title(`${rule} (no user store)`), implementation) : test(title(rule), implementation);

  /** The storage with its attempt counters, for their tests (registered only when it has them). */
  const counters = (): OAuthStorageWithAttemptCounters => storage() as OAuthStorageWithAttemptCounters;
  type Declare = Pick<StorageSuiteTest, 'skip'> & ((title: string, implementation: Implementation) => void);
  /** A test of an optional port: registered as a declared skip, saying `missing`, when the options say the storage lacks it. */
  const optionalPortTest = (present: boolean | undefined, missing: string, declare: Declare) => (rule: string, implementation: Implementation) =>
    present === false ? declare.skip(title(`${rule} (${missing})`), implementation) : declare(title(rule), implementation);
  const attemptCounterTest = optionalPortTest(options.attemptCounters, 'no attempt counters', test);
  const serialAttemptCounterTest = optionalPortTest(options.attemptCounters, 'no attempt counters', test.serial);

  /** The storage with its resource port, for its tests (registered only when it has one). */
  const resources = (): OAuthStorageWithResources => storage() as OAuthStorageWithResources;
  const resourceTest = optionalPortTest(options.resources, 'no resource port', test);

  /** The storage with its client-registration port, for its tests (registered only when it has one). */
  const registrations = (): OAuthStorageWithClientRegistrations => storage() as OAuthStorageWithClientRegistrations;
  const registrationTest = optionalPortTest(options.clientRegistrations, 'no client-registration port', test);
  const serialRegistrationTest = optionalPortTest(options.clientRegistrations, 'no client-registration port', test.serial);

  /** The storage with its signing-key port, for its tests (registered only when it has one). */
  const signingKeys = (): OAuthStorageWithSigningKeys => storage() as OAuthStorageWithSigningKeys;
  const serialSigningKeyTest = optionalPortTest(options.signingKeys, 'no signing-key port', test.serial);

  /** The storage with its session port, for its tests (registered only when it has one). */
  const sessions = (): OAuthStorageWithSessions => storage() as OAuthStorageWithSessions;
  const sessionTest = optionalPortTest(options.sessions, 'no session port', test);
  const serialSessionTest = optionalPortTest(options.sessions, 'no session port', test.serial);

  /** The storage with its consent-grant port, for its tests (registered only when it has one). */
  const consentGrants = (): OAuthStorageWithConsentGrants => storage() as OAuthStorageWithConsentGrants;
  const consentGrantTest = optionalPortTest(options.consentGrants, 'no consent-grant port', test);
  /** A consent-grant test with an audience: a storage without the resource port is never asked to keep one. */
  const consentGrantAudienceTest = (rule: string, implementation: Implementation) =>
    options.consentGrants === false ? consentGrantTest(rule, implementation) : resourceTest(rule, implementation);

  test.before(async () => {
    subject = await options.setup();
  });
  test.after.always(async () => {
    await subject?.close();
  });

  /** A client registered with its scopes in the catalogue. */
  async function registeredClient(overrides: Partial<ClientRecord> = {}): Promise<ClientRecord> {
    const client = clientFixture(overrides);
    if (client.scopes.length > 0) {
      await storage().upsertScopes(client.scopes.map((name) => ({ name, description: null })), at('2030-01-01T00:00:00Z'));
    }
    await storage().insertClient(client);
    return client;
  }

  // ── Clients ──────────────────────────────────────────────────────────────────────────────────

  test(title('findClient returns a registered client with its grants, redirect URIs and scopes'), async (t) => {
    const scopes = [freshId('scope'), freshId('scope')];
    const client = await registeredClient({
      grants: ['refresh_token', 'authorization_code', 'password'],
      redirectUris: ['https://app.example/a', 'https://app.example/b'],
      scopes,
      refreshTokenLifetime: 86400,
      allowPlainPkce: true,
      secretHash: null,
    });
    t.deepEqual(comparable(await storage().findClient(client.id)), comparable(client));
  });

  test(title('findClient returns redirect URIs in registration order, not sorted'), async (t) => {
    const redirectUris = ['https://z.example/cb', 'https://a.example/cb', 'https://m.example/cb', 'http://127.0.0.1:8080/'];
    const client = await registeredClient({ redirectUris });
    t.deepEqual((await storage().findClient(client.id))?.redirectUris, redirectUris);
  });

  test(title('findClient returns null for an unknown id'), async (t) => {
    t.is(await storage().findClient(freshId('missing')), null);
  });

  test(title('findClient matches the id exactly: case and trailing spaces matter'), async (t) => {
    const client = await registeredClient({ id: freshId('Client') });
    t.is(await storage().findClient(client.id.toLowerCase()), null);
    t.is(await storage().findClient(`${client.id} `), null);
    t.is((await storage().findClient(client.id))?.id, client.id);
  });

  test(title('insertClient rejects a taken id with DuplicateError and keeps the existing client'), async (t) => {
    const client = await registeredClient();
    const error = await rejection(storage().insertClient({ ...clientFixture({ id: client.id }), name: 'Impostor' }));
    t.true(error instanceof DuplicateError);
    t.is((error as DuplicateError).entity, 'client');
    t.deepEqual(comparable(await storage().findClient(client.id)), comparable(client));
  });

  test(title('insertClient rejects unknown scopes with UnknownScopeError naming them, and writes nothing'), async (t) => {
    const known = freshId('scope');
    await storage().upsertScopes([{ name: known, description: null }], at('2030-01-01T00:00:00Z'));
    const unknown = freshId('scope');
    const client = clientFixture({ scopes: [known, unknown] });
    const error = await rejection(storage().insertClient(client));
    t.true(error instanceof UnknownScopeError);
    t.deepEqual((error as UnknownScopeError).scopes, [unknown]);
    t.is(await storage().findClient(client.id), null);
  });

  test(title('insertClient accepts a client without grants, redirect URIs or scopes'), async (t) => {
    const client = await registeredClient({ grants: [], redirectUris: [], scopes: [], secretHash: null });
    t.deepEqual(await storage().findClient(client.id), client);
  });

  test(title('updateClient changes only the given fields, replaces given lists whole and sets updatedAt'), async (t) => {
    const [oldScope, newScope] = [freshId('scope'), freshId('scope')];
    const client = await registeredClient({ scopes: [oldScope], redirectUris: ['https://old.example/1', 'https://old.example/2'] });
    await storage().upsertScopes([{ name: newScope, description: null }], at('2030-01-01T00:00:00Z'));
    const now = at('2031-03-04T05:06:07.089Z');
    const updated = await storage().updateClient(
      client.id,
      { name: 'Renamed', redirectUris: ['https://new.example/only'], scopes: [newScope], accessTokenLifetime: null },
      now,
    );
    const expected = {
      ...client,
      name: 'Renamed',
      redirectUris: ['https://new.example/only'],
      scopes: [newScope],
      accessTokenLifetime: null,
      updatedAt: now,
    };
    t.deepEqual(comparable(updated), comparable(expected));
    t.deepEqual(comparable(await storage().findClient(client.id)), comparable(expected));
  });

  test(title('updateClient with empty lists removes every grant, redirect URI and scope'), async (t) => {
    const client = await registeredClient({ scopes: [freshId('scope')] });
    const updated = await storage().updateClient(client.id, { grants: [], redirectUris: [], scopes: [] }, at('2031-01-01T00:00:00Z'));
    t.deepEqual([updated?.grants, updated?.redirectUris, updated?.scopes], [[], [], []]);
  });

  test(title('updateClient returns null for an unknown id'), async (t) => {
    t.is(await storage().updateClient(freshId('missing'), { name: 'x' }, at('2031-01-01T00:00:00Z')), null);
  });

  /** The client as each client read returns it: findClient, and its entry in listClients. */
  const readsOf = async (id: string) => [
    await storage().findClient(id),
    (await storage().listClients()).find((client) => client.id === id) ?? null,
  ];

  test(title('default scopes (in registration order) and allowIntrospection round-trip through insertClient and every client read'), async (t) => {
    const scopes = [freshId('scope'), freshId('scope'), freshId('scope')];
    const client = await registeredClient({ scopes, defaultScopes: [scopes[2]!, scopes[0]!], allowIntrospection: true });
    const plain = await registeredClient();
    for (const read of await readsOf(client.id)) {
      t.deepEqual([read?.defaultScopes, read?.allowIntrospection], [[scopes[2], scopes[0]], true]);
    }
    for (const read of await readsOf(plain.id)) t.deepEqual([read?.defaultScopes, read?.allowIntrospection], [[], false]);
  });

  test(title('updateClient sets, replaces and clears default scopes and allowIntrospection, and leaves them alone when not given'), async (t) => {
    const scopes = [freshId('scope'), freshId('scope')];
    const client = await registeredClient({ scopes });
    const steps: Array<{ patch: ClientPatch; expected: [string[], boolean] }> = [
      { patch: { defaultScopes: [scopes[1]!, scopes[0]!], allowIntrospection: true }, expected: [[scopes[1]!, scopes[0]!], true] },
      { patch: { name: 'Renamed' }, expected: [[scopes[1]!, scopes[0]!], true] },
      { patch: { defaultScopes: [scopes[0]!] }, expected: [[scopes[0]!], true] },
      { patch: { defaultScopes: [], allowIntrospection: false }, expected: [[], false] },
    ];
    for (const { patch, expected } of steps) {
      const updated = await storage().updateClient(client.id, patch, at('2031-01-01T00:00:00Z'));
      t.deepEqual([updated?.defaultScopes, updated?.allowIntrospection], expected, JSON.stringify(patch));
      for (const read of await readsOf(client.id)) {
        t.deepEqual([read?.defaultScopes, read?.allowIntrospection], expected, JSON.stringify(patch));
      }
    }
  });

  /** A client's OpenID settings, as one comparable list. */
  const openIdSettings = (client: ClientRecord | null | undefined) =>
    client && [client.postLogoutRedirectUris, client.idTokenSignedResponseAlg, client.subjectType, client.sectorIdentifier];

  test(title('OIDC Core §8 — a client\'s OpenID settings round-trip through insertClient and every client read: post-logout redirect URIs in order, the ID-token algorithm, the subject type and its sector'), async (t) => {
    const postLogoutRedirectUris = ['https://z.example/bye', 'https://a.example/signed-out?from=op', 'http://127.0.0.1:8080/'];
    const client = await registeredClient({ postLogoutRedirectUris, idTokenSignedResponseAlg: 'EdDSA', subjectType: 'pairwise', sectorIdentifier: 'apps.example.com' });
    const plain = await registeredClient();
    for (const read of await readsOf(client.id)) {
      t.deepEqual(openIdSettings(read), [postLogoutRedirectUris, 'EdDSA', 'pairwise', 'apps.example.com']);
    }
    // None registered: an empty list, not a list of one empty URI; nulls stay null.
    for (const read of await readsOf(plain.id)) t.deepEqual(openIdSettings(read), [[], null, 'public', null]);
  });

  test(title('updateClient sets, replaces and clears the OpenID settings, and leaves them alone when not given'), async (t) => {
    const client = await registeredClient();
    const steps: Array<{ patch: ClientPatch; expected: unknown[] }> = [
      {
        patch: { postLogoutRedirectUris: ['https://b.example/out', 'https://a.example/out'], idTokenSignedResponseAlg: 'RS256', subjectType: 'pairwise', sectorIdentifier: 'b.example' },
        expected: [['https://b.example/out', 'https://a.example/out'], 'RS256', 'pairwise', 'b.example'],
      },
      { patch: { name: 'Renamed', allowIntrospection: true }, expected: [['https://b.example/out', 'https://a.example/out'], 'RS256', 'pairwise', 'b.example'] },
      { patch: { postLogoutRedirectUris: ['https://c.example/out'] }, expected: [['https://c.example/out'], 'RS256', 'pairwise', 'b.example'] },
      { patch: { postLogoutRedirectUris: [], idTokenSignedResponseAlg: null, subjectType: 'public', sectorIdentifier: null }, expected: [[], null, 'public', null] },
    ];
    for (const { patch, expected } of steps) {
      const updated = await storage().updateClient(client.id, patch, at('2031-01-01T00:00:00Z'));
      t.deepEqual(openIdSettings(updated), expected, JSON.stringify(patch));
      for (const read of await readsOf(client.id)) t.deepEqual(openIdSettings(read), expected, JSON.stringify(patch));
    }
  });

  test(title('updateClient rejects unknown scopes with UnknownScopeError and changes nothing'), async (t) => {
    const client = await registeredClient({ scopes: [freshId('scope')] });
    const unknown = freshId('scope');
    const error = await rejection(
      storage().updateClient(client.id, { name: 'Renamed', scopes: [unknown] }, at('2031-01-01T00:00:00Z')),
    );
    t.true(error instanceof UnknownScopeError);
    t.deepEqual((error as UnknownScopeError).scopes, [unknown]);
    t.deepEqual(comparable(await storage().findClient(client.id)), comparable(client));
  });

  test(title('setClientSecretHash replaces or removes the secret at once, and is false for an unknown client'), async (t) => {
    const client = await registeredClient();
    const rotated = digest();
    const now = at('2031-02-03T04:05:06.007Z');
    t.true(await storage().setClientSecretHash(client.id, rotated, now));
    const afterRotation = await storage().findClient(client.id);
    t.deepEqual([afterRotation?.secretHash, afterRotation?.updatedAt], [rotated, now]);
    t.true(await storage().setClientSecretHash(client.id, null, now));
    t.is((await storage().findClient(client.id))?.secretHash, null);
    t.false(await storage().setClientSecretHash(freshId('missing'), digest(), now));
  });

  test(title('listClients returns every client with its children, ordered by id'), async (t) => {
    const prefix = freshId('list');
    const ids = [`${prefix}-c`, `${prefix}-a`, `${prefix}-b`];
    const clients = [];
    for (const id of ids) {
      clients.push(await registeredClient({ id, redirectUris: [`https://${id}.example/2`, `https://${id}.example/1`] }));
    }
    const listed = (await storage().listClients()).filter((client) => client.id.startsWith(prefix));
    const expected = [...clients].sort((a, b) => (a.id < b.id ? -1 : 1));
    t.deepEqual(listed.map(comparable), expected.map(comparable));
  });

  test(title('deleteClient removes the client with its children, tokens and codes'), async (t) => {
    const client = await registeredClient({ scopes: [freshId('scope')] });
    const token = tokenFixture(client.id);
    const code = codeFixture(client.id);
    await insertToken(token);
    await storage().insertAuthorizationCode(code);
    t.true(await storage().deleteClient(client.id));
    t.is(await storage().findClient(client.id), null);
    t.is(await findAccessToken(token.accessTokenHash), null);
    t.is(await findRefreshToken(token.refreshTokenHash!), null);
    t.is(await storage().findAuthorizationCode(code.codeHash), null);
    // A client registered again under the same id starts empty: no orphaned children came back.
    await storage().insertClient({ ...client, grants: [], redirectUris: [], scopes: [] });
    t.deepEqual(await storage().findClient(client.id), { ...client, grants: [], redirectUris: [], scopes: [] });
  });

  test(title('deleteClient is false for an unknown client'), async (t) => {
    t.false(await storage().deleteClient(freshId('missing')));
  });

  // ── Scopes ───────────────────────────────────────────────────────────────────────────────────

  test(title('upsertScopes creates scopes and later updates only their description'), async (t) => {
    const [a, b] = [freshId('scope'), freshId('scope')];
    const created = at('2030-05-05T05:05:05.005Z');
    await storage().upsertScopes([{ name: a, description: 'first' }, { name: b, description: null }], created);
    await storage().upsertScopes([{ name: a, description: 'second' }], at('2030-06-06T06:06:06.006Z'));
    const mine = (await storage().listScopes()).filter((scope) => scope.name === a || scope.name === b);
    t.deepEqual(mine, [
      { name: a, description: 'second', createdAt: created },
      { name: b, description: null, createdAt: created },
    ]);
  });

  test(title('upsertScopes keeps the last description when a name is given twice'), async (t) => {
    const name = freshId('scope');
    await storage().upsertScopes([{ name, description: 'one' }, { name, description: 'two' }], at('2030-01-01T00:00:00Z'));
    t.is((await storage().listScopes()).find((scope) => scope.name === name)?.description, 'two');
  });

  test(title('listScopes is ordered by name'), async (t) => {
    const prefix = freshId('order');
    const names = [`${prefix}-b`, `${prefix}-c`, `${prefix}-a`];
    await storage().upsertScopes(names.map((name) => ({ name, description: null })), at('2030-01-01T00:00:00Z'));
    const listed = (await storage().listScopes()).map((scope) => scope.name).filter((name) => name.startsWith(prefix));
    t.deepEqual(listed, [...names].sort());
  });

  test(title('deleteScope removes the scope from the catalogue and from every client'), async (t) => {
    const [kept, removed] = [freshId('scope'), freshId('scope')];
    const client = await registeredClient({ scopes: [kept, removed] });
    t.true(await storage().deleteScope(removed));
    t.deepEqual((await storage().findClient(client.id))?.scopes, [kept]);
    t.false((await storage().listScopes()).some((scope) => scope.name === removed));
    t.false(await storage().deleteScope(removed));
  });

  // ── Tokens ───────────────────────────────────────────────────────────────────────────────────

  userStoreTest('findAccessTokens returns the token with its client name and username', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    const client = await registeredClient({ name: 'Token client' });
    const token = tokenFixture(client.id, { userId: user.id, authorizationCodeId: randomUUID() });
    await insertToken(token);
    t.deepEqual(await findAccessToken(token.accessTokenHash), {
      ...token,
      clientName: 'Token client',
      username: user.username,
    });
  });

  test(title('findRefreshTokens returns the same lookup as findAccessTokens'), async (t) => {
    const client = await registeredClient();
    const token = tokenFixture(client.id);
    await insertToken(token);
    const byRefresh = await findRefreshToken(token.refreshTokenHash!);
    t.deepEqual(byRefresh, await findAccessToken(token.accessTokenHash));
    t.is(byRefresh?.id, token.id);
  });

  test(title('a token lookup has a null username for client_credentials and for users kept elsewhere'), async (t) => {
    const client = await registeredClient();
    const machine = tokenFixture(client.id, { userId: null, refreshTokenHash: null, refreshTokenExpiresAt: null });
    const external = tokenFixture(client.id, { userId: freshId('external-user') });
    await insertToken(machine);
    await insertToken(external);
    const found = [await findAccessToken(machine.accessTokenHash), await findAccessToken(external.accessTokenHash)];
    t.deepEqual(found, [
      { ...machine, clientName: client.name, username: null },
      { ...external, clientName: client.name, username: null },
    ]);
  });

  test(title('token lookups return revoked and expired tokens too'), async (t) => {
    const client = await registeredClient();
    const token = tokenFixture(client.id, {
      accessTokenExpiresAt: at('1999-01-01T00:00:00.000Z'),
      refreshTokenExpiresAt: at('1999-01-02T00:00:00.000Z'),
      expiresAt: at('1999-01-02T00:00:00.000Z'),
      revokedAt: at('1998-12-31T23:59:59.999Z'),
      createdAt: at('1998-12-31T00:00:00.000Z'),
    });
    await insertToken(token);
    t.deepEqual(await findAccessToken(token.accessTokenHash), { ...token, clientName: client.name, username: null });
    t.is((await findRefreshToken(token.refreshTokenHash!))?.id, token.id);
  });

  test(title('lookups by an unknown hash return null'), async (t) => {
    t.is(await findAccessToken(digest()), null);
    t.is(await findRefreshToken(digest()), null);
    t.is(await storage().findAuthorizationCode(digest()), null);
  });

  userStoreTest('findAccessTokens of several hashes returns exactly the rows each lookup alone returns, revoked and expired too', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    const client = await registeredClient();
    const tokens = [
      tokenFixture(client.id, { userId: user.id }),
      tokenFixture(client.id, { userId: null, refreshTokenHash: null, refreshTokenExpiresAt: null }),
      tokenFixture(client.id, { revokedAt: at('2030-01-01T00:00:00.000Z') }),
    ];
    for (const token of tokens) await insertToken(token);
    const unknown = digest();
    const found = await storage().findAccessTokens([...tokens.map((token) => token.accessTokenHash), unknown]);
    const expected = await Promise.all(tokens.map((token) => findAccessToken(token.accessTokenHash)));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    t.deepEqual([...found].sort(byId), [...expected].map((lookup) => lookup!).sort(byId));
  });

  test(title('findAccessTokens takes the largest batch the core sends'), async (t) => {
    const client = await registeredClient();
    const token = tokenFixture(client.id);
    await insertToken(token);
    const hashes = Array.from({ length: MAX_ACCESS_TOKEN_BATCH - 1 }, () => digest());
    const found = await storage().findAccessTokens([...hashes, token.accessTokenHash]);
    t.deepEqual(found.map((row) => row.id), [token.id]);
  });

  test(title('findRefreshTokens of several hashes returns each row the lookup alone returns, and takes the largest batch the core sends'), async (t) => {
    const client = await registeredClient();
    const tokens = [tokenFixture(client.id), tokenFixture(client.id, { revokedAt: at('2030-01-01T00:00:00.000Z') })];
    await storage().insertTokens(tokens);
    const unknown = Array.from({ length: MAX_REFRESH_TOKEN_BATCH - tokens.length }, () => digest());
    const found = await storage().findRefreshTokens([...tokens.map((token) => token.refreshTokenHash!), ...unknown]);
    const expected = await Promise.all(tokens.map((token) => findAccessToken(token.accessTokenHash)));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    t.deepEqual([...found].sort(byId), [...expected].map((lookup) => lookup!).sort(byId));
  });

  userStoreTest('insertTokens stores several tokens exactly as it stores one, in one call', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    const client = await registeredClient();
    const tokens = [
      tokenFixture(client.id, { userId: user.id, authorizationCodeId: randomUUID(), scope: "it's \\ ünïcode" }),
      tokenFixture(client.id, { refreshTokenHash: null, refreshTokenExpiresAt: null, scope: null }),
      tokenFixture(client.id, { revokedAt: at('2030-06-01T09:30:00.004Z') }),
    ];
    await storage().insertTokens(tokens);
    for (const token of tokens) {
      t.deepEqual(await findAccessToken(token.accessTokenHash), {
        ...token,
        clientName: client.name,
        username: token.userId === user.id ? user.username : null,
      });
    }
  });

  test(title('insertTokens stores none of the tokens when one of them is refused'), async (t) => {
    const client = await registeredClient();
    const good = tokenFixture(client.id);
    const orphan = tokenFixture(freshId('deleted-client'));
    let failed = false;
    try {
      await storage().insertTokens([good, orphan]);
    } catch {
      failed = true;
    }
    t.true(failed, 'a token of an unknown client is refused');
    t.is(await findAccessToken(good.accessTokenHash), null);
  });

  test(title('insertTokens takes the largest batch the core sends'), async (t) => {
    const client = await registeredClient();
    const tokens = Array.from({ length: MAX_TOKEN_INSERT_BATCH }, () => tokenFixture(client.id));
    await storage().insertTokens(tokens);
    const found = await Promise.all(tokens.map((token) => findRefreshToken(token.refreshTokenHash!)));
    t.deepEqual(found.map((row) => row?.id), tokens.map((token) => token.id));
  });

  test(title('claimToken sets revokedAt once: true the first time, false after'), async (t) => {
    const client = await registeredClient();
    const token = tokenFixture(client.id);
    await insertToken(token);
    const first = at('2030-06-02T00:00:00.111Z');
    t.true(await storage().claimToken(token.id, first));
    t.false(await storage().claimToken(token.id, at('2030-06-03T00:00:00.222Z')));
    t.deepEqual((await findAccessToken(token.accessTokenHash))?.revokedAt, first);
  });

  test(title('claimToken has exactly one winner among 20 concurrent callers'), async (t) => {
    const client = await registeredClient();
    const token = tokenFixture(client.id);
    await insertToken(token);
    const nows = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2030, 5, 2, 0, 0, 0, i + 1)));
    const results = await Promise.all(nows.map((now) => storage().claimToken(token.id, now)));
    t.is(results.filter(Boolean).length, 1);
    const winner = nows[results.indexOf(true)];
    t.deepEqual((await findAccessToken(token.accessTokenHash))?.revokedAt, winner);
  });

  test(title('claimToken is false for an unknown token'), async (t) => {
    t.false(await storage().claimToken(randomUUID(), at('2030-06-02T00:00:00Z')));
  });

  /**
   * A refresh-token rotation as the core makes it: the storage's `rotateTokens` when it has one;
   * otherwise the successor stored first and the old issuance claimed after (the successor claimed
   * too when that fails). True when the successor is stored and usable.
   */
  async function rotate(successor: TokenRecord, rotates: string, now: Date): Promise<boolean> {
    const port = storage();
    if (port.rotateTokens) return (await port.rotateTokens([{ rotates, token: successor, now }]))[0]!;
    await insertToken(successor);
    if (await port.claimToken(rotates, now)) return true;
    await port.claimToken(successor.id, now);
    return false;
  }

  /** Whether an issuance is stored and not revoked. */
  const isUsable = async (token: TokenRecord) => {
    const row = await findAccessToken(token.accessTokenHash);
    return row !== null && row.revokedAt === null;
  };

  test(title('a rotation stores its successor in the family and claims the old issuance'), async (t) => {
    const client = await registeredClient();
    const old = tokenFixture(client.id);
    await insertToken(old);
    const successor = tokenFixture(client.id, { familyId: old.familyId });
    const now = at('2030-06-02T00:00:00.333Z');
    t.true(await rotate(successor, old.id, now));
    t.deepEqual((await findAccessToken(old.accessTokenHash))?.revokedAt, now);
    const stored = await findRefreshToken(successor.refreshTokenHash!);
    t.is(stored?.familyId, old.familyId);
    t.is(stored?.revokedAt, null);
  });

  test(title('rotations sent together are each decided on their own: answers in order, each claim at its own instant, a refused claim storing nothing'), async (t) => {
    const client = await registeredClient();
    const olds = [tokenFixture(client.id), tokenFixture(client.id, { revokedAt: at('2030-06-01T00:00:00Z') }), tokenFixture(client.id)];
    await storage().insertTokens(olds);
    const rotations = olds.map((old, i) => ({
      rotates: old.id,
      token: tokenFixture(client.id, { familyId: old.familyId }),
      now: at(`2030-06-02T00:00:0${i}.${i}00Z`),
    }));
    const port = storage();
    // Through the storage's own batch when it has one; otherwise as the core rotates without it.
    const answers = port.rotateTokens
      ? await port.rotateTokens(rotations)
      : await Promise.all(rotations.map(({ rotates, token, now }) => rotate(token, rotates, now)));
    t.deepEqual(answers, [true, false, true]);
    t.deepEqual((await findAccessToken(olds[0]!.accessTokenHash))?.revokedAt, rotations[0]!.now);
    t.deepEqual((await findAccessToken(olds[1]!.accessTokenHash))?.revokedAt, at('2030-06-01T00:00:00Z'), 'a revoked issuance keeps its instant');
    t.deepEqual((await findAccessToken(olds[2]!.accessTokenHash))?.revokedAt, rotations[2]!.now);
    t.true(await isUsable(rotations[0]!.token));
    t.false(await isUsable(rotations[1]!.token), 'no usable successor of a refused claim');
    t.true(await isUsable(rotations[2]!.token));
  });

  test(title('a rotation of a revoked issuance leaves no usable successor'), async (t) => {
    const client = await registeredClient();
    const old = tokenFixture(client.id, { revokedAt: at('2030-06-01T00:00:00Z') });
    await insertToken(old);
    const successor = tokenFixture(client.id, { familyId: old.familyId });
    t.false(await rotate(successor, old.id, at('2030-06-02T00:00:00Z')));
    t.false(await isUsable(successor));
  });

  test(title('of 8 concurrent rotations of one issuance exactly one leaves a usable successor'), async (t) => {
    const client = await registeredClient();
    const old = tokenFixture(client.id);
    await insertToken(old);
    const successors = Array.from({ length: 8 }, () => tokenFixture(client.id, { familyId: old.familyId }));
    const results = await Promise.all(successors.map((successor) => rotate(successor, old.id, at('2030-06-02T00:00:00Z'))));
    t.is(results.filter(Boolean).length, 1);
    const usable = await Promise.all(successors.map(isUsable));
    t.deepEqual(usable, results);
  });

  test(title('RFC 7009 §2.1: a family revocation racing rotations leaves no usable token of the family'), async (t) => {
    const client = await registeredClient();
    const now = at('2030-06-02T00:00:00Z');
    for (let round = 0; round < 25; round += 1) {
      const old = tokenFixture(client.id);
      await insertToken(old);
      const successors = Array.from({ length: 3 }, () => tokenFixture(client.id, { familyId: old.familyId }));
      const rotations = Promise.all(successors.map((successor) => rotate(successor, old.id, now)));
      const revocation = storage().revokeTokens({ familyId: old.familyId }, now);
      await Promise.all([rotations, revocation]);
      const usable = await Promise.all([old, ...successors].map(isUsable));
      t.deepEqual(usable, [false, ...successors.map(() => false)], `round ${round}: a token of the family escaped the revocation`);
    }
  });

  /** For each selector key: what three tokens of one client share, and the selector that finds them. */
  const selectorCases: Record<string, (client: ClientRecord) => { shared: Partial<TokenRecord>; selector: TokenSelector }> = {
    familyId: () => {
      const familyId = randomUUID();
      return { shared: { familyId }, selector: { familyId } };
    },
    clientId: (client) => ({ shared: {}, selector: { clientId: client.id } }),
    userId: () => {
      const userId = freshId('user');
      return { shared: { userId }, selector: { userId } };
    },
    authorizationCodeId: () => {
      const authorizationCodeId = randomUUID();
      return { shared: { authorizationCodeId }, selector: { authorizationCodeId } };
    },
  };

  for (const [key, selectorCase] of Object.entries(selectorCases)) {
    test(title(`revokeTokens by ${key} revokes the matching unrevoked tokens only and counts them`), async (t) => {
      const client = await registeredClient();
      const { shared, selector } = selectorCase(client);
      const earlier = at('2030-06-01T12:00:00.000Z');
      const matching = [
        tokenFixture(client.id, shared),
        tokenFixture(client.id, shared),
        tokenFixture(client.id, { ...shared, revokedAt: earlier }),
      ];
      const outsider = tokenFixture((await registeredClient()).id, { userId: freshId('user') });
      for (const token of [...matching, outsider]) await insertToken(token);
      const now = at('2030-06-05T00:00:00.555Z');
      t.is(await storage().revokeTokens(selector, now), 2);
      const revokedAt = await Promise.all(
        [...matching, outsider].map(async (token) => (await findAccessToken(token.accessTokenHash))?.revokedAt),
      );
      // The token revoked before keeps its original time; the outsider is untouched.
      t.deepEqual(revokedAt, [now, now, earlier, null]);
    });
  }

  test(title('revokeTokens returns 0 when nothing matches'), async (t) => {
    t.is(await storage().revokeTokens({ familyId: randomUUID() }, at('2030-06-05T00:00:00Z')), 0);
  });

  test(title('revokeTokens by userId and clientId together revokes that user\'s unrevoked tokens at that client only, and counts them'), async (t) => {
    const [client, other] = [await registeredClient(), await registeredClient()];
    const [userId, otherUser] = [freshId('user'), freshId('user')];
    const earlier = at('2030-06-01T12:00:00.000Z');
    const matching = [
      tokenFixture(client.id, { userId }),
      tokenFixture(client.id, { userId }),
      tokenFixture(client.id, { userId, revokedAt: earlier }),
    ];
    // The same user at another client, another user at the same client, and the client's machine token.
    const outsiders = [
      tokenFixture(other.id, { userId }),
      tokenFixture(client.id, { userId: otherUser }),
      tokenFixture(client.id, { userId: null }),
    ];
    await storage().insertTokens([...matching, ...outsiders]);
    const now = at('2030-06-05T00:00:00.555Z');
    t.is(await storage().revokeTokens({ userId, clientId: client.id }, now), 2);
    const revokedAt = await Promise.all([...matching, ...outsiders].map(async (token) => (await findAccessToken(token.accessTokenHash))?.revokedAt));
    t.deepEqual(revokedAt, [now, now, earlier, null, null, null]);
    t.is(await storage().revokeTokens({ clientId: client.id, userId }, now), 0, 'the keys in either order');
  });

  test(title('RFC 7009 §2.1 — a revocation of a user\'s tokens at a client racing rotations leaves none of them usable'), async (t) => {
    const client = await registeredClient();
    const now = at('2030-06-02T00:00:00Z');
    for (let round = 0; round < 15; round += 1) {
      const userId = freshId('user');
      const old = tokenFixture(client.id, { userId });
      await insertToken(old);
      const successors = Array.from({ length: 3 }, () => tokenFixture(client.id, { userId, familyId: old.familyId }));
      const rotations = Promise.all(successors.map((successor) => rotate(successor, old.id, now)));
      const revocation = storage().revokeTokens({ userId, clientId: client.id }, now);
      await Promise.all([rotations, revocation]);
      const usable = await Promise.all([old, ...successors].map(isUsable));
      t.deepEqual(usable, [false, ...successors.map(() => false)], `round ${round}: a token of the user escaped the revocation`);
    }
  });

  // ── Authorization codes ──────────────────────────────────────────────────────────────────────

  test(title('findAuthorizationCode returns the code with its PKCE challenge'), async (t) => {
    const client = await registeredClient();
    const s256 = codeFixture(client.id);
    const plain = codeFixture(client.id, { codeChallenge: 'plain-verifier-'.padEnd(64, 'x'), codeChallengeMethod: 'plain' });
    const none = codeFixture(client.id, { codeChallenge: null, codeChallengeMethod: null, redirectUri: null, scope: null });
    for (const code of [s256, plain, none]) await storage().insertAuthorizationCode(code);
    for (const code of [s256, plain, none]) t.deepEqual(await storage().findAuthorizationCode(code.codeHash), code);
  });

  test(title('consumeAuthorizationCode sets consumedAt once: true the first time, false after'), async (t) => {
    const client = await registeredClient();
    const code = codeFixture(client.id);
    await storage().insertAuthorizationCode(code);
    const first = at('2030-06-01T10:01:00.321Z');
    t.true(await storage().consumeAuthorizationCode(code.id, first));
    t.false(await storage().consumeAuthorizationCode(code.id, at('2030-06-01T10:02:00Z')));
    t.deepEqual(await storage().findAuthorizationCode(code.codeHash), { ...code, consumedAt: first });
  });

  test(title('consumeAuthorizationCode has exactly one winner among 20 concurrent callers'), async (t) => {
    const client = await registeredClient();
    const code = codeFixture(client.id);
    await storage().insertAuthorizationCode(code);
    const nows = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2030, 5, 1, 10, 1, 0, i + 1)));
    const results = await Promise.all(nows.map((now) => storage().consumeAuthorizationCode(code.id, now)));
    t.is(results.filter(Boolean).length, 1);
    t.deepEqual((await storage().findAuthorizationCode(code.codeHash))?.consumedAt, nows[results.indexOf(true)]);
  });

  test(title('consumeAuthorizationCode is false for an unknown code'), async (t) => {
    t.false(await storage().consumeAuthorizationCode(randomUUID(), at('2030-06-01T10:01:00Z')));
  });

  // ── The authentication behind codes and tokens (OpenID Connect) ───────────────────────────────

  /** An authentication as the core records one: an instant to the millisecond, an acr, amr values. */
  const authentication = {
    authTime: at('2030-03-31T01:00:00.999Z'), // a DST transition in Europe
    acr: 'urn:mace:incommon:iap:silver',
    amr: 'pwd otp mfa',
  };
  const noAuthentication = { authTime: null, acr: null, amr: null };

  test(title('OIDC Core §12.2 — a token\'s authentication (auth_time, acr, amr) round-trips through a batch insert and every lookup, and nulls stay null'), async (t) => {
    const client = await registeredClient();
    const tokens = [tokenFixture(client.id, authentication), tokenFixture(client.id, noAuthentication)];
    await storage().insertTokens(tokens);
    const batch = await storage().findAccessTokens(tokens.map((token) => token.accessTokenHash));
    for (const token of tokens) {
      const expected = { ...token, clientName: client.name, username: null };
      t.deepEqual(await findAccessToken(token.accessTokenHash), expected);
      t.deepEqual(await findRefreshToken(token.refreshTokenHash!), expected);
      t.deepEqual(batch.find((row) => row.id === token.id), expected);
    }
  });

  test(title('OIDC Core §12.2 — a rotation stores the successor\'s authentication as given, and claimToken and revokeTokens leave it as it was'), async (t) => {
    const client = await registeredClient();
    const old = tokenFixture(client.id, authentication);
    await insertToken(old);
    const successor = tokenFixture(client.id, { familyId: old.familyId, ...authentication });
    t.true(await rotate(successor, old.id, at('2030-06-02T00:00:00.000Z')));
    await storage().revokeTokens({ familyId: old.familyId }, at('2030-06-03T00:00:00.000Z'));
    for (const token of [old, successor]) {
      const found = await findRefreshToken(token.refreshTokenHash!);
      t.deepEqual([found?.authTime, found?.acr, found?.amr], [authentication.authTime, authentication.acr, authentication.amr]);
    }
  });

  test(title('OIDC Core §3.1.2.1 — an authorization code\'s nonce and authentication round-trip, through its consumption too, and nulls stay null'), async (t) => {
    const client = await registeredClient();
    const codes = [codeFixture(client.id, { nonce: 'n-0S6_WzA2Mj', ...authentication }), codeFixture(client.id, { nonce: null, ...noAuthentication })];
    for (const code of codes) await storage().insertAuthorizationCode(code);
    for (const code of codes) t.deepEqual(await storage().findAuthorizationCode(code.codeHash), code);
    const consumedAt = at('2030-06-01T10:01:00.000Z');
    await storage().consumeAuthorizationCode(codes[0]!.id, consumedAt);
    t.deepEqual(await storage().findAuthorizationCode(codes[0]!.codeHash), { ...codes[0]!, consumedAt });
  });

  test(title('OpenID values as long as their columns are stored whole: a 512-character nonce, 255-character acr and amr, a 255-character sector, a 16-character algorithm, over 20 000 characters of post-logout redirect URIs'), async (t) => {
    const long = { authTime: at('2030-01-01T00:00:00.001Z'), acr: `urn:${'a'.repeat(250)}\u00e9`, amr: Array.from({ length: 64 }, () => 'pwd').join(' ').padEnd(255, 'x') };
    const postLogoutRedirectUris = Array.from({ length: 20 }, (_, i) => `https://app${i}.example/${'p'.repeat(979)}`);
    const client = await registeredClient({
      postLogoutRedirectUris,
      idTokenSignedResponseAlg: 'A'.repeat(16),
      subjectType: 'pairwise',
      sectorIdentifier: `${'s'.repeat(243)}.example.com`,
    });
    t.true(postLogoutRedirectUris.join(' ').length > 20_000);
    t.is(client.sectorIdentifier?.length, 255);
    const token = tokenFixture(client.id, long);
    const code = codeFixture(client.id, { nonce: `${'n'.repeat(510)}\u00e9"`, ...long });
    await insertToken(token);
    await storage().insertAuthorizationCode(code);
    for (const read of await readsOf(client.id)) t.deepEqual(openIdSettings(read), openIdSettings(client));
    t.deepEqual(await findAccessToken(token.accessTokenHash), { ...token, clientName: client.name, username: null });
    t.deepEqual(await storage().findAuthorizationCode(code.codeHash), code);
  });

  // ── Users ────────────────────────────────────────────────────────────────────────────────────

  userStoreTest('a user reads back by username and by id', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    t.deepEqual(await users().findUserByUsername(user.username), user);
    t.deepEqual(await users().findUserById(user.id), user);
  });

  userStoreTest('findUserByUsername is exact: case and trailing spaces matter', async (t) => {
    const user = userFixture({ username: freshId('Alice') });
    await users().insertUser(user);
    t.is(await users().findUserByUsername(user.username.toLowerCase()), null);
    t.is(await users().findUserByUsername(user.username.toUpperCase()), null);
    t.is(await users().findUserByUsername(`${user.username} `), null);
  });

  userStoreTest('unknown users read back as null', async (t) => {
    t.is(await users().findUserByUsername(freshId('nobody')), null);
    t.is(await users().findUserById(freshId('nobody')), null);
  });

  userStoreTest('insertUser rejects a taken id with DuplicateError(user)', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    const error = await rejection(users().insertUser(userFixture({ id: user.id })));
    t.true(error instanceof DuplicateError);
    t.is((error as DuplicateError).entity, 'user');
  });

  userStoreTest('insertUser rejects a taken username with DuplicateError(username)', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    const error = await rejection(users().insertUser(userFixture({ username: user.username })));
    t.true(error instanceof DuplicateError);
    t.is((error as DuplicateError).entity, 'username');
  });

  userStoreTest('deleteUser removes the user once, then is false', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    t.true(await users().deleteUser(user.id));
    t.is(await users().findUserById(user.id), null);
    t.false(await users().deleteUser(user.id));
  });

  userStoreTest('updateUserPassword replaces the hash and updatedAt and nothing else; false for an unknown user', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    const updatedAt = at('2031-02-03T04:05:06.789Z');
    const passwordHash = `scrypt$131072$8$1$${freshId('salt')}$new`;
    t.true(await users().updateUserPassword(user.id, passwordHash, updatedAt));
    t.deepEqual(await users().findUserById(user.id), { ...user, passwordHash, updatedAt });
    t.false(await users().updateUserPassword(freshId('nobody'), 'scrypt$131072$8$1$salt$new', updatedAt));
  });

  userStoreTest('updateUserPassword with `replacing` writes only while the stored hash is still that one', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    const later = at('2031-01-01T00:00:00.001Z');
    t.false(await users().updateUserPassword(user.id, 'scrypt$1$1$1$a$b', later, 'scrypt$16384$8$1$other$hash'));
    t.deepEqual(await users().findUserById(user.id), user);
    t.true(await users().updateUserPassword(user.id, 'scrypt$131072$8$1$c2FsdA$bmV3', later, user.passwordHash));
    t.is((await users().findUserById(user.id))?.passwordHash, 'scrypt$131072$8$1$c2FsdA$bmV3');
    t.false(await users().updateUserPassword(freshId('nobody'), 'scrypt$1$1$1$a$b', later, user.passwordHash));
  });

  userStoreTest('updateUserPassword with `replacing` has exactly one winner among 20 concurrent callers', async (t) => {
    const user = userFixture();
    await users().insertUser(user);
    const hashes = Array.from({ length: 20 }, (_, i) => `scrypt$131072$8$1$c2FsdA$${i}`);
    const results = await Promise.all(
      hashes.map((hash, i) => users().updateUserPassword(user.id, hash, new Date(Date.UTC(2031, 0, 1, 0, 0, 0, i + 1)), user.passwordHash)),
    );
    t.is(results.filter(Boolean).length, 1);
    t.is((await users().findUserById(user.id))?.passwordHash, hashes[results.indexOf(true)]);
  });

  userStoreTest('updateUserPassword and deleteUser match the id exactly: case and trailing spaces matter', async (t) => {
    const user = userFixture({ id: freshId('Exact') });
    await users().insertUser(user);
    for (const near of [`${user.id} `, user.id.toLowerCase(), user.id.toUpperCase()]) {
      t.false(await users().updateUserPassword(near, 'scrypt$1$1$1$a$b', at('2031-01-01T00:00:00Z')), JSON.stringify(near));
      t.false(await users().deleteUser(near), JSON.stringify(near));
    }
    t.deepEqual(await users().findUserById(user.id), user);
  });

  userStoreTest('listUsers returns every user with its hash, ordered by username', async (t) => {
    const prefix = freshId('list');
    const listedUsers = [`${prefix}-c`, `${prefix}-a`, `${prefix}-b`].map((username) => userFixture({ username }));
    for (const user of listedUsers) await users().insertUser(user);
    const mine = (await users().listUsers()).filter((user) => user.username.startsWith(prefix));
    t.deepEqual(mine, [...listedUsers].sort((a, b) => (a.username < b.username ? -1 : 1)));
    const removed = listedUsers[0]!;
    await users().deleteUser(removed.id);
    t.false((await users().listUsers()).some((user) => user.id === removed.id));
  });

  // ── Attempt counters ─────────────────────────────────────────────────────────────────────────

  /** A counter's fields as comparable text: instants to the millisecond. */
  const counterText = (counter: { points: number; expiresAt: Date } | null) =>
    counter && { points: counter.points, expiresAt: counter.expiresAt.toISOString() };
  const T = at('2030-07-01T12:00:00.000Z');
  /** `T` moved by `ms` milliseconds. */
  const afterT = (ms: number) => new Date(T.getTime() + ms);

  attemptCounterTest('addToAttemptCounter starts an absent counter with the given points and window', async (t) => {
    const key = digest();
    const window = afterT(60_001);
    t.deepEqual(counterText(await counters().addToAttemptCounter(key, 2, window, false, T)), { points: 2, expiresAt: window.toISOString() });
    t.deepEqual(counterText(await counters().findAttemptCounter(key, T)), { points: 2, expiresAt: window.toISOString() });
  });

  attemptCounterTest('addToAttemptCounter keeps a window that ends at 9999-12-31T23:59:59.999Z, the latest a MySQL DATETIME holds', async (t) => {
    const key = digest();
    const never = at('9999-12-31T23:59:59.999Z');
    t.deepEqual(counterText(await counters().addToAttemptCounter(key, 1, never, false, T)), { points: 1, expiresAt: never.toISOString() });
    t.deepEqual(counterText(await counters().addToAttemptCounter(key, 1, never, false, T)), { points: 2, expiresAt: never.toISOString() });
    t.deepEqual(counterText(await counters().findAttemptCounter(key, T)), { points: 2, expiresAt: never.toISOString() });
  });

  attemptCounterTest('addToAttemptCounter within the window adds the points and keeps the window', async (t) => {
    const key = digest();
    const window = afterT(60_000);
    await counters().addToAttemptCounter(key, 1, window, false, T);
    const added = await counters().addToAttemptCounter(key, 2, afterT(120_000), false, afterT(59_999));
    t.deepEqual(counterText(added), { points: 3, expiresAt: window.toISOString() });
    t.deepEqual(counterText(await counters().findAttemptCounter(key, afterT(59_999))), counterText(added));
  });

  attemptCounterTest('addToAttemptCounter once the window has ended (at its end) starts the counter afresh', async (t) => {
    const key = digest();
    await counters().addToAttemptCounter(key, 5, afterT(60_000), false, T);
    const restarted = await counters().addToAttemptCounter(key, 1, afterT(120_000), false, afterT(60_000));
    t.deepEqual(counterText(restarted), { points: 1, expiresAt: afterT(120_000).toISOString() });
    t.deepEqual(counterText(await counters().findAttemptCounter(key, afterT(60_000))), counterText(restarted));
  });

  attemptCounterTest('addToAttemptCounter with restart starts the counter afresh within its window', async (t) => {
    const key = digest();
    await counters().addToAttemptCounter(key, 5, afterT(60_000), false, T);
    const restarted = await counters().addToAttemptCounter(key, 2, afterT(300_000), true, afterT(1_000));
    t.deepEqual(counterText(restarted), { points: 2, expiresAt: afterT(300_000).toISOString() });
    t.deepEqual(counterText(await counters().findAttemptCounter(key, afterT(1_000))), counterText(restarted));
  });

  attemptCounterTest('addToAttemptCounter with negative points takes points back', async (t) => {
    const key = digest();
    await counters().addToAttemptCounter(key, 3, afterT(60_000), false, T);
    t.is((await counters().addToAttemptCounter(key, -1, afterT(60_000), false, afterT(1))).points, 2);
    t.is((await counters().addToAttemptCounter(key, -3, afterT(60_000), false, afterT(2))).points, -1);
    t.is((await counters().findAttemptCounter(key, afterT(3)))?.points, -1);
  });

  attemptCounterTest('addToAttemptCounter counts every one of 20 concurrent adds to one key', async (t) => {
    const key = digest();
    const window = afterT(60_000);
    const added = await Promise.all(Array.from({ length: 20 }, () => counters().addToAttemptCounter(key, 1, window, false, T)));
    // Each add returns the counter as it left it: the 20 see 1 … 20, one each.
    t.deepEqual(added.map((counter) => counter.points).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
    t.deepEqual(counterText(await counters().findAttemptCounter(key, T)), { points: 20, expiresAt: window.toISOString() });
  });

  attemptCounterTest('findAttemptCounter returns null for an unknown key, and from the end of the window on', async (t) => {
    const key = digest();
    t.is(await counters().findAttemptCounter(key, T), null);
    await counters().addToAttemptCounter(key, 1, afterT(60_000), false, T);
    t.is((await counters().findAttemptCounter(key, afterT(59_999)))?.points, 1);
    t.is(await counters().findAttemptCounter(key, afterT(60_000)), null);
    t.is(await counters().findAttemptCounter(key, afterT(3_600_000)), null);
  });

  attemptCounterTest('deleteAttemptCounter removes the counter once, then is false', async (t) => {
    const [key, other] = [digest(), digest()];
    await counters().addToAttemptCounter(key, 1, afterT(60_000), false, T);
    await counters().addToAttemptCounter(other, 1, afterT(60_000), false, T);
    t.true(await counters().deleteAttemptCounter(key));
    t.is(await counters().findAttemptCounter(key, T), null);
    t.false(await counters().deleteAttemptCounter(key));
    t.false(await counters().deleteAttemptCounter(digest()));
    t.is((await counters().findAttemptCounter(other, T))?.points, 1);
  });

  // ── Resources (RFC 8707) ─────────────────────────────────────────────────────────────────────

  /** Resources in id order, as `listResources` promises them. */
  const byId = (list: readonly ResourceRecord[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  resourceTest('saveResource registers a resource that findResources returns as saved, its scopes in their order', async (t) => {
    const resource = resourceFixture({ scopes: ['write', 'read', 'admin'], accessTokenLifetime: 600 });
    await resources().saveResource(resource);
    t.deepEqual(await resources().findResources([resource.id]), [resource]);
  });

  resourceTest('a resource without scopes or a lifetime of its own reads back with none ([] and null)', async (t) => {
    const resource = resourceFixture({ scopes: [], accessTokenLifetime: null });
    await resources().saveResource(resource);
    t.deepEqual(await resources().findResources([resource.id]), [resource]);
  });

  resourceTest('saveResource of a registered id replaces every field but keeps its createdAt', async (t) => {
    const first = resourceFixture({ scopes: ['read'], accessTokenLifetime: 600 });
    await resources().saveResource(first);
    const second = {
      ...first,
      name: 'Renamed API',
      scopes: [],
      accessTokenLifetime: null,
      createdAt: at('2031-05-06T07:08:09.012Z'),
      updatedAt: at('2031-05-06T07:08:09.012Z'),
    };
    await resources().saveResource(second);
    t.deepEqual(await resources().findResources([first.id]), [{ ...second, createdAt: first.createdAt }]);
    const third = { ...second, scopes: ['admin'], accessTokenLifetime: 60, updatedAt: at('2032-01-01T00:00:00.001Z') };
    await resources().saveResource(third);
    t.deepEqual(await resources().findResources([first.id]), [{ ...third, createdAt: first.createdAt }]);
    t.is((await resources().listResources()).filter((resource) => resource.id === first.id).length, 1);
  });

  resourceTest('findResources returns each registered resource among several ids, and leaves unknown ids out', async (t) => {
    const saved = [resourceFixture(), resourceFixture({ scopes: [] }), resourceFixture({ accessTokenLifetime: null })];
    for (const resource of saved) await resources().saveResource(resource);
    const unknown = [`https://${freshId('unknown')}.example/mcp`, `urn:example:${freshId('unknown')}`];
    const found = await resources().findResources([saved[2]!.id, unknown[0]!, saved[0]!.id, unknown[1]!, saved[1]!.id]);
    t.deepEqual(byId(found), byId(saved));
    t.deepEqual(await resources().findResources(unknown), []);
    t.deepEqual(await resources().findResources([]), []);
  });

  resourceTest('findResources matches ids exactly: case, a trailing slash and the query matter', async (t) => {
    const host = freshId('exact');
    const resource = resourceFixture({ id: `https://${host}.example/api?v=1` });
    await resources().saveResource(resource);
    const near = [
      `https://${host.toUpperCase()}.example/api?v=1`,
      `https://${host}.example/API?v=1`,
      `https://${host}.example/api/?v=1`,
      `https://${host}.example/api`,
      `https://${host}.example/api?v=2`,
    ];
    t.deepEqual(await resources().findResources(near), []);
    t.deepEqual(await resources().findResources([...near, resource.id]), [resource]);
  });

  resourceTest('deleteResource removes the resource once: true, then false; false for an unknown id', async (t) => {
    const [resource, other] = [resourceFixture(), resourceFixture()];
    await resources().saveResource(resource);
    await resources().saveResource(other);
    t.true(await resources().deleteResource(resource.id));
    t.deepEqual(await resources().findResources([resource.id, other.id]), [other]);
    t.false(await resources().deleteResource(resource.id));
    t.false(await resources().deleteResource(`https://${freshId('unknown')}.example/`));
  });

  resourceTest('listResources returns every resource, ordered by id', async (t) => {
    const prefix = freshId('list');
    const listed = ['c', 'a', 'b'].map((suffix) => resourceFixture({ id: `https://${prefix}.example/${suffix}` }));
    for (const resource of listed) await resources().saveResource(resource);
    const mine = (await resources().listResources()).filter((resource) => resource.id.startsWith(`https://${prefix}.`));
    t.deepEqual(mine, byId(listed));
    await resources().deleteResource(listed[0]!.id);
    t.false((await resources().listResources()).some((resource) => resource.id === listed[0]!.id));
  });

  resourceTest('resource values as long as their columns are stored whole: a 512-character id, a 255-character name, 4000 characters of scopes', async (t) => {
    const scopes = Array.from({ length: 300 }, (_, i) => `scope${String(i).padStart(4, '0')}`);
    scopes.push('z'.repeat(4000 - scopes.join(' ').length - 1));
    const resource = resourceFixture({
      id: `https://${freshId('long')}.example/`.padEnd(512, 'p'),
      name: 'n'.repeat(254) + '\u00e9',
      scopes,
    });
    await resources().saveResource(resource);
    t.deepEqual(await resources().findResources([resource.id]), [resource]);
  });

  /** Audiences as the core stores them: resource ids joined by single spaces, in the order first requested. */
  const audiences = [
    'https://api.example/mcp',
    'https://b.example/api?version=2 https://a.example/ urn:example:resource',
    null,
  ];

  resourceTest('RFC 8707 §2 — a token\'s audience round-trips through a batch insert and every lookup: one resource, several, or none', async (t) => {
    const client = await registeredClient();
    const tokens = audiences.map((audience) => tokenFixture(client.id, { audience }));
    await storage().insertTokens(tokens);
    const batch = await storage().findAccessTokens(tokens.map((token) => token.accessTokenHash));
    for (const token of tokens) {
      t.is((await findAccessToken(token.accessTokenHash))?.audience, token.audience);
      t.is((await findRefreshToken(token.refreshTokenHash!))?.audience, token.audience);
      t.is(batch.find((row) => row.id === token.id)?.audience, token.audience);
    }
  });

  resourceTest('RFC 8707 §2.1 — an authorization code\'s audience round-trips: one resource, several, or none', async (t) => {
    const client = await registeredClient();
    const codes = audiences.map((audience) => codeFixture(client.id, { audience }));
    for (const code of codes) await storage().insertAuthorizationCode(code);
    for (const code of codes) t.deepEqual(await storage().findAuthorizationCode(code.codeHash), code);
  });

  resourceTest('claimToken, revokeTokens and consumeAuthorizationCode leave the audience as it was', async (t) => {
    const client = await registeredClient();
    const [claimed, revoked] = [tokenFixture(client.id, { audience: audiences[1]! }), tokenFixture(client.id, { audience: audiences[0]! })];
    await storage().insertTokens([claimed, revoked]);
    await storage().claimToken(claimed.id, at('2030-06-02T00:00:00.000Z'));
    await storage().revokeTokens({ familyId: revoked.familyId }, at('2030-06-02T00:00:00.000Z'));
    t.deepEqual(
      [(await findAccessToken(claimed.accessTokenHash))?.audience, (await findAccessToken(revoked.accessTokenHash))?.audience],
      [claimed.audience, revoked.audience],
    );
    const code = codeFixture(client.id, { audience: audiences[1]! });
    await storage().insertAuthorizationCode(code);
    await storage().consumeAuthorizationCode(code.id, at('2030-06-01T10:01:00.000Z'));
    t.is((await storage().findAuthorizationCode(code.codeHash))?.audience, code.audience);
  });

  resourceTest('an audience as long as its column (4000 characters) is stored whole, on tokens and codes', async (t) => {
    const client = await registeredClient();
    const ids = Array.from({ length: 7 }, (_, i) => `https://api${i}.example/`.padEnd(511, 'x'));
    const audience = [...ids, 'urn:x:'.padEnd(4000 - ids.join(' ').length - 1, 'y')].join(' ');
    t.is(audience.length, 4000);
    const token = tokenFixture(client.id, { audience });
    const code = codeFixture(client.id, { audience });
    await insertToken(token);
    await storage().insertAuthorizationCode(code);
    t.is((await findAccessToken(token.accessTokenHash))?.audience, audience);
    t.is((await storage().findAuthorizationCode(code.codeHash))?.audience, audience);
  });

  // ── Client registrations (RFC 7591, Client ID Metadata Documents) ──────────────────────────

  /** A client with a registration beside it, both stored. */
  async function registeredWithRegistration(overrides: Partial<ClientRegistrationRecord> = {}, client: Partial<ClientRecord> = {}) {
    const stored = await registeredClient(client);
    const registration = registrationFixture(stored.id, overrides);
    await registrations().saveClientRegistration(registration);
    return { client: stored, registration };
  }

  registrationTest('saveClientRegistration stores a registration that findClientRegistration returns as saved', async (t) => {
    const { registration } = await registeredWithRegistration({ lastUsedAt: at('2030-04-05T06:07:08.009Z') });
    t.deepEqual(await registrations().findClientRegistration(registration.clientId), registration);
  });

  registrationTest('a registration without an access token, never used, of kind metadata_document reads back with nulls', async (t) => {
    const { registration } = await registeredWithRegistration({ kind: 'metadata_document', accessTokenHash: null, lastUsedAt: null });
    t.deepEqual(await registrations().findClientRegistration(registration.clientId), registration);
  });

  registrationTest('findClientRegistration is null for a client without one and for an unknown id, and matches ids exactly', async (t) => {
    const operator = await registeredClient();
    t.is(await registrations().findClientRegistration(operator.id), null);
    t.is(await registrations().findClientRegistration(freshId('unknown')), null);
    const { registration } = await registeredWithRegistration();
    for (const near of [`${registration.clientId} `, registration.clientId.toUpperCase(), registration.clientId.slice(0, -1)]) {
      t.is(await registrations().findClientRegistration(near), null, JSON.stringify(near));
    }
  });

  registrationTest('saveClientRegistration of a client that has one replaces every field but keeps its createdAt', async (t) => {
    const { registration } = await registeredWithRegistration();
    const replaced: ClientRegistrationRecord = {
      ...registration,
      kind: 'metadata_document',
      accessTokenHash: null,
      metadata: JSON.stringify({ client_name: 'Renamed', redirect_uris: [] }),
      lastUsedAt: at('2031-01-02T03:04:05.006Z'),
      createdAt: at('2031-01-02T03:04:05.006Z'),
      updatedAt: at('2031-01-02T03:04:05.007Z'),
    };
    await registrations().saveClientRegistration(replaced);
    t.deepEqual(await registrations().findClientRegistration(registration.clientId), { ...replaced, createdAt: registration.createdAt });
  });

  registrationTest('saveClientRegistration never moves lastUsedAt back: a stored last use is kept over an earlier or null one, a later one replaces it', async (t) => {
    const used = at('2030-06-01T00:00:00.000Z');
    const { registration } = await registeredWithRegistration({ lastUsedAt: used });
    const lastUse = async () => (await registrations().findClientRegistration(registration.clientId))?.lastUsedAt?.toISOString() ?? null;
    // A save built from a read made before a touch, as a refresh of the registration is.
    await registrations().saveClientRegistration({ ...registration, metadata: '{"v":2}', lastUsedAt: at('2030-05-01T00:00:00.000Z') });
    t.is(await lastUse(), used.toISOString());
    await registrations().saveClientRegistration({ ...registration, metadata: '{"v":3}', lastUsedAt: null });
    t.is(await lastUse(), used.toISOString());
    t.is((await registrations().findClientRegistration(registration.clientId))?.metadata, '{"v":3}', 'the other fields are replaced');
    await registrations().saveClientRegistration({ ...registration, lastUsedAt: at('2030-07-01T00:00:00.000Z') });
    t.is(await lastUse(), '2030-07-01T00:00:00.000Z');
  });

  registrationTest('a registration saved from a read made before a touch keeps the lastUsedAt of the touch, which purging unused clients reads', async (t) => {
    const { registration } = await registeredWithRegistration({ lastUsedAt: null, createdAt: at('2030-01-01T00:00:00.000Z') });
    const read = await registrations().findClientRegistration(registration.clientId);
    const touchedAt = at('2030-06-01T00:00:00.000Z');
    t.true(await registrations().touchClientRegistration(registration.clientId, touchedAt, at('2030-05-31T00:00:00.000Z')));
    await registrations().saveClientRegistration({ ...registration, ...read, metadata: '{"refreshed":true}', updatedAt: touchedAt });
    t.deepEqual((await registrations().findClientRegistration(registration.clientId))?.lastUsedAt, touchedAt);
  });

  registrationTest('metadata is stored verbatim: over 30 000 characters of JSON with quotes, backslashes and non-ASCII text', async (t) => {
    const name = `O'Brien "quoted" \\ \u00e9\u4e2d\u{1F510}`;
    const metadata = JSON.stringify({ client_name: name, padding: 'x'.repeat(30_000) });
    const { registration } = await registeredWithRegistration({ metadata });
    t.is((await registrations().findClientRegistration(registration.clientId))?.metadata, metadata);
  });

  registrationTest('a registration goes with its client: deleteClient removes it', async (t) => {
    const { client } = await registeredWithRegistration();
    t.true(await storage().deleteClient(client.id));
    t.is(await registrations().findClientRegistration(client.id), null);
  });

  registrationTest('touchClientRegistration writes lastUsedAt only when it is null or before `before`, saying whether it wrote', async (t) => {
    const { registration } = await registeredWithRegistration({ lastUsedAt: null });
    const read = async () => (await registrations().findClientRegistration(registration.clientId))?.lastUsedAt?.toISOString();
    const day1 = at('2030-05-01T10:00:00.000Z');
    t.true(await registrations().touchClientRegistration(registration.clientId, day1, at('2030-04-30T10:00:00.000Z')));
    t.is(await read(), day1.toISOString());
    // Later the same day: the last use is not before `before`, so nothing is written.
    t.false(await registrations().touchClientRegistration(registration.clientId, at('2030-05-01T18:00:00.000Z'), day1));
    t.is(await read(), day1.toISOString());
    const day2 = at('2030-05-02T10:00:00.001Z');
    t.true(await registrations().touchClientRegistration(registration.clientId, day2, at('2030-05-01T10:00:00.001Z')));
    t.is(await read(), day2.toISOString());
    t.false(await registrations().touchClientRegistration(freshId('unknown'), day2, day2));
    const operator = await registeredClient();
    t.false(await registrations().touchClientRegistration(operator.id, day2, day2));
  });

  serialRegistrationTest('purgeUnusedClients deletes at most `limit` clients of the kind unused since `before`, with their tokens and codes', async (t) => {
    // The 1960s: no other test's registration is as old.
    const before = at('1965-01-01T00:00:00.000Z');
    const old = at('1961-01-01T00:00:00.000Z');
    const recent = at('1966-01-01T00:00:00.000Z');
    const unused = [
      await registeredWithRegistration({ createdAt: old, lastUsedAt: null }),
      await registeredWithRegistration({ createdAt: old, lastUsedAt: at('1964-12-31T23:59:59.999Z') }),
      await registeredWithRegistration({ createdAt: old, lastUsedAt: at('1962-06-01T00:00:00.000Z') }),
    ];
    const kept = [
      await registeredWithRegistration({ createdAt: old, lastUsedAt: before }), // not before `before`
      await registeredWithRegistration({ createdAt: old, lastUsedAt: recent }),
      await registeredWithRegistration({ createdAt: before, lastUsedAt: null }),
      await registeredWithRegistration({ kind: 'metadata_document', createdAt: old, lastUsedAt: null }),
    ];
    const operator = await registeredClient({ createdAt: old, updatedAt: old });
    const token = tokenFixture(unused[0]!.client.id);
    const code = codeFixture(unused[0]!.client.id);
    await insertToken(token);
    await storage().insertAuthorizationCode(code);
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await registrations().purgeUnusedClients('dynamic', before, 2));
    t.deepEqual(counts, [2, 1, 0]);
    for (const { client } of unused) {
      t.is(await storage().findClient(client.id), null);
      t.is(await registrations().findClientRegistration(client.id), null);
    }
    t.is(await findAccessToken(token.accessTokenHash), null);
    t.is(await storage().findAuthorizationCode(code.codeHash), null);
    for (const { client, registration } of kept) {
      t.is((await storage().findClient(client.id))?.id, client.id);
      t.deepEqual(await registrations().findClientRegistration(client.id), registration);
    }
    t.is((await storage().findClient(operator.id))?.id, operator.id);
    t.is(await registrations().purgeUnusedClients('metadata_document', before, 10), 1);
    t.is(await storage().findClient(kept[3]!.client.id), null);
  });

  // ── Sessions (OIDC Core §3.1.2.3) ────────────────────────────────────────────────────────────

  sessionTest('insertSession stores a session that findSession returns whole: 255-character acr and amr, instants to the millisecond', async (t) => {
    const session = sessionFixture({
      authTime: at('2030-10-27T00:59:59.001Z'),
      acr: `urn:${'a'.repeat(250)}\u00e9`,
      amr: 'pwd otp '.repeat(32).trim().padEnd(255, 'x'),
      expiresAt: at('2030-10-27T01:00:00.999Z'),
      createdAt: at('2030-10-27T00:59:59.002Z'),
      userId: `${freshId('user')}-`.padEnd(128, 'u'),
    });
    await sessions().insertSession(session);
    t.deepEqual(await sessions().findSession(session.secretHash), session);
  });

  sessionTest('a session without acr or amr reads back with nulls', async (t) => {
    const session = sessionFixture({ acr: null, amr: null });
    await sessions().insertSession(session);
    t.deepEqual(await sessions().findSession(session.secretHash), session);
  });

  sessionTest('findSession returns expired sessions too, and null for an unknown digest', async (t) => {
    const session = sessionFixture({ authTime: at('1999-01-01T00:00:00.000Z'), expiresAt: at('1999-01-02T00:00:00.000Z'), createdAt: at('1999-01-01T00:00:00.000Z') });
    await sessions().insertSession(session);
    t.deepEqual(await sessions().findSession(session.secretHash), session);
    t.is(await sessions().findSession(digest()), null);
  });

  sessionTest('insertSession rejects a taken id or a taken secret digest with DuplicateError(session) and keeps the stored session', async (t) => {
    const session = sessionFixture();
    await sessions().insertSession(session);
    for (const taken of [sessionFixture({ id: session.id }), sessionFixture({ secretHash: session.secretHash })]) {
      const error = await rejection(sessions().insertSession(taken));
      t.true(error instanceof DuplicateError);
      t.is((error as DuplicateError).entity, 'session');
    }
    t.deepEqual(await sessions().findSession(session.secretHash), session);
  });

  sessionTest('deleteSession removes the session once: true, then false; it matches the id exactly', async (t) => {
    const session = sessionFixture({ id: `${randomUUID()}`.toUpperCase().slice(0, 35) });
    const other = sessionFixture();
    await sessions().insertSession(session);
    await sessions().insertSession(other);
    for (const near of [`${session.id} `, session.id.toLowerCase()]) t.false(await sessions().deleteSession(near), JSON.stringify(near));
    t.true(await sessions().deleteSession(session.id));
    t.is(await sessions().findSession(session.secretHash), null);
    t.false(await sessions().deleteSession(session.id));
    t.deepEqual(await sessions().findSession(other.secretHash), other);
  });

  sessionTest('deleteUserSessions deletes every session of the user, and only those, and says how many', async (t) => {
    const userId = freshId('User');
    const mine = [sessionFixture({ userId }), sessionFixture({ userId }), sessionFixture({ userId, expiresAt: at('1999-01-01T00:00:00.000Z') })];
    const others = [sessionFixture(), sessionFixture({ userId: userId.toLowerCase() }), sessionFixture({ userId: `${userId} ` })];
    for (const session of [...mine, ...others]) await sessions().insertSession(session);
    t.is(await sessions().deleteUserSessions(userId), 3);
    for (const session of mine) t.is(await sessions().findSession(session.secretHash), null);
    for (const session of others) t.deepEqual(await sessions().findSession(session.secretHash), session);
    t.is(await sessions().deleteUserSessions(userId), 0);
  });

  serialSessionTest('purgeSessions deletes the sessions whose expiresAt is before now, and only those, and says how many', async (t) => {
    // The 1950s: no other test's session expires then.
    const now = at('1955-01-01T00:00:00.000Z');
    const expired = [1951, 1952, 1953].map((year) => sessionFixture({ authTime: at(`${year - 1}-06-01T00:00:00.000Z`), expiresAt: at(`${year}-06-01T00:00:00.000Z`) }));
    const boundary = sessionFixture({ authTime: at('1954-01-01T00:00:00.000Z'), expiresAt: now }); // not before now: kept
    const live = sessionFixture({ authTime: at('1954-06-01T00:00:00.000Z'), expiresAt: at('1955-06-01T00:00:00.000Z') });
    for (const session of [...expired, boundary, live]) await sessions().insertSession(session);
    t.is(await sessions().purgeSessions(now), 3);
    for (const session of expired) t.is(await sessions().findSession(session.secretHash), null);
    t.deepEqual(await sessions().findSession(boundary.secretHash), boundary);
    t.deepEqual(await sessions().findSession(live.secretHash), live);
    t.is(await sessions().purgeSessions(now), 0);
  });

  // ── Consent grants (OIDC Core §3.1.2.4) ──────────────────────────────────────────────────────

  consentGrantTest('saveConsentGrant stores a grant that findConsentGrant returns whole, nulls included', async (t) => {
    const client = await registeredClient();
    const grants = [consentGrantFixture(client.id), consentGrantFixture(client.id, { scope: null })];
    for (const grant of grants) await consentGrants().saveConsentGrant(grant);
    for (const grant of grants) t.deepEqual(await consentGrants().findConsentGrant(grant.userId, client.id), grant);
  });

  consentGrantAudienceTest('saveConsentGrant of a (user, client) that has one replaces its scope, audience and updatedAt, keeps its createdAt, and leaves one grant', async (t) => {
    const client = await registeredClient();
    const grant = consentGrantFixture(client.id, { audience: 'https://api.example/' });
    await consentGrants().saveConsentGrant(grant);
    const steps: ConsentGrantRecord[] = [
      { ...grant, scope: 'openid', audience: 'https://b.example/ https://a.example/', createdAt: at('2031-01-01T00:00:00.000Z'), updatedAt: at('2031-01-01T00:00:00.001Z') },
      { ...grant, scope: null, audience: null, createdAt: at('2032-01-01T00:00:00.000Z'), updatedAt: at('2032-01-01T00:00:00.002Z') },
    ];
    for (const step of steps) {
      await consentGrants().saveConsentGrant(step);
      t.deepEqual(await consentGrants().findConsentGrant(grant.userId, client.id), { ...step, createdAt: grant.createdAt });
    }
    t.is((await consentGrants().listConsentGrants({ userId: grant.userId })).length, 1);
  });

  consentGrantTest('saveConsentGrant of one (user, client) by 10 concurrent callers stores one grant, without an error', async (t) => {
    const client = await registeredClient();
    const userId = freshId('user');
    const saves = Array.from({ length: 10 }, (_, i) =>
      consentGrantFixture(client.id, { userId, scope: `openid s${i}`, updatedAt: new Date(Date.UTC(2030, 4, 1, 0, 0, 0, i + 1)) }),
    );
    await Promise.all(saves.map((grant) => consentGrants().saveConsentGrant(grant)));
    const listed = await consentGrants().listConsentGrants({ userId, clientId: client.id });
    t.is(listed.length, 1);
    t.true(saves.some((grant) => grant.scope === listed[0]?.scope && grant.updatedAt.getTime() === listed[0]?.updatedAt.getTime()), 'one of the saves, whole');
  });

  consentGrantTest('saveConsentGrant for an unknown client is refused and stores nothing', async (t) => {
    const grant = consentGrantFixture(freshId('missing'));
    t.true((await rejection(consentGrants().saveConsentGrant(grant))) instanceof Error);
    t.is(await consentGrants().findConsentGrant(grant.userId, grant.clientId), null);
  });

  consentGrantTest('findConsentGrant is null for an unknown user or client, and matches both ids exactly', async (t) => {
    const client = await registeredClient({ id: freshId('Client') });
    const grant = consentGrantFixture(client.id, { userId: freshId('User') });
    await consentGrants().saveConsentGrant(grant);
    t.is(await consentGrants().findConsentGrant(freshId('user'), client.id), null);
    t.is(await consentGrants().findConsentGrant(grant.userId, (await registeredClient()).id), null);
    for (const near of [`${grant.userId} `, grant.userId.toLowerCase()]) t.is(await consentGrants().findConsentGrant(near, client.id), null, JSON.stringify(near));
    for (const near of [`${client.id} `, client.id.toLowerCase()]) t.is(await consentGrants().findConsentGrant(grant.userId, near), null, JSON.stringify(near));
  });

  /** Two users' grants to two clients each, stored; ids share a prefix and sort alike everywhere. */
  async function grantMatrix() {
    const prefix = freshId('matrix');
    const clients = [await registeredClient({ id: `${prefix}-client-b` }), await registeredClient({ id: `${prefix}-client-a` })];
    const [bob, alice] = [`${prefix}-user-b`, `${prefix}-user-a`];
    const grants = [bob, alice].flatMap((userId) => clients.map((client) => consentGrantFixture(client.id, { userId })));
    for (const grant of grants) await consentGrants().saveConsentGrant(grant);
    const sorted = (list: ConsentGrantRecord[]) =>
      [...list].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
    return { prefix, clients, alice, bob, grants, sorted };
  }

  consentGrantTest('listConsentGrants returns the grants of a user, of a client, of both, or every grant, ordered by userId then clientId', async (t) => {
    const { prefix, clients, alice, grants, sorted } = await grantMatrix();
    const client = clients[0]!.id;
    t.deepEqual(await consentGrants().listConsentGrants({ userId: alice }), sorted(grants.filter((grant) => grant.userId === alice)));
    t.deepEqual(await consentGrants().listConsentGrants({ clientId: client }), sorted(grants.filter((grant) => grant.clientId === client)));
    t.deepEqual(await consentGrants().listConsentGrants({ userId: alice, clientId: client }), grants.filter((grant) => grant.userId === alice && grant.clientId === client));
    const every = (await consentGrants().listConsentGrants({})).filter((grant) => grant.userId.startsWith(prefix));
    t.deepEqual(every, sorted(grants));
    t.deepEqual(await consentGrants().listConsentGrants({ userId: `${alice} ` }), []);
  });

  consentGrantTest('deleteConsentGrants deletes the grants of a user at a client, of a client, or of a user, and only those, and says how many', async (t) => {
    const { clients, alice, bob, grants, sorted } = await grantMatrix();
    const [first, second] = [clients[0]!.id, clients[1]!.id];
    const left = () => consentGrants().listConsentGrants({ userId: alice }).then(async (mine) => sorted([...mine, ...(await consentGrants().listConsentGrants({ userId: bob }))]));
    t.is(await consentGrants().deleteConsentGrants({ userId: `${alice} `, clientId: first }), 0, 'ids match exactly');
    t.is(await consentGrants().deleteConsentGrants({ userId: alice, clientId: first }), 1);
    t.deepEqual(await left(), sorted(grants.filter((grant) => !(grant.userId === alice && grant.clientId === first))));
    t.is(await consentGrants().deleteConsentGrants({ clientId: second }), 2);
    t.deepEqual(await left(), grants.filter((grant) => grant.userId === bob && grant.clientId === first));
    t.is(await consentGrants().deleteConsentGrants({ userId: bob }), 1);
    t.deepEqual(await left(), []);
    t.is(await consentGrants().deleteConsentGrants({ userId: bob }), 0);
  });

  /** Whether each code is stored as it was, or spent at `spentAt` (`consumedAt` set to it). */
  const codeStates = async (codes: readonly AuthorizationCodeRecord[]) =>
    Promise.all(codes.map(async (code) => (await storage().findAuthorizationCode(code.codeHash))?.consumedAt?.toISOString() ?? null));

  consentGrantTest('OIDC Core §3.1.2.4 — consumeAuthorizationCodes sets consumedAt = now on the user\'s codes at the client that are unconsumed and unexpired, only those, and says how many', async (t) => {
    const [client, other] = [await registeredClient(), await registeredClient()];
    const userId = freshId('user');
    const now = at('2030-06-01T10:02:00.000Z');
    const earlier = at('2030-06-01T10:01:00.000Z');
    const pending = [codeFixture(client.id, { userId }), codeFixture(client.id, { userId })];
    const untouched = [
      codeFixture(client.id, { userId, consumedAt: earlier }),
      codeFixture(client.id, { userId, expiresAt: now }),
      codeFixture(client.id, { userId, expiresAt: at('2030-06-01T10:01:59.999Z') }),
      codeFixture(other.id, { userId }),
      codeFixture(client.id, { userId: freshId('user') }),
    ];
    for (const code of [...pending, ...untouched]) await storage().insertAuthorizationCode(code);
    t.is(await consentGrants().consumeAuthorizationCodes(userId, client.id, now), 2);
    t.deepEqual(await codeStates(pending), [now.toISOString(), now.toISOString()]);
    t.deepEqual(await codeStates(untouched), [earlier.toISOString(), null, null, null, null]);
    t.is(await consentGrants().consumeAuthorizationCodes(userId, client.id, at('2030-06-01T10:03:00.000Z')), 0, 'spent codes are not spent again');
    t.deepEqual(await codeStates(pending), [now.toISOString(), now.toISOString()]);
  });

  consentGrantTest('OIDC Core §3.1.2.4 — consumeAuthorizationCodes without a client spends the user\'s codes at every client, and no other user\'s', async (t) => {
    const clients = [await registeredClient(), await registeredClient()];
    const userId = freshId('user');
    const now = at('2030-06-01T10:02:00.000Z');
    const mine = clients.map((client) => codeFixture(client.id, { userId }));
    const theirs = clients.map((client) => codeFixture(client.id));
    for (const code of [...mine, ...theirs]) await storage().insertAuthorizationCode(code);
    t.is(await consentGrants().consumeAuthorizationCodes(userId, undefined, now), 2);
    t.deepEqual(await codeStates(mine), [now.toISOString(), now.toISOString()]);
    t.deepEqual(await codeStates(theirs), [null, null]);
  });

  consentGrantTest('consumeAuthorizationCodes matches the user and client ids exactly', async (t) => {
    const client = await registeredClient({ id: freshId('Client') });
    const userId = freshId('User');
    const code = codeFixture(client.id, { userId });
    await storage().insertAuthorizationCode(code);
    const now = at('2030-06-01T10:02:00.000Z');
    for (const near of [`${userId} `, userId.toLowerCase()]) {
      t.is(await consentGrants().consumeAuthorizationCodes(near, client.id, now), 0, JSON.stringify(near));
      t.is(await consentGrants().consumeAuthorizationCodes(near, undefined, now), 0, JSON.stringify(near));
    }
    for (const near of [`${client.id} `, client.id.toLowerCase()]) t.is(await consentGrants().consumeAuthorizationCodes(userId, near, now), 0, JSON.stringify(near));
    t.deepEqual(await codeStates([code]), [null]);
  });

  consentGrantTest('a consent grant goes with its client: deleteClient removes it', async (t) => {
    const client = await registeredClient();
    const grant = consentGrantFixture(client.id);
    await consentGrants().saveConsentGrant(grant);
    t.true(await storage().deleteClient(client.id));
    t.is(await consentGrants().findConsentGrant(grant.userId, client.id), null);
    t.deepEqual(await consentGrants().listConsentGrants({ clientId: client.id }), []);
    // A client registered again under the same id starts without the grant.
    await storage().insertClient(client);
    t.is(await consentGrants().findConsentGrant(grant.userId, client.id), null);
  });

  consentGrantAudienceTest('consent-grant values as long as their columns are stored whole: 128-character ids, 4000 characters of scope and of audience', async (t) => {
    const client = await registeredClient({ id: `${freshId('long')}-`.padEnd(128, 'c') });
    const scope = Array.from({ length: 400 }, (_, i) => `scope${String(i).padStart(4, '0')}`).join(' ').padEnd(4000, 'z');
    const audience = Array.from({ length: 7 }, (_, i) => `https://api${i}.example/`.padEnd(570, 'x')).join(' ').padEnd(4000, 'y');
    const grant = consentGrantFixture(client.id, { userId: `${freshId('user')}-\u00e9`.padEnd(128, 'u'), scope, audience });
    await consentGrants().saveConsentGrant(grant);
    t.deepEqual(await consentGrants().findConsentGrant(grant.userId, client.id), grant);
  });

  // ── Signing keys (serial: retire, purge and list act on every key; see the top of the file) ──

  /** The keys of `ids` among those listed at `now`, in the order listed. */
  const listedOf = async (now: Date, keys: readonly SigningKeyRecord[]) => {
    const ids = new Set(keys.map((key) => key.id));
    return (await signingKeys().listSigningKeys(now)).filter((key) => ids.has(key.id));
  };

  serialSigningKeyTest('insertSigningKey stores a key that listSigningKeys returns whole: a 2000-character public JWK, a long JWE, instants to the millisecond', async (t) => {
    const key = signingKeyFixture({
      publicJwk: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'x'.repeat(43), note: '\u00e9"\\' }).padEnd(2000, ' '),
      privateKeyEncrypted: `eyJ.${'p'.repeat(20_000)}`,
      activatesAt: at('2035-03-31T01:00:00.999Z'),
      retiresAt: at('2035-04-01T00:00:00.001Z'),
      expiresAt: at('2035-04-01T01:01:00.001Z'),
      createdAt: at('2035-03-30T23:59:59.999Z'),
    });
    await signingKeys().insertSigningKey(key);
    t.deepEqual(await listedOf(at('2035-03-01T00:00:00.000Z'), [key]), [key]);
  });

  serialSigningKeyTest('insertSigningKey rejects a taken id with DuplicateError(signing key) and keeps the key stored', async (t) => {
    const key = signingKeyFixture({ activatesAt: at('2034-01-01T00:00:00.000Z') });
    await signingKeys().insertSigningKey(key);
    const error = await rejection(signingKeys().insertSigningKey(signingKeyFixture({ id: key.id, alg: 'EdDSA' })));
    t.true(error instanceof DuplicateError);
    t.is((error as DuplicateError).entity, 'signing key');
    t.deepEqual(await listedOf(at('2034-01-01T00:00:00.000Z'), [key]), [key]);
  });

  serialSigningKeyTest('listSigningKeys returns the keys whose expiresAt is null or after now, ordered by activatesAt then id', async (t) => {
    const now = at('2033-06-01T12:00:00.000Z');
    const prefix = freshId('order');
    const [b, a, c] = ['b', 'a', 'c'].map((suffix) => signingKeyFixture({ id: `${prefix}-${suffix}`, activatesAt: at('2033-02-01T00:00:00.000Z') }));
    const earliest = signingKeyFixture({ activatesAt: at('2033-01-01T00:00:00.000Z'), retiresAt: at('2033-02-01T00:00:00.000Z'), expiresAt: at('2033-06-01T12:00:00.001Z') });
    const upcoming = signingKeyFixture({ activatesAt: at('2033-06-01T12:10:00.000Z') });
    const expiredNow = signingKeyFixture({ activatesAt: at('2032-12-01T00:00:00.000Z'), retiresAt: at('2033-01-01T00:00:00.000Z'), expiresAt: now });
    const expiredBefore = signingKeyFixture({ activatesAt: at('2032-11-01T00:00:00.000Z'), retiresAt: at('2032-12-01T00:00:00.000Z'), expiresAt: at('2033-05-01T00:00:00.000Z') });
    const keys = [upcoming, b!, expiredNow, a!, earliest, c!, expiredBefore];
    for (const key of keys) await signingKeys().insertSigningKey(key);
    t.deepEqual(await listedOf(now, keys), [earliest, a, b, c, upcoming]);
    t.deepEqual(await listedOf(at('2033-04-30T23:59:59.999Z'), keys), [expiredBefore, expiredNow, earliest, a, b, c, upcoming]);
  });

  serialSigningKeyTest('retireSigningKeys retires every key activated before the instant and not retired yet, in one call, and says how many', async (t) => {
    const boundary = at('1985-06-01T00:00:00.000Z');
    const [retiresAt, expiresAt] = [boundary, at('1985-06-01T01:01:00.000Z')];
    const current = signingKeyFixture({ activatesAt: at('1985-01-01T00:00:00.000Z') });
    const forgotten = signingKeyFixture({ activatesAt: at('1984-01-01T00:00:00.000Z') });
    const retired = signingKeyFixture({ activatesAt: at('1983-01-01T00:00:00.000Z'), retiresAt: at('1984-01-01T00:00:00.000Z'), expiresAt: at('1986-01-01T00:00:00.000Z') });
    const next = signingKeyFixture({ activatesAt: boundary });
    const later = signingKeyFixture({ activatesAt: at('1985-07-01T00:00:00.000Z') });
    const keys = [current, forgotten, retired, next, later];
    for (const key of keys) await signingKeys().insertSigningKey(key);
    t.is(await signingKeys().retireSigningKeys(boundary, retiresAt, expiresAt), 2);
    t.deepEqual(await listedOf(at('1980-01-01T00:00:00.000Z'), keys), [
      retired,
      { ...forgotten, retiresAt, expiresAt },
      { ...current, retiresAt, expiresAt },
      next,
      later,
    ]);
    t.is(await signingKeys().retireSigningKeys(boundary, at('1985-06-02T00:00:00.000Z'), at('1985-06-03T00:00:00.000Z')), 0, 'a retired key keeps its instants');
  });

  serialSigningKeyTest('retireSigningKeyById retires the key named, only when not retired yet, in one call, and says whether it did', async (t) => {
    const pending = signingKeyFixture({ activatesAt: at('2041-02-01T00:00:00.000Z') });
    const other = signingKeyFixture({ activatesAt: at('2041-03-01T00:00:00.000Z') });
    const [retiresAt, expiresAt] = [at('2041-01-01T00:00:00.000Z'), at('2041-01-01T00:01:00.000Z')];
    for (const key of [pending, other]) await signingKeys().insertSigningKey(key);
    t.true(await signingKeys().retireSigningKeyById(pending.id, retiresAt, expiresAt));
    t.false(await signingKeys().retireSigningKeyById(pending.id, at('2041-01-02T00:00:00.000Z'), at('2041-01-03T00:00:00.000Z')), 'a retired key keeps its instants');
    t.false(await signingKeys().retireSigningKeyById(freshId('key'), retiresAt, expiresAt), 'no key has that id');
    t.deepEqual(await listedOf(at('2040-01-01T00:00:00.000Z'), [pending, other]), [{ ...pending, retiresAt, expiresAt }, other]);
  });

  serialSigningKeyTest('purgeSigningKeys deletes the keys whose expiresAt is before now, and only those, and says how many', async (t) => {
    const now = at('1983-01-01T00:00:00.000Z');
    const gone = [1980, 1981, 1982].map((year) =>
      signingKeyFixture({ activatesAt: at(`${year - 2}-01-01T00:00:00.000Z`), retiresAt: at(`${year - 1}-01-01T00:00:00.000Z`), expiresAt: at(`${year}-06-01T00:00:00.000Z`) }),
    );
    const boundary = signingKeyFixture({ activatesAt: at('1979-01-01T00:00:00.000Z'), retiresAt: at('1980-01-01T00:00:00.000Z'), expiresAt: now });
    const published = signingKeyFixture({ activatesAt: at('1979-01-01T00:00:00.000Z'), retiresAt: at('1980-01-01T00:00:00.000Z'), expiresAt: at('1990-01-01T00:00:00.000Z') });
    const signing = signingKeyFixture({ activatesAt: at('1980-01-01T00:00:00.000Z') });
    const keys = [...gone, boundary, published, signing];
    for (const key of keys) await signingKeys().insertSigningKey(key);
    t.is(await signingKeys().purgeSigningKeys(now), 3);
    t.deepEqual(await listedOf(at('1970-01-01T00:00:00.000Z'), keys), [boundary, published, signing]);
    t.is(await signingKeys().purgeSigningKeys(now), 0);
  });

  // ── Fidelity ─────────────────────────────────────────────────────────────────────────────────

  test(title('timestamps round-trip to the millisecond as UTC instants'), async (t) => {
    const client = await registeredClient({
      createdAt: at('2024-02-29T23:59:59.999Z'),
      updatedAt: at('2038-01-19T03:14:08.001Z'),
    });
    const token = tokenFixture(client.id, {
      accessTokenExpiresAt: at('2030-03-31T01:00:00.999Z'), // a DST transition in Europe
      refreshTokenExpiresAt: at('2030-10-27T00:59:59.001Z'),
      expiresAt: at('2030-10-27T00:59:59.001Z'),
      revokedAt: at('1990-01-01T00:00:00.010Z'),
      createdAt: at('2000-01-01T00:00:00.100Z'),
    });
    await insertToken(token);
    const foundClient = await storage().findClient(client.id);
    const foundToken = await findAccessToken(token.accessTokenHash);
    const times = (dates: Array<Date | null | undefined>) => dates.map((date) => date?.toISOString());
    t.deepEqual(times([foundClient?.createdAt, foundClient?.updatedAt]), times([client.createdAt, client.updatedAt]));
    t.deepEqual(
      times([foundToken?.accessTokenExpiresAt, foundToken?.refreshTokenExpiresAt, foundToken?.expiresAt, foundToken?.revokedAt, foundToken?.createdAt]),
      times([token.accessTokenExpiresAt, token.refreshTokenExpiresAt, token.expiresAt, token.revokedAt, token.createdAt]),
    );
  });

  userStoreTest('SQL metacharacters, backslashes and non-ASCII text are stored verbatim', async (t) => {
    const nasty = `O'Brien "quoted" \\ back\\slash; -- comment /* c */ %_ $1 ? :name \u00e9\u4e2d\u{1F510}`;
    const scope = `${freshId('scope')}:'%_\\`;
    const client = await registeredClient({
      id: freshId(`c'%_\\"`),
      name: nasty,
      redirectUris: [`https://app.example/cb?q=${encodeURIComponent(nasty)}&x='1'`],
      scopes: [scope],
    });
    const user = userFixture({ username: `${freshId('u')}'; DROP TABLE oauth_users; --`, passwordHash: nasty });
    await users().insertUser(user);
    t.deepEqual(comparable(await storage().findClient(client.id)), comparable(client));
    t.deepEqual(await users().findUserByUsername(user.username), user);
    t.is(await storage().findClient(`${client.id.slice(0, -3)}%`), null);
  });

  test(title('values as long as their columns are stored whole'), async (t) => {
    const client = await registeredClient({
      id: `${freshId('long')}-`.padEnd(128, 'i'),
      name: 'n'.repeat(254) + '\u00e9',
      redirectUris: [`https://app.example/${'p'.repeat(1980)}`],
    });
    const scope = Array.from({ length: 400 }, (_, i) => `scope${String(i).padStart(4, '0')}`).join(' ').padEnd(4000, 'z');
    const token = tokenFixture(client.id, { scope });
    await insertToken(token);
    t.deepEqual(comparable(await storage().findClient(client.id)), comparable(client));
    t.is((await findAccessToken(token.accessTokenHash))?.scope, token.scope);
    await storage().upsertScopes([{ name: freshId('scope').padEnd(128, 's'), description: 'd'.repeat(1000) }], at('2030-01-01T00:00:00Z'));
    t.true((await storage().listScopes()).some((scope) => scope.description === 'd'.repeat(1000)));
  });

  // ── Housekeeping (serial: they purge every expired row, in the 1970s no other test uses) ─────

  test.serial(title('purgeExpiredBatch deletes at most `limit` expired tokens per call, and only expired ones'), async (t) => {
    const client = await registeredClient();
    const now = at('1975-01-01T00:00:00.000Z');
    const expired = Array.from({ length: 5 }, (_, i) =>
      tokenFixture(client.id, { expiresAt: new Date(Date.UTC(1974, 0, 1 + i)), createdAt: at('1973-01-01T00:00:00Z') }),
    );
    const boundary = tokenFixture(client.id, { expiresAt: now }); // not before now: kept
    const live = tokenFixture(client.id);
    for (const token of [...expired, boundary, live]) await insertToken(token);
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push((await storage().purgeExpiredBatch(now, 2)).tokens);
    t.deepEqual(counts, [2, 2, 1, 0]);
    for (const token of expired) t.is(await findAccessToken(token.accessTokenHash), null);
    t.is((await findAccessToken(boundary.accessTokenHash))?.id, boundary.id);
    t.is((await findAccessToken(live.accessTokenHash))?.id, live.id);
  });

  test.serial(title('purgeExpiredBatch deletes at most `limit` expired authorization codes per call, and only expired ones'), async (t) => {
    const client = await registeredClient();
    const now = at('1977-01-01T00:00:00.000Z');
    const expired = Array.from({ length: 3 }, (_, i) =>
      codeFixture(client.id, { expiresAt: new Date(Date.UTC(1976, 0, 1 + i)), createdAt: at('1976-01-01T00:00:00Z') }),
    );
    const boundary = codeFixture(client.id, { expiresAt: now });
    for (const code of [...expired, boundary]) await storage().insertAuthorizationCode(code);
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push((await storage().purgeExpiredBatch(now, 2)).codes);
    t.deepEqual(counts, [2, 1, 0]);
    for (const code of expired) t.is(await storage().findAuthorizationCode(code.codeHash), null);
    t.deepEqual(await storage().findAuthorizationCode(boundary.codeHash), boundary);
  });

  serialAttemptCounterTest('purgeAttemptCounters deletes at most `limit` expired counters per call, and only expired ones', async (t) => {
    const now = at('1979-01-01T00:00:00.000Z');
    const longAgo = at('1970-01-01T00:00:00.000Z');
    const expired = Array.from({ length: 5 }, () => digest());
    for (const [i, key] of expired.entries()) {
      await counters().addToAttemptCounter(key, 1, new Date(Date.UTC(1978, 0, 1 + i)), false, longAgo);
    }
    const [boundary, live] = [digest(), digest()];
    await counters().addToAttemptCounter(boundary, 1, now, false, longAgo); // not before now: kept
    await counters().addToAttemptCounter(live, 1, at('2030-01-01T00:00:00.000Z'), false, longAgo);
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await counters().purgeAttemptCounters(now, 2));
    t.deepEqual(counts, [2, 2, 1, 0]);
    // Asked as of long ago, a counter still stored is live: only the purged ones are null.
    for (const key of expired) t.is(await counters().findAttemptCounter(key, longAgo), null);
    t.is((await counters().findAttemptCounter(boundary, longAgo))?.points, 1);
    t.is((await counters().findAttemptCounter(live, longAgo))?.points, 1);
  });

  // ── Round trips (serial, so that only the call under test is counted) ────────────────────────

  const oneStatement: Record<string, (client: ClientRecord) => Promise<() => Promise<unknown>>> = {
    findClient: async (client) => () => storage().findClient(client.id),
    findAccessTokens: async (client) => {
      const token = tokenFixture(client.id);
      await insertToken(token);
      return () => findAccessToken(token.accessTokenHash);
    },
    findRefreshTokens: async (client) => {
      const token = tokenFixture(client.id);
      await insertToken(token);
      return () => findRefreshToken(token.refreshTokenHash!);
    },
    findAuthorizationCode: async (client) => {
      const code = codeFixture(client.id);
      await storage().insertAuthorizationCode(code);
      return () => storage().findAuthorizationCode(code.codeHash);
    },
    insertTokens: async (client) => () => insertToken(tokenFixture(client.id)),
    insertAuthorizationCode: async (client) => () => storage().insertAuthorizationCode(codeFixture(client.id)),
    claimToken: async (client) => {
      const token = tokenFixture(client.id);
      await insertToken(token);
      return () => storage().claimToken(token.id, at('2030-06-02T00:00:00Z'));
    },
    consumeAuthorizationCode: async (client) => {
      const code = codeFixture(client.id);
      await storage().insertAuthorizationCode(code);
      return () => storage().consumeAuthorizationCode(code.id, at('2030-06-01T10:01:00Z'));
    },
  };

  /** The resource port's calls, each one statement as well: `findResources` whatever the number of ids. */
  const oneResourceStatement: Record<string, () => Promise<() => Promise<unknown>>> = {
    'findResources of several ids': async () => {
      const saved = [resourceFixture(), resourceFixture(), resourceFixture()];
      for (const resource of saved) await resources().saveResource(resource);
      return () => resources().findResources([...saved.map((resource) => resource.id), `https://${freshId('unknown')}.example/`]);
    },
    'saveResource of a new id': async () => () => resources().saveResource(resourceFixture()),
    'saveResource of a registered id': async () => {
      const resource = resourceFixture();
      await resources().saveResource(resource);
      return () => resources().saveResource({ ...resource, name: 'Renamed', updatedAt: at('2031-01-01T00:00:00.000Z') });
    },
    deleteResource: async () => {
      const resource = resourceFixture();
      await resources().saveResource(resource);
      return () => resources().deleteResource(resource.id);
    },
    listResources: async () => () => resources().listResources(),
  };

  /** The client-registration port's calls that are one statement on every storage (not the purge). */
  const oneRegistrationStatement: Record<string, (client: ClientRecord) => Promise<() => Promise<unknown>>> = {
    findClientRegistration: async (client) => {
      await registrations().saveClientRegistration(registrationFixture(client.id));
      return () => registrations().findClientRegistration(client.id);
    },
    'saveClientRegistration of a new registration': async (client) => () => registrations().saveClientRegistration(registrationFixture(client.id)),
    'saveClientRegistration replacing one': async (client) => {
      await registrations().saveClientRegistration(registrationFixture(client.id));
      return () => registrations().saveClientRegistration(registrationFixture(client.id, { metadata: '{}', updatedAt: at('2031-01-01T00:00:00.000Z') }));
    },
    touchClientRegistration: async (client) => {
      await registrations().saveClientRegistration(registrationFixture(client.id));
      return () => registrations().touchClientRegistration(client.id, at('2030-06-01T00:00:00.000Z'), at('2030-05-31T00:00:00.000Z'));
    },
  };

  /** The signing-key port's calls, each one statement; in eras of their own (see the top of the file). */
  const oneSigningKeyStatement: Record<string, () => Promise<() => Promise<unknown>>> = {
    listSigningKeys: async () => () => signingKeys().listSigningKeys(at('1950-01-01T00:00:00.000Z')),
    insertSigningKey: async () => () => signingKeys().insertSigningKey(signingKeyFixture({ activatesAt: at('1951-01-01T00:00:00.000Z') })),
    retireSigningKeys: async () => {
      await signingKeys().insertSigningKey(signingKeyFixture({ activatesAt: at('1940-01-01T00:00:00.000Z') }));
      return () => signingKeys().retireSigningKeys(at('1940-01-01T00:00:00.001Z'), at('1940-01-01T00:00:00.001Z'), at('1940-01-01T01:00:00.000Z'));
    },
    retireSigningKeyById: async () => {
      const key = signingKeyFixture({ activatesAt: at('1952-01-01T00:00:00.000Z') });
      await signingKeys().insertSigningKey(key);
      return () => signingKeys().retireSigningKeyById(key.id, at('1952-01-01T00:00:00.000Z'), at('1952-01-01T01:00:00.000Z'));
    },
    purgeSigningKeys: async () => () => signingKeys().purgeSigningKeys(at('1940-01-01T00:00:00.000Z')),
  };

  /** The session port's calls, each one statement. */
  const oneSessionStatement: Record<string, () => Promise<() => Promise<unknown>>> = {
    insertSession: async () => () => sessions().insertSession(sessionFixture()),
    findSession: async () => {
      const session = sessionFixture();
      await sessions().insertSession(session);
      return () => sessions().findSession(session.secretHash);
    },
    deleteSession: async () => {
      const session = sessionFixture();
      await sessions().insertSession(session);
      return () => sessions().deleteSession(session.id);
    },
    deleteUserSessions: async () => {
      const userId = freshId('user');
      for (let i = 0; i < 3; i += 1) await sessions().insertSession(sessionFixture({ userId }));
      return () => sessions().deleteUserSessions(userId);
    },
    // The 1940s: nothing to purge, and no session another test keeps.
    purgeSessions: async () => () => sessions().purgeSessions(at('1940-01-01T00:00:00.000Z')),
  };

  /** The consent-grant port's calls, each one statement: the save is one upsert, new or not. */
  const oneConsentGrantStatement: Record<string, (client: ClientRecord) => Promise<() => Promise<unknown>>> = {
    findConsentGrant: async (client) => {
      const grant = consentGrantFixture(client.id);
      await consentGrants().saveConsentGrant(grant);
      return () => consentGrants().findConsentGrant(grant.userId, client.id);
    },
    'saveConsentGrant of a new grant': async (client) => () => consentGrants().saveConsentGrant(consentGrantFixture(client.id)),
    'saveConsentGrant replacing one': async (client) => {
      const grant = consentGrantFixture(client.id);
      await consentGrants().saveConsentGrant(grant);
      return () => consentGrants().saveConsentGrant({ ...grant, scope: 'openid', updatedAt: at('2031-01-01T00:00:00.000Z') });
    },
    deleteConsentGrants: async (client) => {
      for (let i = 0; i < 2; i += 1) await consentGrants().saveConsentGrant(consentGrantFixture(client.id));
      return () => consentGrants().deleteConsentGrants({ clientId: client.id });
    },
    listConsentGrants: async (client) => {
      for (let i = 0; i < 2; i += 1) await consentGrants().saveConsentGrant(consentGrantFixture(client.id));
      return () => consentGrants().listConsentGrants({ clientId: client.id });
    },
    consumeAuthorizationCodes: async (client) => {
      const userId = freshId('user');
      for (let i = 0; i < 2; i += 1) await storage().insertAuthorizationCode(codeFixture(client.id, { userId }));
      return () => consentGrants().consumeAuthorizationCodes(userId, client.id, at('2030-06-01T10:01:00.000Z'));
    },
  };

  const roundTripCases = [
    ...Object.entries(oneStatement),
    ...Object.entries(oneResourceStatement).map(([method, prepare]) => [method, prepare, 'resources'] as const),
    ...Object.entries(oneRegistrationStatement).map(([method, prepare]) => [method, prepare, 'clientRegistrations'] as const),
    ...Object.entries(oneSigningKeyStatement).map(([method, prepare]) => [method, prepare, 'signingKeys'] as const),
    ...Object.entries(oneSessionStatement).map(([method, prepare]) => [method, prepare, 'sessions'] as const),
    ...Object.entries(oneConsentGrantStatement).map(([method, prepare]) => [method, prepare, 'consentGrants'] as const),
  ];
  for (const [method, prepare, port] of roundTripCases) {
    const rule = `${method} is one round trip`;
    if (options.countsQueries === false) {
      test.serial.skip(title(`${rule} (not checked: the storage counts no statements)`), async () => {});
      continue;
    }
    if (port === 'resources' && options.resources === false) {
      test.serial.skip(title(`${rule} (no resource port)`), async () => {});
      continue;
    }
    if (port === 'clientRegistrations' && options.clientRegistrations === false) {
      test.serial.skip(title(`${rule} (no client-registration port)`), async () => {});
      continue;
    }
    if (port === 'signingKeys' && options.signingKeys === false) {
      test.serial.skip(title(`${rule} (no signing-key port)`), async () => {});
      continue;
    }
    if (port === 'sessions' && options.sessions === false) {
      test.serial.skip(title(`${rule} (no session port)`), async () => {});
      continue;
    }
    if (port === 'consentGrants' && options.consentGrants === false) {
      test.serial.skip(title(`${rule} (no consent-grant port)`), async () => {});
      continue;
    }
    test.serial(title(rule), async (t) => {
      const count = subject?.countQueries;
      if (!count) throw new Error('setup returned no countQueries(): return one, or pass countsQueries: false to skip these tests');
      const client = await registeredClient({ scopes: [freshId('scope')] });
      const call = await prepare(client);
      const before = count();
      await call();
      t.is(count() - before, 1);
    });
  }
}
