/**
 * An OpenID provider for the UserInfo and discovery tests: OAuthSqlProvider on a migrated PGlite
 * database (one per test file, emptied for each server), the real oauth2-server and the Koa
 * router, served over loopback HTTP. Users' access tokens come from the password grant (which
 * never returns an ID token, but its tokens hold the scopes asked for): the UserInfo endpoint
 * judges the access token, whatever grant issued it.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import { generateSigningKeyEncryptionKey, type OAuthProvider, type OAuthProviderOptions } from '../../../src/core/index.js';
import { createOAuthRouter, type OAuthRouterServer, type OAuthRouterSettings } from '../../../src/koa/index.js';
import { OAuthSqlProvider, pgliteAdapter, type SQLInterface } from '../../../src/providers/sql/index.js';
import { TABLES } from '../../conformance/support/targets.js';
import { provisionPGlite } from '../../support/databases.js';
import { basic, serve, type ServedApp } from '../../koa/support/http-server.js';

export const ISSUER = 'https://login.example';
export const REDIRECT_URI = 'https://rp.example/callback';
/** The scopes the catalogue defines: OpenID's (OIDC Core §5.4) and one of an API. */
export const SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'read'] as const;

export interface UserInfoServer extends ServedApp {
  provider: OAuthProvider;
  sql: SQLInterface;
  /** A confidential client with the code, password, client-credentials and refresh grants, allowed every scope. */
  client: { id: string; secret: string };
  user: { id: string; username: string; password: string };
  /** `${origin}/auth/userinfo` */
  userinfo: string;
  /** An access token for the user, from the password grant, holding `scope`. */
  userToken(scope: string, extra?: Record<string, string>): Promise<string>;
  /** The client's own access token (client credentials grant), holding `scope`. */
  clientToken(scope: string): Promise<string>;
}

let shared: Promise<{ sql: SQLInterface; close(): Promise<void> }> | undefined;

/** Closes the file's database; register with `test.after.always`. */
export async function closeUserInfoDatabase(): Promise<void> {
  await (await shared)?.close();
}

/**
 * Starts a server on the file's database, emptied first: tests that start one run serially
 * (`test.serial`). `providerOptions.openid` replaces the default `{}`; `null` turns OpenID off.
 */
export async function startUserInfoServer(
  options: { provider?: Omit<OAuthProviderOptions, 'openid'> & { openid?: OAuthProviderOptions['openid'] | null }; router?: OAuthRouterSettings & Pick<OAuthRouterServer, 'allowBearerTokensInQueryString' | 'onError'> } = {},
): Promise<UserInfoServer> {
  shared ??= provisionPGlite().then((db) => ({ sql: pgliteAdapter(db.pglite), close: () => db.close() }));
  const { sql } = await shared;
  for (const table of TABLES) await sql.query(`DELETE FROM ${table}`, []);
  const { openid = {}, ...rest } = options.provider ?? {};
  const provider = new OAuthSqlProvider(sql, {
    issuer: ISSUER,
    signingKeys: { encryptionKey: generateSigningKeyEncryptionKey() },
    ...(openid === null ? {} : { openid }),
    allowPasswordGrant: true,
    passwordHashCost: { N: 2, r: 1, p: 1 },
    ...rest,
  });
  for (const scope of SCOPES) await provider.scopes.define(scope, `The ${scope} scope`);
  const { clientSecret } = await provider.clients.create({
    id: 'rp',
    name: 'Relying party',
    grants: ['authorization_code', 'password', 'client_credentials', 'refresh_token'],
    redirectUris: [REDIRECT_URI],
    scopes: [...SCOPES],
  });
  const client = { id: 'rp', secret: clientSecret ?? '' };
  const password = 'correct horse battery staple';
  const user = await provider.users.create({ username: 'alice', password });
  const router = createOAuthRouter({
    provider,
    server: new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) }),
    ...options.router,
  });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const served = await serve(app);

  async function token(parameters: Record<string, string>): Promise<string> {
    const response = await fetch(`${served.origin}/auth/token`, {
      method: 'POST',
      headers: { authorization: basic(client.id, client.secret) },
      body: new URLSearchParams(parameters),
    });
    const json = (await response.json()) as { access_token?: string };
    if (response.status !== 200 || json.access_token === undefined) throw new Error(`token request failed: ${response.status} ${JSON.stringify(json)}`);
    return json.access_token;
  }

  return {
    ...served,
    provider,
    sql,
    client,
    user: { id: user.id, username: user.username, password },
    userinfo: `${served.origin}/auth/userinfo`,
    userToken: (scope, extra = {}) => token({ grant_type: 'password', username: user.username, password, scope, ...extra }),
    clientToken: (scope) => token({ grant_type: 'client_credentials', scope }),
  };
}

/** A GET of the UserInfo endpoint with `Authorization: Bearer`; the status, headers and parsed body. */
export async function getUserInfo(server: UserInfoServer, accessToken: string): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(server.userinfo, { headers: { authorization: `Bearer ${accessToken}` } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
