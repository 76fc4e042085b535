/**
 * A provider that issues JWT access tokens (RFC 9068), on a migrated PGlite database through the
 * SQL provider, with a test clock; and the few protocol steps the signing tests take with it.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import { createLocalJWKSet, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import {
  createAuthController,
  generateSigningKeyEncryptionKey,
  type AuthControllerInteractor,
  type OAuthProvider,
  type OAuthProviderOptions,
} from '../../../src/core/index.js';
import { OAuthSqlProvider, pgliteAdapter, type SQLInterface } from '../../../src/providers/sql/index.js';
import { createTestClock, type TestClock } from '../../../src/testing/index.js';
import { TABLES } from '../../conformance/support/targets.js';
import { provisionPGlite } from '../../support/databases.js';

export const ISSUER = 'https://issuer.example';
export const RESOURCE = 'https://mcp.example/mcp';

/** Providers on one database (as several server processes are), each built with its own options. */
export interface SigningDatabase {
  clock: TestClock;
  sql: SQLInterface;
  provider(options?: OAuthProviderOptions): OAuthProvider;
  close(): Promise<void>;
}

/** One migrated PGlite per test file, emptied for each test (a database per test would cost seconds each). */
let shared: Promise<{ sql: SQLInterface; close(): Promise<void> }> | undefined;

/**
 * The file's database, emptied, with a jwt resource and a client for it; providers share a fresh
 * test clock. Tests using it run serially (`test.serial`): keys are the database's, not a client's.
 */
export async function signingDatabase(): Promise<SigningDatabase & { client: { id: string; secret: string } }> {
  shared ??= provisionPGlite().then((db) => ({ sql: pgliteAdapter(db.pglite), close: () => db.close() }));
  const { sql } = await shared;
  for (const table of TABLES) await sql.query(`DELETE FROM ${table}`, []);
  const clock = createTestClock();
  const provider = (options: OAuthProviderOptions = {}) => new OAuthSqlProvider(sql, { now: clock.now, ...options });
  const admin = provider();
  await admin.scopes.define('tools', 'Use the tools');
  await admin.resources.define({ id: RESOURCE, name: 'MCP server', tokenFormat: 'jwt' });
  const { client, clientSecret } = await admin.clients.create({ name: 'Machine', grants: ['client_credentials'], scopes: ['tools'], defaultScopes: ['tools'] });
  return { clock, sql, provider, client: { id: client.id, secret: clientSecret! }, close: async () => {} };
}

/** Closes the file's database; register with `test.after.always`. */
export async function closeSigningDatabase(): Promise<void> {
  await (await shared)?.close();
}

/** The options of a provider that signs: the issuer and an operator key. */
export function signingOptions(encryptionKey = generateSigningKeyEncryptionKey(), extra: OAuthProviderOptions = {}): OAuthProviderOptions {
  return { issuer: ISSUER, signingKeys: { encryptionKey }, ...extra };
}

/** The token endpoint of `provider`, with its failures collected. */
export function tokenEndpoint(provider: OAuthProvider): { controller: AuthControllerInteractor; failures: unknown[] } {
  const failures: unknown[] = [];
  const server = new OAuth2Server({ model: provider.clientModel() });
  return { controller: createAuthController({ server, provider, onError: (error) => failures.push(error) }), failures };
}

/** A client_credentials request for the jwt resource; the whole response. */
export function requestToken(controller: AuthControllerInteractor, client: { id: string; secret: string }) {
  return controller.token({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
    query: {},
    body: { grant_type: 'client_credentials', resource: RESOURCE },
  });
}

/** A JWT access token for the jwt resource, issued by `provider`. */
export async function issueJwt(provider: OAuthProvider, client: { id: string; secret: string }): Promise<string> {
  const { controller, failures } = tokenEndpoint(provider);
  const response = await requestToken(controller, client);
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${JSON.stringify(response.body)}`, { cause: failures[0] });
  return (response.body as { access_token: string }).access_token;
}

/** The key id a JWT names. */
export function kidOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
}

/**
 * `token` verified as a resource server would, against `jwks` at `now`, accepting `algorithms`;
 * null when it does not verify (unknown key, bad signature, expired, another algorithm).
 */
export async function verifyAgainst(
  token: string,
  jwks: { keys: object[] },
  now: Date,
  algorithms: string[] = ['ES256', 'EdDSA'],
): Promise<{ header: ProtectedHeaderParameters; claims: JWTPayload } | null> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), {
      issuer: ISSUER,
      audience: RESOURCE,
      typ: 'at+jwt',
      algorithms,
      currentDate: now,
    });
    return { header: protectedHeader, claims: payload };
  } catch {
    return null;
  }
}
