/**
 * OAuth clients over Prisma: `oauth_clients` and its child tables (grants, redirect URIs, scopes).
 */
import { DuplicateError, UnknownScopeError } from '../../core/index.js';
import type { ClientPatch, ClientRecord, GrantType, SubjectType } from '../../core/index.js';
import type {
  OAuthPrismaClient,
  OAuthPrismaDelegates,
  PrismaOAuthClientColumns,
  PrismaOAuthClientInclude,
  PrismaOAuthClientRow,
  PrismaOAuthClientUpdate,
  PrismaRawSql,
} from './prisma-client-shape.js';
import { FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, isPrismaError } from './prisma-errors.js';
import { instantOf } from './prisma-instants.js';

/**
 * Children in a stable order: redirect URIs as registered, grants and scopes by name (they are sets;
 * sorting keeps results comparable across providers and reads).
 */
const include: PrismaOAuthClientInclude = {
  grants: { select: { grantType: true }, orderBy: { grantType: 'asc' } },
  redirectUris: { select: { redirectUri: true }, orderBy: { position: 'asc' } },
  scopes: { select: { scope: true }, orderBy: { scope: 'asc' } },
};

const GRANT_TYPES: ReadonlySet<string> = new Set<GrantType>([
  'authorization_code',
  'client_credentials',
  'password',
  'refresh_token',
]);

function isGrantType(value: string): value is GrantType {
  return GRANT_TYPES.has(value);
}

/**
 * The stored subject type, checked (OIDC Core §8). Any other value can only come from a damaged
 * row, and reading it as `public` would tell a pairwise client the user's own id, so the read fails.
 */
function subjectType(row: PrismaOAuthClientColumns): SubjectType {
  if (row.subjectType === 'public' || row.subjectType === 'pairwise') return row.subjectType;
  throw new Error(`client ${row.id} has an unknown subject_type`);
}

/** A space-delimited column as a list; NULL (and an empty string) for none. */
function spaceDelimited(column: string | null): string[] {
  return column === null ? [] : column.split(' ').filter((value) => value !== '');
}

/**
 * A list as a space-delimited column, as a `scope` parameter spells scopes (RFC 6749 §3.3); NULL
 * for none. Neither a scope nor a URI holds a space.
 */
function spaceDelimitedColumn(values: readonly string[]): string | null {
  return values.length === 0 ? null : values.join(' ');
}

/** A client's columns and its children's values, in their stable order. */
interface ClientParts extends PrismaOAuthClientColumns {
  grants: readonly string[];
  redirectUris: readonly string[];
  scopes: readonly string[];
}

