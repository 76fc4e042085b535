/**
 * A complete authorization server for the end-to-end tests: an OAuthSqlProvider on a fresh PGlite
 * database, the real oauth2-server, the Koa router and a few guarded API routes, served over
 * loopback HTTP.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import Router from '@koa/router';
import type { OAuthProvider } from '../../../src/core/index.js';
import { createOAuthRouter, type AuthorizeHandlers, type OAuthRouter } from '../../../src/koa/index.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../../src/providers/sql/index.js';
import { provisionPGlite } from '../../support/databases.js';
import { serve, type ServedApp } from './http-server.js';

export interface E2eServerOptions {
  legacyForbiddenErrors?: boolean;
  allowBearerTokensInQueryString?: boolean;
  authorize?: (provider: OAuthProvider) => AuthorizeHandlers;
  /**
   * Whether the provider offers the password grant (off by default in the kit, RFC 9700 §2.4).
   * Default true here: most of these tests obtain their tokens through it. With false, the
   * confidential client is registered without it.
   */
  allowPasswordGrant?: boolean;
}

/** The registered parties every end-to-end test can use. */
export interface E2eFixture extends ServedApp {
  provider: OAuthProvider;
  router: OAuthRouter;
  /**
   * Confidential client allowed every grant offered and the scopes `read` and `write`; a request
   * without scope gets `read` (its default scope, RFC 6749 §3.3).
   */
  confidential: { id: string; secret: string };
  /** Public client (no secret) for the code flow with PKCE. */
  public: { id: string; redirectUri: string };
  /** A user of the default store. */
  user: { id: string; username: string; password: string };
  /** Closes the database under the running server, to provoke storage failures. */
  closeDatabase(): Promise<void>;
  /** `${origin}/auth/<endpoint>` */
  endpoint(name: 'token' | 'revoke' | 'introspect' | 'authorize'): string;
}

export const REDIRECT_URI = 'https://app.example/callback';

export async function startE2eServer(options: E2eServerOptions = {}): Promise<E2eFixture> {
  const database = await provisionPGlite();
  const allowPasswordGrant = options.allowPasswordGrant ?? true;
  const provider = new OAuthSqlProvider(pgliteAdapter(database.pglite), {
    // The cheapest scrypt cost: these tests are about HTTP, not password hashing.
    passwordHashCost: { N: 2, r: 1, p: 1 },
    // An explicit opt-in: the tests below get user tokens through the password grant.
    allowPasswordGrant,
  });
  await provider.scopes.define('read', 'Read access');
  await provider.scopes.define('write', 'Write access');
  const confidential = await provider.clients.create({
    id: 'service',
    name: 'Service',
    grants: ['authorization_code', 'client_credentials', ...(allowPasswordGrant ? (['password'] as const) : []), 'refresh_token'],
    redirectUris: [REDIRECT_URI],
    scopes: ['read', 'write'],
    defaultScopes: ['read'],
  });
  await provider.clients.create({
    id: 'spa',
    name: 'Single-page app',
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT_URI],
    scopes: ['read'],
    confidential: false,
  });
  const password = 'correct horse battery staple';
  const user = await provider.users.create({ username: 'alice', password });

  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const router = createOAuthRouter({
    provider,
    server,
    issuer: 'http://127.0.0.1',
    ...(options.legacyForbiddenErrors === undefined ? {} : { legacyForbiddenErrors: options.legacyForbiddenErrors }),
    ...(options.allowBearerTokensInQueryString === undefined
      ? {}
      : { allowBearerTokensInQueryString: options.allowBearerTokensInQueryString }),
    ...(options.authorize === undefined ? {} : { authorize: options.authorize(provider) }),
  });

  const api = new Router({ prefix: '/api' });
  const echo = (ctx: Koa.Context) => {
    ctx.body = { oauth: ctx.state.oauth ?? null };
  };
  api.get('/me', router.guard(), echo);
  api.post('/notes', router.guard({ scope: ['write'] }), echo);
  api.get('/feed', router.guard({ passthrough: true }), echo);
  // A route that stands for every resource: it admits tokens whatever their audience (RFC 8707).
  api.get('/gateway', router.guard({ acceptAnyAudience: true }), echo);

  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods()).use(api.routes()).use(api.allowedMethods());
  const served = await serve(app);
  return {
    ...served,
    async close() {
      await served.close();
      if (!database.pglite.closed) await database.close();
    },
    closeDatabase: () => database.close(),
    provider,
    router,
    confidential: { id: 'service', secret: confidential.clientSecret ?? '' },
    public: { id: 'spa', redirectUri: REDIRECT_URI },
    user: { id: user.id, username: user.username, password },
    endpoint: (name) => `${served.origin}/auth/${name}`,
  };
}

/** POSTs a form (or, with `json`, a JSON object) and returns status, headers and parsed JSON body. */
export async function postTo(
  url: string,
  parameters: Record<string, string> | Array<[string, string]>,
  options: { json?: boolean; authorization?: string } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, any> }> {
  const headers: Record<string, string> = {};
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  let body: string | URLSearchParams;
  if (options.json) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(Array.isArray(parameters) ? Object.fromEntries(parameters) : parameters);
  } else {
    body = new URLSearchParams(parameters);
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? {} : JSON.parse(text) };
}
