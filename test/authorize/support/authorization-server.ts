/**
 * A complete authorization server for the authorization-code tests: OAuthSqlProvider on a fresh
 * PGlite database with a clock the tests move, the real oauth2-server, the Koa router with the
 * built-in sign-in/consent page, a guarded `/api/me`, and a `/callback` standing in for the
 * client's redirect URI — served on a loopback port.
 *
 * The redirect URI uses `localhost` while the server is reached at `127.0.0.1`: the client is on
 * another origin than the authorization server, as in real deployments (and the page's CSP must
 * allow the cross-origin redirect that follows its form).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import type { OAuthProvider, OAuthProviderOptions } from '../../../src/core/index.js';
import { authorizationPage, createOAuthRouter, type AuthorizationPageOptions } from '../../../src/koa/index.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../../src/providers/sql/index.js';
import { provisionPGlite } from '../../support/databases.js';
import { createTestClock } from '../../../src/testing/index.js';

/** The issuer the router is configured with: authorization responses carry it as `iss`. */
export const ISSUER = 'https://login.example';

export interface AuthorizationServer {
  /** `http://127.0.0.1:<port>`: where the authorization server is reached. */
  origin: string;
  /** `http://localhost:<port>/callback`: the clients' registered redirect URI. */
  redirectUri: string;
  provider: OAuthProvider;
  /** A public client (no secret), allowed `read` and `write`. */
  spa: { id: string };
  /** A confidential client with the default PKCE policy (required), allowed `read`. */
  web: { id: string; secret: string };
  /** A user of the default store. */
  user: { id: string; username: string; password: string };
  /** Moves the provider's clock (codes, tokens and forms all age with it). */
  advanceClock(seconds: number): void;
  /** `${origin}${prefix}/authorize?…`; the prefix defaults to `/auth`. */
  authorizeUrl(parameters: Record<string, string>, prefix?: string): string;
  /** Errors the application emitted (unexpected failures), in order. */
  emittedErrors: unknown[];
  /** How many authorization codes exist in the database. */
  codeCount(): Promise<number>;
  close(): Promise<void>;
}

/** Page options besides the provider (template, decide, login…). */
export type PageOptions = (provider: OAuthProvider) => Omit<AuthorizationPageOptions, 'provider'>;

export interface AuthorizationServerOptions {
  /** Options of the page under the default prefix `/auth`. */
  page?: PageOptions;
  /**
   * More routers on the same provider, each with its own page, by prefix (e.g. `'/custom'`): one
   * database serves several page configurations.
   */
  extraPages?: Record<string, PageOptions>;
  /** More options of the provider (its clock and password cost are the server's). */
  providerOptions?: OAuthProviderOptions;
}

export async function startAuthorizationServer(options: AuthorizationServerOptions = {}): Promise<AuthorizationServer> {
  const database = await provisionPGlite();
  const clock = createTestClock();
  const provider = new OAuthSqlProvider(pgliteAdapter(database.pglite), {
    ...options.providerOptions,
    now: clock.now,
    // The cheapest scrypt cost: these tests are about the flow, not password hashing.
    passwordHashCost: { N: 2, r: 1, p: 1 },
  });
  // Plain PKCE is offered to the server; the provider still refuses it unless the client allows it.
  // Public clients refresh with their client_id alone (confidential ones must still authenticate).
  const server = new OAuth2Server({
    model: provider.userModel(provider.users.getUser, provider.users.login),
    enablePlainPKCE: true,
    requireClientAuthentication: { refresh_token: false },
  } as OAuth2Server.ServerOptions);
  const router = createOAuthRouter({
    provider,
    server,
    issuer: ISSUER,
    authorize: authorizationPage({ provider, ...(options.page?.(provider) ?? {}) }),
  });

  const extraRouters = Object.entries(options.extraPages ?? {}).map(([prefix, page]) =>
    createOAuthRouter({ provider, server, issuer: ISSUER, prefix, authorize: authorizationPage({ provider, ...page(provider) }) }),
  );

  const api = new Router();
  api.get('/api/me', router.guard(), (ctx) => {
    const oauth = ctx.state.oauth!;
    ctx.body = { user: oauth.user, client: oauth.client, scope: oauth.scope };
  });
  api.get('/callback', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = ctx.query.error === undefined ? 'Signed in: the client received a code.' : `The client received an error.`;
  });

  const app = new Koa();
  const emittedErrors: unknown[] = [];
  app.on('error', (error: unknown) => emittedErrors.push(error));
  app.use(router.routes()).use(router.allowedMethods()).use(api.routes()).use(api.allowedMethods());
  for (const extra of extraRouters) app.use(extra.routes());
  const http = createServer(app.callback());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const redirectUri = `http://localhost:${port}/callback`;

  await provider.scopes.define('read', 'Read your profile');
  await provider.scopes.define('write', 'Change your notes');
  await provider.clients.create({
    id: 'spa',
    name: 'Notes App',
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: [redirectUri],
    scopes: ['read', 'write'],
    confidential: false,
  });
  const web = await provider.clients.create({
    id: 'web',
    name: 'Web Portal',
    grants: ['authorization_code'],
    redirectUris: [redirectUri],
    scopes: ['read'],
  });
  const password = 'correct horse battery staple';
  const user = await provider.users.create({ username: 'alice', password });

  return {
    origin,
    redirectUri,
    provider,
    spa: { id: 'spa' },
    web: { id: 'web', secret: web.clientSecret ?? '' },
    user: { id: user.id, username: user.username, password },
    emittedErrors,
    advanceClock(seconds) {
      clock.advance(seconds);
    },
    authorizeUrl: (parameters, prefix = '/auth') => `${origin}${prefix}/authorize?${new URLSearchParams(parameters)}`,
    async codeCount() {
      const result = await database.pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM oauth_authorization_codes');
      return result.rows[0]?.n ?? 0;
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve, reject) => http.close((error) => (error ? reject(error) : resolve())));
      await database.close();
    },
  };
}