function toClientRecord(row: ClientParts): ClientRecord {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secretHash,
    // A grant this toolkit does not implement (written by hand or by a newer version) can never be
    // used, so it is dropped rather than handed to the core as a lie about the type.
    grants: row.grants.filter(isGrantType),
    redirectUris: [...row.redirectUris],
    scopes: [...row.scopes],
    accessTokenLifetime: row.accessTokenLifetime,
    refreshTokenLifetime: row.refreshTokenLifetime,
    authorizationCodeLifetime: row.authorizationCodeLifetime,
    requirePkce: row.requirePkce,
    allowPlainPkce: row.allowPlainPkce,
    defaultScopes: spaceDelimited(row.defaultScope),
    allowIntrospection: row.allowIntrospection,
    postLogoutRedirectUris: spaceDelimited(row.postLogoutRedirectUris),
    idTokenSignedResponseAlg: row.idTokenSignedResponseAlg,
    subjectType: subjectType(row),
    sectorIdentifier: row.sectorIdentifier,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Grants and scopes are sets: a repeated entry would otherwise fail the child table's primary key. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

async function replaceGrants(tx: OAuthPrismaDelegates, clientId: string, grants: readonly string[]): Promise<void> {
  await tx.oAuthClientGrant.deleteMany({ where: { clientId } });
  const data = distinct(grants).map((grantType) => ({ clientId, grantType }));
  if (data.length > 0) await tx.oAuthClientGrant.createMany({ data });
}

async function replaceRedirectUris(
  tx: OAuthPrismaDelegates,
  clientId: string,
  redirectUris: readonly string[],
): Promise<void> {
  await tx.oAuthClientRedirectUri.deleteMany({ where: { clientId } });
  const data = redirectUris.map((redirectUri, position) => ({ clientId, position, redirectUri }));
  if (data.length > 0) await tx.oAuthClientRedirectUri.createMany({ data });
}

async function replaceScopes(tx: OAuthPrismaDelegates, clientId: string, scopes: readonly string[]): Promise<void> {
  await tx.oAuthClientScope.deleteMany({ where: { clientId } });
  const data = distinct(scopes).map((scope) => ({ clientId, scope }));
  if (data.length > 0) await tx.oAuthClientScope.createMany({ data });
}

/**
 * Turns a foreign-key violation on `oauth_client_scopes` into {@link UnknownScopeError} naming the
 * scopes that are missing. Runs after the transaction rolled back; if every scope exists by now (it
 * was created concurrently) the original error stands, since there is nothing true to report.
 */
async function unknownScopeError(prisma: OAuthPrismaClient, error: unknown, scopes: readonly string[]): Promise<unknown> {
  if (!isPrismaError(error, FOREIGN_KEY_VIOLATION)) return error;
  const requested = distinct(scopes);
  const known = await prisma.oAuthScope.findMany({ where: { name: { in: requested } }, orderBy: { name: 'asc' } });
  const knownNames = new Set(known.map((s) => s.name));
  const missing = requested.filter((s) => !knownNames.has(s));
  return missing.length > 0 ? new UnknownScopeError(missing) : error;
}

function fromIncludedRow(row: PrismaOAuthClientRow): ClientRecord {
  return toClientRecord({
    ...row,
    grants: row.grants.map((g) => g.grantType),
    redirectUris: row.redirectUris.map((r) => r.redirectUri),
    scopes: row.scopes.map((s) => s.scope),
  });
}

/** A client as `findClient`'s statement spells it: JSON, its instants as wall-clock times (see {@link instantOf}). */
interface ClientJson extends Omit<ClientParts, 'createdAt' | 'updatedAt'> {
  createdAt: string;
  updatedAt: string;
}

/**
 * `findClient`: one statement, read on every token request that authenticates a client. Raw SQL
 * rather than `findUnique` with the relations included: Prisma's runtime spends some 0.3 ms of CPU
 * per call building and decoding that nested read, several times what the statement costs. The
 * client comes back as one JSON text column, which Prisma passes through as it is: decoding
 * nineteen typed columns would cost it more than `JSON.parse` does. The children are ordered as
 * `include` orders them (redirect URIs as registered, grants and scopes by name). PostgreSQL (and
 * PGlite), as the provider's schema is; `prisma` may be a transaction.
 */
export async function findClient(prisma: PrismaRawSql, id: string): Promise<ClientRecord | null> {
  const rows = await prisma.$queryRaw<Array<{ client: string }>>`
    SELECT json_build_object(
             'id', c.id, 'name', c.name, 'secretHash', c.secret_hash,
             'accessTokenLifetime', c.access_token_lifetime, 'refreshTokenLifetime', c.refresh_token_lifetime,
             'authorizationCodeLifetime', c.authorization_code_lifetime, 'requirePkce', c.require_pkce,
             'allowPlainPkce', c.allow_plain_pkce, 'defaultScope', c.default_scope,
             'allowIntrospection', c.allow_introspection, 'postLogoutRedirectUris', c.post_logout_redirect_uris,
             'idTokenSignedResponseAlg', c.id_token_signed_response_alg, 'subjectType', c.subject_type,
             'sectorIdentifier', c.sector_identifier, 'createdAt', c.created_at::timestamp, 'updatedAt', c.updated_at::timestamp,
             'grants', ARRAY(SELECT g.grant_type FROM oauth_client_grants g WHERE g.client_id = c.id ORDER BY g.grant_type),
             'redirectUris', ARRAY(SELECT r.redirect_uri FROM oauth_client_redirect_uris r WHERE r.client_id = c.id ORDER BY r.position),
             'scopes', ARRAY(SELECT s.scope FROM oauth_client_scopes s WHERE s.client_id = c.id ORDER BY s.scope)
           )::text AS client
      FROM oauth_clients c
     WHERE c.id = ${id}`;
  const row = rows[0];
  if (row === undefined) return null;
  const client = JSON.parse(row.client) as ClientJson;
  return toClientRecord({ ...client, createdAt: instantOf(client.createdAt), updatedAt: instantOf(client.updatedAt) });
}

/** `listClients`: ordered by id; one statement when the client enables `relationJoins`, otherwise one per relation. */
export async function listClients(prisma: OAuthPrismaClient): Promise<ClientRecord[]> {
  const rows = await prisma.oAuthClient.findMany({ orderBy: { id: 'asc' }, include });
  return rows.map(fromIncludedRow);
}

/** `insertClient`: the client row and its children in one transaction. */
export async function insertClient(prisma: OAuthPrismaClient, client: ClientRecord): Promise<void> {
  try {
    await prisma.$transaction(async (tx) => {
      await tx.oAuthClient.create({
        data: {
          id: client.id,
          name: client.name,
          secretHash: client.secretHash,
          accessTokenLifetime: client.accessTokenLifetime,
          refreshTokenLifetime: client.refreshTokenLifetime,
          authorizationCodeLifetime: client.authorizationCodeLifetime,
          requirePkce: client.requirePkce,
          allowPlainPkce: client.allowPlainPkce,
          defaultScope: spaceDelimitedColumn(client.defaultScopes),
          allowIntrospection: client.allowIntrospection,
          postLogoutRedirectUris: spaceDelimitedColumn(client.postLogoutRedirectUris),
          idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
          subjectType: client.subjectType,
          sectorIdentifier: client.sectorIdentifier,
          createdAt: client.createdAt,
          updatedAt: client.updatedAt,
        },
        select: { id: true },
      });
      // A new client has no children to delete, so insert directly rather than "replace".
      const grants = distinct(client.grants).map((grantType) => ({ clientId: client.id, grantType }));
      if (grants.length > 0) await tx.oAuthClientGrant.createMany({ data: grants });
      const uris = client.redirectUris.map((redirectUri, position) => ({ clientId: client.id, position, redirectUri }));
      if (uris.length > 0) await tx.oAuthClientRedirectUri.createMany({ data: uris });
      const scopes = distinct(client.scopes).map((scope) => ({ clientId: client.id, scope }));
      if (scopes.length > 0) await tx.oAuthClientScope.createMany({ data: scopes });
    });
  } catch (error) {
    // Children are de-duplicated and keyed by this (new) client id, so the only unique key that can
    // collide is the client's own.
    if (isPrismaError(error, UNIQUE_VIOLATION)) throw new DuplicateError('client');
    throw await unknownScopeError(prisma, error, client.scopes);
  }
}

/** `updateClient`: scalar fields, then each given child list replaced whole, then the result, in one transaction. */
export async function updateClient(
  prisma: OAuthPrismaClient,
  id: string,
  patch: ClientPatch,
  now: Date,
): Promise<ClientRecord | null> {
  const data: PrismaOAuthClientUpdate = { updatedAt: now };
  if (patch.name !== undefined) data.name = patch.name;
  if (patch.accessTokenLifetime !== undefined) data.accessTokenLifetime = patch.accessTokenLifetime;
  if (patch.refreshTokenLifetime !== undefined) data.refreshTokenLifetime = patch.refreshTokenLifetime;
  if (patch.authorizationCodeLifetime !== undefined) data.authorizationCodeLifetime = patch.authorizationCodeLifetime;
  if (patch.requirePkce !== undefined) data.requirePkce = patch.requirePkce;
  if (patch.allowPlainPkce !== undefined) data.allowPlainPkce = patch.allowPlainPkce;
  if (patch.defaultScopes !== undefined) data.defaultScope = spaceDelimitedColumn(patch.defaultScopes);
  if (patch.allowIntrospection !== undefined) data.allowIntrospection = patch.allowIntrospection;
  if (patch.postLogoutRedirectUris !== undefined) data.postLogoutRedirectUris = spaceDelimitedColumn(patch.postLogoutRedirectUris);
  if (patch.idTokenSignedResponseAlg !== undefined) data.idTokenSignedResponseAlg = patch.idTokenSignedResponseAlg;
  if (patch.subjectType !== undefined) data.subjectType = patch.subjectType;
  if (patch.sectorIdentifier !== undefined) data.sectorIdentifier = patch.sectorIdentifier;
  try {
    return await prisma.$transaction(async (tx) => {
      // Updating the parent row first also locks it, so concurrent updates of one client serialise
      // instead of interleaving their child-list replacements.
      const { count } = await tx.oAuthClient.updateMany({ where: { id }, data });
      if (count === 0) return null;
      if (patch.grants !== undefined) await replaceGrants(tx, id, patch.grants);
      if (patch.redirectUris !== undefined) await replaceRedirectUris(tx, id, patch.redirectUris);
      if (patch.scopes !== undefined) await replaceScopes(tx, id, patch.scopes);
      return findClient(tx, id);
    });
  } catch (error) {
    throw await unknownScopeError(prisma, error, patch.scopes ?? []);
  }
}

/** `setClientSecretHash`: one conditional UPDATE. */
export async function setClientSecretHash(
  prisma: OAuthPrismaClient,
  id: string,
  secretHash: string | null,
  now: Date,
): Promise<boolean> {
  const { count } = await prisma.oAuthClient.updateMany({ where: { id }, data: { secretHash, updatedAt: now } });
  return count === 1;
}

/**
 * `deleteClient`: one DELETE; the schema's `ON DELETE CASCADE` foreign keys remove the client's
 * grants, redirect URIs, scopes, tokens and codes in the same statement.
 */
export async function deleteClient(prisma: OAuthPrismaClient, id: string): Promise<boolean> {
  const { count } = await prisma.oAuthClient.deleteMany({ where: { id } });
  return count === 1;
}
