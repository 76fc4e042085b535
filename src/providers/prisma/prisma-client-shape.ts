/**
 * The part of a Prisma client that the storage uses, described structurally so that the library never
 * imports a generated client: any client generated from a schema that includes `prisma/oauth.prisma`
 * is assignable to {@link OAuthPrismaClient} as it is, without a cast.
 *
 * Each delegate lists only the calls the storage makes, with the arguments it passes and the rows it
 * reads back, so a schema whose OAuth models drift from the shipped fragment fails to typecheck here
 * rather than at run time.
 */

/** A pending Prisma query. Prisma's own `PrismaPromise` is a `Promise`, so it satisfies this. */
export type PrismaQuery<T> = PromiseLike<T>;

/** What `updateMany`/`deleteMany`/`createMany` resolve to. */
export interface PrismaBatchResult {
  count: number;
}

/** Sort direction, as Prisma spells it. */
type Ascending = 'asc';

// ── Clients ─────────────────────────────────────────────────────────────────────────────────────

/** The columns of `oauth_clients` the storage reads and writes. */
export interface PrismaOAuthClientColumns {
  id: string;
  name: string;
  secretHash: string | null;
  accessTokenLifetime: number | null;
  refreshTokenLifetime: number | null;
  authorizationCodeLifetime: number | null;
  requirePkce: boolean;
  allowPlainPkce: boolean;
  /** Space-delimited default scope; null for none. */
  defaultScope: string | null;
  allowIntrospection: boolean;
  /** Space-delimited post-logout redirect URIs (OpenID Connect RP-Initiated Logout §3); null for none. */
  postLogoutRedirectUris: string | null;
  idTokenSignedResponseAlg: string | null;
  /** `public` or `pairwise` (OIDC Core §8); free text in the database. */
  subjectType: string;
  sectorIdentifier: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The relations `listClients` reads with each client; Prisma loads them in the same statement with `relationJoins`. */
export interface PrismaOAuthClientInclude {
  grants: { select: { grantType: true }; orderBy: { grantType: Ascending } };
  redirectUris: { select: { redirectUri: true }; orderBy: { position: Ascending } };
  scopes: { select: { scope: true }; orderBy: { scope: Ascending } };
}

/** A client row with its grants, redirect URIs and scopes, as {@link PrismaOAuthClientInclude} loads it. */
export interface PrismaOAuthClientRow extends PrismaOAuthClientColumns {
  grants: Array<{ grantType: string }>;
  redirectUris: Array<{ redirectUri: string }>;
  scopes: Array<{ scope: string }>;
}

/** Fields of `oauth_clients` that `updateClient` may set. */
export type PrismaOAuthClientUpdate = Partial<Omit<PrismaOAuthClientColumns, 'id' | 'createdAt'>>;

/** The `oAuthClient` delegate. */
export interface OAuthClientDelegate {
  findMany(args: { orderBy: { id: Ascending }; include: PrismaOAuthClientInclude }): PrismaQuery<PrismaOAuthClientRow[]>;
  create(args: { data: PrismaOAuthClientColumns; select: { id: true } }): PrismaQuery<{ id: string }>;
  updateMany(args: { where: { id: string }; data: PrismaOAuthClientUpdate }): PrismaQuery<PrismaBatchResult>;
  /** By id (`deleteClient`), or a batch of unused self-registered clients (`purgeUnusedClients`). */
  deleteMany(args: {
    where: { id: string } | { id: { in: string[] }; registration: { is: PrismaUnusedRegistrationFilter } };
  }): PrismaQuery<PrismaBatchResult>;
}

/** The `oAuthClientGrant` delegate. */
export interface OAuthClientGrantDelegate {
  createMany(args: { data: Array<{ clientId: string; grantType: string }> }): PrismaQuery<PrismaBatchResult>;
  deleteMany(args: { where: { clientId: string } }): PrismaQuery<PrismaBatchResult>;
}

/** The `oAuthClientRedirectUri` delegate. */
export interface OAuthClientRedirectUriDelegate {
  createMany(args: {
    data: Array<{ clientId: string; position: number; redirectUri: string }>;
  }): PrismaQuery<PrismaBatchResult>;
  deleteMany(args: { where: { clientId: string } }): PrismaQuery<PrismaBatchResult>;
}

/** The `oAuthClientScope` delegate. */
export interface OAuthClientScopeDelegate {
  createMany(args: { data: Array<{ clientId: string; scope: string }> }): PrismaQuery<PrismaBatchResult>;
  deleteMany(args: { where: { clientId: string } }): PrismaQuery<PrismaBatchResult>;
}

// ── Scopes ──────────────────────────────────────────────────────────────────────────────────────

/** A row of `oauth_scopes`. */
export interface PrismaScopeRow {
  name: string;
  description: string | null;
  createdAt: Date;
}

/** The `oAuthScope` delegate. */
export interface OAuthScopeDelegate {
  /** `where` narrows the list to names after a foreign-key violation, to say which were missing. */
  findMany(args: { where?: { name: { in: string[] } }; orderBy: { name: Ascending } }): PrismaQuery<PrismaScopeRow[]>;
  upsert(args: {
    where: { name: string };
    create: PrismaScopeRow;
    update: { description: string | null };
    select: { name: true };
  }): PrismaQuery<{ name: string }>;
  deleteMany(args: { where: { name: string } }): PrismaQuery<PrismaBatchResult>;
}

// ── Tokens ──────────────────────────────────────────────────────────────────────────────────────

/** A row of `oauth_tokens`. */
export interface PrismaTokenRow {
  id: string;
  accessTokenHash: string;
  accessTokenExpiresAt: Date;
  refreshTokenHash: string | null;
  refreshTokenExpiresAt: Date | null;
  scope: string | null;
  /** Space-delimited resource identifiers (RFC 8707); null for none. */
  audience: string | null;
  clientId: string;
  userId: string | null;
  familyId: string;
  authorizationCodeId: string | null;
  revokedAt: Date | null;
  /** The authentication the grant began with (OIDC Core §12.2); null members when unknown. */
  authTime: Date | null;
  acr: string | null;
  amr: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/**
 * Which tokens a revocation touches: never-revoked ones matching one key, or a user and a client
 * together. Every key is optional in the type (Prisma's own `where` is); the storage always sets
 * one of those.
 */
export interface PrismaTokenRevocationFilter {
  id?: string;
  familyId?: string;
  clientId?: string;
  userId?: string;
  authorizationCodeId?: string;
  revokedAt: null;
}

/** The `oAuthToken` delegate. */
export interface OAuthTokenDelegate {
  create(args: { data: PrismaTokenRow; select: { id: true } }): PrismaQuery<{ id: string }>;
  createMany(args: { data: PrismaTokenRow[] }): PrismaQuery<PrismaBatchResult>;
  updateMany(args: { where: PrismaTokenRevocationFilter; data: { revokedAt: Date } }): PrismaQuery<PrismaBatchResult>;
  findMany(args: {
    where: { expiresAt: { lt: Date } };
    select: { id: true };
    orderBy: { expiresAt: Ascending };
    take: number;
  }): PrismaQuery<Array<{ id: string }>>;
  deleteMany(args: { where: { id: { in: string[] } } }): PrismaQuery<PrismaBatchResult>;
}

// ── Authorization codes ─────────────────────────────────────────────────────────────────────────

/** A row of `oauth_authorization_codes`; the challenge method is free text in the database. */
export interface PrismaAuthorizationCodeRow {
  id: string;
  codeHash: string;
  clientId: string;
  userId: string;
  redirectUri: string | null;
  scope: string | null;
  /** Space-delimited resource identifiers (RFC 8707); null for none. */
  audience: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  /** The authorization request's `nonce` (OIDC Core §3.1.2.1). */
  nonce: string | null;
  /** The authentication behind the approval (OIDC Core §2); null members when unknown. */
  authTime: Date | null;
  acr: string | null;
  amr: string | null;
  expiresAt: Date;
  consumedAt: Date | null;
  createdAt: Date;
}

/** The `oAuthAuthorizationCode` delegate. */
export interface OAuthAuthorizationCodeDelegate {
  create(args: { data: PrismaAuthorizationCodeRow; select: { id: true } }): PrismaQuery<{ id: string }>;
  findUnique(args: { where: { codeHash: string } }): PrismaQuery<PrismaAuthorizationCodeRow | null>;
  updateMany(args: {
    where: { id: string; consumedAt: null } | { userId: string; clientId?: string; consumedAt: null; expiresAt: { gt: Date } };
    data: { consumedAt: Date };
  }): PrismaQuery<PrismaBatchResult>;
  findMany(args: {
    where: { expiresAt: { lt: Date } };
    select: { id: true };
    orderBy: { expiresAt: Ascending };
    take: number;
  }): PrismaQuery<Array<{ id: string }>>;
  deleteMany(args: { where: { id: { in: string[] } } }): PrismaQuery<PrismaBatchResult>;
}

// ── Users ───────────────────────────────────────────────────────────────────────────────────────

/** A row of `oauth_users`. */
export interface PrismaUserRow {
  id: string;
  username: string;
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The `oAuthUser` delegate. */
export interface OAuthUserDelegate {
  create(args: { data: PrismaUserRow; select: { id: true } }): PrismaQuery<{ id: string }>;
  findUnique(args: { where: { id: string } | { username: string } }): PrismaQuery<PrismaUserRow | null>;
  findMany(args: { orderBy: { username: Ascending } }): PrismaQuery<PrismaUserRow[]>;
  updateMany(args: {
    where: { id: string; passwordHash?: string };
    data: { passwordHash: string; updatedAt: Date };
  }): PrismaQuery<PrismaBatchResult>;
  deleteMany(args: { where: { id: string } }): PrismaQuery<PrismaBatchResult>;
}

// ── Resources ───────────────────────────────────────────────────────────────────────────────────

/** A row of `oauth_resources`. */
export interface PrismaResourceRow {
  id: string;
  name: string;
  /** Space-delimited scopes; null for none (any scope). */
  scope: string | null;
  accessTokenLifetime: number | null;
  /** `opaque` or `jwt`. */
  tokenFormat: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The `oAuthResource` delegate. */
export interface OAuthResourceDelegate {
  /** `where` for the lookup of some, `orderBy` for the list of all. */
  findMany(args: { where?: { id: { in: string[] } }; orderBy?: { id: Ascending } }): PrismaQuery<PrismaResourceRow[]>;
  upsert(args: {
    where: { id: string };
    create: PrismaResourceRow;
    update: Omit<PrismaResourceRow, 'id' | 'createdAt'>;
    select: { id: true };
  }): PrismaQuery<{ id: string }>;
  deleteMany(args: { where: { id: string } }): PrismaQuery<PrismaBatchResult>;
}

// ── Client registrations ────────────────────────────────────────────────────────────────────────

/** A row of `oauth_client_registrations`; the kind is free text in the database. */
export interface PrismaClientRegistrationRow {
  clientId: string;
  /** `dynamic` or `metadata_document`. */
  kind: string;
  accessTokenHash: string | null;
  /** The client metadata, serialised JSON. */
  metadata: string;
  lastUsedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Registrations of one kind unused since an instant: last used before it, or never and created before it. */
export interface PrismaUnusedRegistrationFilter {
  kind: string;
  OR: [{ lastUsedAt: { lt: Date } }, { lastUsedAt: null; createdAt: { lt: Date } }];
}

/** The `oAuthClientRegistration` delegate. */
export interface OAuthClientRegistrationDelegate {
  findUnique(args: { where: { clientId: string } }): PrismaQuery<PrismaClientRegistrationRow | null>;
  upsert(args: {
    where: { clientId: string };
    create: PrismaClientRegistrationRow;
    /** `lastUsedAt` only moves forward, which an upsert cannot decide: it is set apart (updateMany). */
    update: Omit<PrismaClientRegistrationRow, 'clientId' | 'createdAt' | 'lastUsedAt'>;
    select: { clientId: true };
  }): PrismaQuery<{ clientId: string }>;
  updateMany(args: {
    where: { clientId: string; OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: Date } }] };
    data: { lastUsedAt: Date };
  }): PrismaQuery<PrismaBatchResult>;
  findMany(args: {
    where: PrismaUnusedRegistrationFilter;
    select: { clientId: true };
    take: number;
  }): PrismaQuery<Array<{ clientId: string }>>;
}

// ── Attempt counters ────────────────────────────────────────────────────────────────────────────

/** A row of `oauth_attempt_counters`. */
export interface PrismaAttemptCounterRow {
  key: string;
  points: number;
  expiresAt: Date;
}

/** The `oAuthAttemptCounter` delegate (adding to a counter is raw SQL: see `prisma-attempt-counters.ts`). */
export interface OAuthAttemptCounterDelegate {
  findUnique(args: { where: { key: string } }): PrismaQuery<PrismaAttemptCounterRow | null>;
  findMany(args: {
    where: { expiresAt: { lt: Date } };
    select: { key: true };
    orderBy: { expiresAt: Ascending };
    take: number;
  }): PrismaQuery<Array<{ key: string }>>;
  deleteMany(args: { where: { key: string } | { key: { in: string[] }; expiresAt: { lt: Date } } }): PrismaQuery<PrismaBatchResult>;
}

// ── Signing keys ────────────────────────────────────────────────────────────────────────────────

/** A row of `oauth_signing_keys`. */
export interface PrismaSigningKeyRow {
  id: string;
  alg: string;
  /** The public JWK, serialised JSON. */
  publicJwk: string;
  /** The private key as a compact JWE under the operator's key. */
  privateKeyEncrypted: string;
  activatesAt: Date;
  retiresAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
}

/** The `oAuthSigningKey` delegate. */
export interface OAuthSigningKeyDelegate {
  findMany(args: {
    where: { OR: [{ expiresAt: null }, { expiresAt: { gt: Date } }] };
    orderBy: [{ activatesAt: Ascending }, { id: Ascending }];
  }): PrismaQuery<PrismaSigningKeyRow[]>;
  create(args: { data: PrismaSigningKeyRow; select: { id: true } }): PrismaQuery<{ id: string }>;
  updateMany(args: {
    where: { activatesAt: { lt: Date }; retiresAt: null } | { id: string; retiresAt: null };
    data: { retiresAt: Date; expiresAt: Date };
  }): PrismaQuery<PrismaBatchResult>;
  deleteMany(args: { where: { expiresAt: { lt: Date } } }): PrismaQuery<PrismaBatchResult>;
}

// ── Sessions ────────────────────────────────────────────────────────────────────────────────────

/** A row of `oauth_sessions`. */
export interface PrismaSessionRow {
  id: string;
  /** Hex SHA-256 of the cookie's secret. */
  secretHash: string;
  userId: string;
  authTime: Date;
  acr: string | null;
  amr: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/** The `oAuthSession` delegate. */
export interface OAuthSessionDelegate {
  create(args: { data: PrismaSessionRow; select: { id: true } }): PrismaQuery<{ id: string }>;
  findUnique(args: { where: { secretHash: string } }): PrismaQuery<PrismaSessionRow | null>;
  deleteMany(args: { where: { id: string } | { userId: string } | { expiresAt: { lt: Date } } }): PrismaQuery<PrismaBatchResult>;
}

// ── Consent grants ──────────────────────────────────────────────────────────────────────────────

/** A row of `oauth_consent_grants`. */
export interface PrismaConsentGrantRow {
  userId: string;
  clientId: string;
  /** Space-delimited scopes; null for none. */
  scope: string | null;
  /** Space-delimited resource identifiers (RFC 8707); null for none. */
  audience: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The grants a deletion or a listing names; every key is optional in the type, as Prisma's `where` is. */
export interface PrismaConsentGrantFilter {
  userId?: string;
  clientId?: string;
}

/** The `oAuthConsentGrant` delegate. */
export interface OAuthConsentGrantDelegate {
  findUnique(args: { where: { userId_clientId: { userId: string; clientId: string } } }): PrismaQuery<PrismaConsentGrantRow | null>;
  upsert(args: {
    where: { userId_clientId: { userId: string; clientId: string } };
    create: PrismaConsentGrantRow;
    update: Pick<PrismaConsentGrantRow, 'scope' | 'audience' | 'updatedAt'>;
    select: { userId: true };
  }): PrismaQuery<{ userId: string }>;
  deleteMany(args: { where: PrismaConsentGrantFilter }): PrismaQuery<PrismaBatchResult>;
  findMany(args: {
    where: PrismaConsentGrantFilter;
    orderBy: [{ userId: Ascending }, { clientId: Ascending }];
  }): PrismaQuery<PrismaConsentGrantRow[]>;
}

// ── The client ──────────────────────────────────────────────────────────────────────────────────

/** The model delegates: what both the client and an interactive-transaction client offer. */
export interface OAuthPrismaDelegates {
  oAuthClient: OAuthClientDelegate;
  oAuthClientGrant: OAuthClientGrantDelegate;
  oAuthClientRedirectUri: OAuthClientRedirectUriDelegate;
  oAuthClientScope: OAuthClientScopeDelegate;
  oAuthScope: OAuthScopeDelegate;
  oAuthToken: OAuthTokenDelegate;
  oAuthAuthorizationCode: OAuthAuthorizationCodeDelegate;
  oAuthUser: OAuthUserDelegate;
  oAuthAttemptCounter: OAuthAttemptCounterDelegate;
  oAuthSigningKey: OAuthSigningKeyDelegate;
  oAuthSession: OAuthSessionDelegate;
  oAuthConsentGrant: OAuthConsentGrantDelegate;
  oAuthResource: OAuthResourceDelegate;
  oAuthClientRegistration: OAuthClientRegistrationDelegate;
}

/** Tagged-template raw SQL, which both the client and an interactive-transaction client offer. */
export interface PrismaRawSql {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): PrismaQuery<T>;
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PrismaQuery<number>;
}

/** What an interactive transaction hands its function. */
export type OAuthPrismaTransaction = OAuthPrismaDelegates & PrismaRawSql;

/** Options of an interactive transaction, in milliseconds (Prisma's defaults: 2000 and 5000). */
export interface PrismaTransactionOptions {
  maxWait?: number;
  timeout?: number;
}

/**
 * What `OAuthPrismaProvider` needs of a Prisma 7 client: the OAuth model delegates, interactive
 * transactions, and tagged-template `$queryRaw`/`$executeRaw` (for the token lookups, which join a
 * table Prisma has no relation to, and for the atomic add to an attempt counter; see
 * `PrismaStorage`).
 *
 * Pass the `PrismaClient` generated from your schema; it satisfies this type as it is.
 */
export interface OAuthPrismaClient extends OAuthPrismaDelegates, PrismaRawSql {
  $transaction<R>(fn: (tx: OAuthPrismaTransaction) => Promise<R>, options?: PrismaTransactionOptions): Promise<R>;
}
