/**
 * Where the Koa binding reports failures that are not protocol errors (storage down, bugs): on the
 * application, with the context of the request that met them, unless the application chose its
 * own `onError` — then there, and only there.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import Router from '@koa/router';
import test from 'ava';
import Koa from 'koa';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthController, createGuard } from '../../src/core/index.js';
import { createOAuthRouter, type OAuthRouterOptions } from '../../src/koa/index.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../src/providers/sql/index.js';
import { provisionPGlite } from '../support/databases.js';
import { basic } from './support/http-server.js';

interface Emitted {
  error: unknown;
  path: string | undefined;
}

interface BrokenServer {
  origin: string;
  /** What the application emitted as `error`, with the path of the context emitted alongside. */
  emitted: Emitted[];
}

/** One database, closed before any test runs: every storage call fails. */
const closedDatabase = provisionPGlite().then(async (database) => {
  await database.close();
  return database.pglite;
});

/** A router and a guarded route over a provider whose database is already closed. */
async function brokenServer(
  t: { teardown(fn: () => Promise<void>): void },
  routerOptions: (pieces: { provider: OAuthSqlProvider; server: OAuth2Server }) => OAuthRouterOptions,
): Promise<BrokenServer> {
  const provider = new OAuthSqlProvider(pgliteAdapter(await closedDatabase));
  const server = new OAuth2Server({ model: provider.clientModel() });
  const router = createOAuthRouter(routerOptions({ provider, server }));
  const api = new Router({ prefix: '/api' });
  api.get('/me', router.guard(), (ctx) => {
    ctx.body = {};
  });
  const app = new Koa();
  const emitted: Emitted[] = [];
  app.on('error', (error: unknown, ctx?: Koa.Context) => emitted.push({ error, path: ctx?.path }));
  app.use(router.routes()).use(api.routes());
  const http: Server = createServer(app.callback());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((error) => (error ? reject(error) : resolve()));
      }),
  );
  return { origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, emitted };
}

const bearer = { authorization: `Bearer ${'x'.repeat(43)}` };
const client = { authorization: basic('service', 'secret') };

/** The guarded route and every endpoint, all at once, so that their reports could interleave. */
async function failEverywhere(origin: string): Promise<number[]> {
  const post = (path: string, body: Record<string, string>) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: client, body: new URLSearchParams(body) });
  const responses = await Promise.all([
    fetch(`${origin}/api/me`, { headers: bearer }),
    post('/auth/token', { grant_type: 'client_credentials' }),
    post('/auth/revoke', { token: 'x'.repeat(43) }),
    post('/auth/introspect', { token: 'x'.repeat(43) }),
  ]);
  return responses.map((response) => response.status);
}

test('each failure is emitted on the application once, with the context of the request that met it', async (t) => {
  const server = await brokenServer(t, (pieces) => pieces);
  t.deepEqual(await failEverywhere(server.origin), [503, 503, 503, 503]);
  t.deepEqual(server.emitted.map((event) => event.path).sort(), ['/api/me', '/auth/introspect', '/auth/revoke', '/auth/token']);
  t.true(server.emitted.every((event) => event.error instanceof Error));
});

test("with the application's own onError every failure goes there and nothing is emitted on the application", async (t) => {
  const reported: unknown[] = [];
  const server = await brokenServer(t, (pieces) => ({ ...pieces, onError: (error) => reported.push(error) }));
  t.deepEqual(await failEverywhere(server.origin), [503, 503, 503, 503]);
  t.is(reported.length, 4);
  t.deepEqual(server.emitted, []);
});

test('prebuilt interactors report through the onError they were built with, not on the application', async (t) => {
  const reported: unknown[] = [];
  const onError = (error: unknown) => reported.push(error);
  const server = await brokenServer(t, ({ provider, server: oauthServer }) => ({
    authController: createAuthController({ server: oauthServer, provider, onError }),
    guard: createGuard({ server: oauthServer, onError }),
  }));
  t.deepEqual(await failEverywhere(server.origin), [503, 503, 503, 503]);
  t.is(reported.length, 4);
  t.deepEqual(server.emitted, []);
});

test('RFC 6750 §3.1 — an Authorization header repeated under differently cased names is still refused 400 invalid_request', async (t) => {
  const server = await brokenServer(t, (pieces) => pieces);
  const url = new URL(`${server.origin}/api/me`);
  // Raw header lines: Node sends each pair as written, names' case included.
  const lines = ['host', url.host, 'Authorization', bearer.authorization, 'authorization', 'Bearer forged'];
  const status = await new Promise<number>((resolve, reject) => {
    const outgoing = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: lines }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
  // Refused before storage is consulted: the closed database is never reached, nothing reported.
  t.is(status, 400);
  t.deepEqual(server.emitted, []);
});
