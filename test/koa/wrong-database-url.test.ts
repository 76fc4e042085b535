/**
 * A wrong database URL with the README's mounting code is one clear error naming the cause, never
 * a silent 503: `provider.check()` stops the start before `listen()`, and an application that
 * skips the check still gets, from Koa's own default error logging, one line per failing request
 * naming the refusal. (Where the errors go when the application listens for them itself:
 * error-reporting.test.ts and failures-are-reported.test.ts.)
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OAuth2Server from '@node-oauth/oauth2-server';
import Router from '@koa/router';
import test, { type ExecutionContext } from 'ava';
import Koa from 'koa';
import pg from 'pg';
import { createAuthController, createGuard, type OAuthProvider } from '../../src/core/index.js';
import { authorizationPage, createOAuthRouter, guard } from '../../src/koa/index.js';
import { OAuthSqlProvider, pgPoolAdapter } from '../../src/providers/sql/index.js';
import { repoRoot } from '../support/databases.js';
import { basic } from './support/http-server.js';

/** Nothing listens on port 1: every connection is refused. */
const REFUSED_URL = 'postgresql://oauth@127.0.0.1:1/oauth';

/** The first line Koa prints: the error's name (the token endpoint's is oauth2-server's `server_error`) and message. */
const REFUSAL = /^(StorageUnavailableError|server_error): the OAuth storage is unavailable: connect ECONNREFUSED 127\.0\.0\.1:1$/;

test('the README’s mounting code (examples/existing-app.ts) on a refused database URL stops before listening, with one OAuthStorageCheckError naming the refusal', async (t) => {
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'examples/existing-app.ts')], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: REFUSED_URL, PORT: '0' },
    timeout: 60_000,
  }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code?: number; killed?: boolean; stderr?: string }) => ({ code: error.killed ? 'killed' : error.code, stderr: error.stderr ?? '' }),
  );
  // A server that had started listening would still be running, and have been killed at the timeout.
  t.is(run.code, 1, run.stderr);
  const named = run.stderr.split('\n').filter((line) => line.startsWith('OAuthStorageCheckError: '));
  t.deepEqual(named, [
    'OAuthStorageCheckError: the OAuth storage cannot be reached: connection refused (findClient: connect ECONNREFUSED 127.0.0.1:1). ' +
      'Check that the database server is running, and the host and port in the database URL.',
  ]);
});

/** A provider on the refused URL, never checked. */
function uncheckedProvider(t: ExecutionContext): OAuthProvider {
  const pool = new pg.Pool({ connectionString: REFUSED_URL, connectionTimeoutMillis: 5000 });
  t.teardown(() => pool.end());
  return new OAuthSqlProvider(pgPoolAdapter(pool));
}

/** The README's form: the application builds the interactors, without `onError`. */
function readmeForm(provider: OAuthProvider): Pick<Koa, 'callback'> {
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const oauth = createOAuthRouter({ authController: createAuthController({ server, provider }), authorize: authorizationPage({ provider }) });
  const api = new Router();
  api.get('/api/me', guard(createGuard({ provider })), (ctx) => {
    ctx.body = ctx.state.oauth;
  });
  return new Koa().use(oauth.routes()).use(oauth.allowedMethods()).use(api.routes());
}

/** The router form: the router builds the interactors from the provider and the server. */
function routerForm(provider: OAuthProvider): Pick<Koa, 'callback'> {
  const oauth = createOAuthRouter({ provider, server: new OAuth2Server({ model: provider.clientModel() }) });
  const api = new Router();
  api.get('/api/me', oauth.guard(), (ctx) => {
    ctx.body = {};
  });
  return new Koa().use(oauth.routes()).use(api.routes());
}

/**
 * Serves `app` with no `error` listener of the test's, so that Koa's default logging is what
 * reports, and collects what it prints (console.error) while `requests` run.
 */
async function printedByKoa(t: ExecutionContext, app: Pick<Koa, 'callback'>, requests: (origin: string) => Promise<number[]>) {
  const http: Server = createServer(app.callback());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => http.close(() => resolve())));
  const printed: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => printed.push(parts.map(String).join(' '));
  try {
    const statuses = await requests(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    return { statuses, printed };
  } finally {
    console.error = original;
  }
}

async function guardedAndToken(origin: string): Promise<number[]> {
  const guarded = await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${'x'.repeat(43)}` } });
  const token = await fetch(`${origin}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic('service', 'secret') },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return [guarded.status, token.status];
}

for (const [form, build] of [
  ['README form', readmeForm],
  ['router form', routerForm],
] as const) {
  test.serial(`${form} without provider.check(): Koa's default error logging prints each failing request once, naming the refusal`, async (t) => {
    const { statuses, printed } = await printedByKoa(t, build(uncheckedProvider(t)), guardedAndToken);
    t.deepEqual(statuses, [503, 503]);
    t.is(printed.length, 2, printed.join('\n'));
    // Koa prints the stack indented; its first line is the message.
    for (const output of printed) {
      t.log(output.trim().split('\n')[0]);
      t.regex(output.trim().split('\n')[0]!, REFUSAL);
    }
  });
}
