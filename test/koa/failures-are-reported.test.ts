/**
 * Failures that are not protocol errors are heard by default, whichever way the routes are
 * mounted: by the interactor's own `onError` when it was built with one, and otherwise on the Koa
 * application's `error` event — once, with the cause (a refused connection, a missing table) in the
 * message, and never in the response.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import Router from '@koa/router';
import test, { type ExecutionContext } from 'ava';
import Koa from 'koa';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createAuthController, createGuard, type OAuthProvider } from '../../src/core/index.js';
import { authorizationPage, createOAuthRouter, guard } from '../../src/koa/index.js';
import { OAuthPrismaProvider } from '../../src/providers/prisma/index.js';
import { OAuthSqlProvider, pgliteAdapter, pgPoolAdapter } from '../../src/providers/sql/index.js';
import { PrismaClient } from '../../generated/prisma/client.js';
import { basic, serve, type ServedApp } from './support/http-server.js';

/** A provider whose database refuses connections (nothing listens on port 1). */
function refusedProvider(t: ExecutionContext): OAuthProvider {
  const pool = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'oauth', database: 'oauth', connectionTimeoutMillis: 5000 });
  t.teardown(() => pool.end());
  return new OAuthSqlProvider(pgPoolAdapter(pool));
}

/** PGlite and Prisma start slowly while many test files run: no deadline should fire first. */
const PATIENT = { storageTimeout: 120_000 };

/** A SQL provider on an empty PGlite database: no migration has run. */
async function unmigratedSqlProvider(t: ExecutionContext): Promise<OAuthProvider> {
  const pglite = await PGlite.create();
  t.teardown(() => pglite.close());
  return new OAuthSqlProvider(pgliteAdapter(pglite), PATIENT);
}

/** A Prisma provider on an empty PGlite database: no migration has run. */
async function unmigratedPrismaProvider(t: ExecutionContext): Promise<OAuthProvider> {
  const pglite = await PGlite.create();
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  t.teardown(async () => {
    await prisma.$disconnect();
    await pglite.close();
  });
  return new OAuthPrismaProvider(prisma, PATIENT);
}

/** The README's "Mount the router in a Koa app" form: interactors built by the application, without onError. */
async function readmeApp(
  t: ExecutionContext,
  provider: OAuthProvider,
  onError?: (error: unknown) => void,
): Promise<ServedApp> {
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const reporting = onError === undefined ? {} : { onError };
  const oauth = createOAuthRouter({
    authController: createAuthController({ server, provider, ...reporting }),
    authorize: authorizationPage({ provider }),
  });
  const bearer = createGuard({ provider, ...reporting });
  const api = new Router();
  api.get('/api/me', guard(bearer), (ctx) => {
    ctx.body = ctx.state.oauth;
  });
  const app = new Koa();
  app.use(oauth.routes()).use(oauth.allowedMethods()).use(api.routes());
  const served = await serve(app);
  t.teardown(() => served.close());
  return served;
}

/** The router form: the router builds the interactors from the provider and the server. */
async function routerApp(t: ExecutionContext, provider: OAuthProvider): Promise<ServedApp> {
  const server = new OAuth2Server({ model: provider.clientModel() });
  const oauth = createOAuthRouter({ provider, server, authorize: authorizationPage({ provider }) });
  const api = new Router();
  api.get('/api/me', oauth.guard(), (ctx) => {
    ctx.body = {};
  });
  const app = new Koa();
  app.use(oauth.routes()).use(api.routes());
  const served = await serve(app);
  t.teardown(() => served.close());
  return served;
}

const bearer = { authorization: `Bearer ${'x'.repeat(43)}` };

async function guarded(app: ServedApp): Promise<{ status: number; body: string }> {
  const response = await fetch(`${app.origin}/api/me`, { headers: bearer });
  return { status: response.status, body: await response.text() };
}

async function token(app: ServedApp): Promise<{ status: number; body: string }> {
  const response = await fetch(`${app.origin}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic('service', 'secret') },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return { status: response.status, body: await response.text() };
}

async function authorize(app: ServedApp): Promise<{ status: number; body: string }> {
  const query = new URLSearchParams({ response_type: 'code', client_id: 'web', redirect_uri: 'https://app.example/cb' });
  const response = await fetch(`${app.origin}/auth/authorize?${query}`, { redirect: 'manual' });
  return { status: response.status, body: await response.text() };
}

const messages = (app: ServedApp) => app.emittedErrors.map((error) => (error instanceof Error ? error.message : String(error)));

test('README form, refused connection: the guard and the token endpoint answer 503 and the application hears ECONNREFUSED once each', async (t) => {
  const app = await readmeApp(t, refusedProvider(t));
  const answers = [await guarded(app), await token(app)];
  t.deepEqual(answers.map((answer) => answer.status), [503, 503]);
  for (const answer of answers) t.notRegex(answer.body, /ECONNREFUSED|127\.0\.0\.1/);
  t.is(app.emittedErrors.length, 2);
  for (const message of messages(app)) t.regex(message, /^the OAuth storage is unavailable: .*ECONNREFUSED 127\.0\.0\.1:1/);
  // Koa's default listener prints the stack, whose first line is the message.
  t.regex((app.emittedErrors[0] as Error).stack ?? '', /^StorageUnavailableError: the OAuth storage is unavailable: .*ECONNREFUSED/);
});

test('README form, unmigrated database (SQL provider): the emitted error names the missing table', async (t) => {
  const app = await readmeApp(t, await unmigratedSqlProvider(t));
  t.is((await guarded(app)).status, 503);
  t.deepEqual(messages(app).length, 1);
  t.regex(messages(app)[0]!, /relation "oauth_\w+" does not exist \(42P01\)/);
});

test('README form, unmigrated database (Prisma provider): the emitted error names the missing table', async (t) => {
  const app = await readmeApp(t, await unmigratedPrismaProvider(t));
  const answer = await token(app);
  t.is(answer.status, 503);
  t.notRegex(answer.body, /oauth_|P2021/);
  t.is(messages(app).length, 1);
  t.regex(messages(app)[0]!, /oauth_\w+.* does not exist/);
});

test('router form: the emitted error names the cause, not only that the storage is unavailable', async (t) => {
  const app = await routerApp(t, refusedProvider(t));
  t.deepEqual([(await guarded(app)).status, (await token(app)).status], [503, 503]);
  t.is(app.emittedErrors.length, 2);
  for (const message of messages(app)) t.regex(message, /ECONNREFUSED/);
});

test('an interactor built with onError reports there, once, and the application event does not fire', async (t) => {
  const reported: unknown[] = [];
  const app = await readmeApp(t, refusedProvider(t), (error) => reported.push(error));
  t.deepEqual([(await guarded(app)).status, (await token(app)).status], [503, 503]);
  t.is(reported.length, 2);
  for (const error of reported) t.regex((error as Error).message, /ECONNREFUSED/);
  t.deepEqual(app.emittedErrors, []);
});

test('GET /authorize during an outage answers 503 temporarily_unavailable and is reported once (README form)', async (t) => {
  const app = await readmeApp(t, refusedProvider(t));
  const answer = await authorize(app);
  t.is(answer.status, 503);
  t.is(JSON.parse(answer.body).error, 'temporarily_unavailable');
  t.notRegex(answer.body, /ECONNREFUSED/);
  t.is(app.emittedErrors.length, 1);
  t.regex(messages(app)[0]!, /ECONNREFUSED/);
});

test('GET /authorize during an outage answers 503 temporarily_unavailable (router form)', async (t) => {
  const app = await routerApp(t, await unmigratedSqlProvider(t));
  const answer = await authorize(app);
  t.is(answer.status, 503);
  t.is(JSON.parse(answer.body).error, 'temporarily_unavailable');
  t.is(app.emittedErrors.length, 1);
  t.regex(messages(app)[0]!, /42P01/);
});
