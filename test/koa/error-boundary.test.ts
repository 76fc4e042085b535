/** What the OAuth routes answer when code behind them throws: JSON, and nothing internal. */
import test from 'ava';
import Koa from 'koa';
import { authController, createOAuthRouter } from '../../src/koa/index.js';
import { throwingAuthController } from './support/echo-interactors.js';
import { serve } from './support/http-server.js';

const secretMessage = 'connect ECONNREFUSED 10.0.0.7:5432 password=hunter2';

async function servedThrowing(error: unknown) {
  const app = new Koa();
  const router = createOAuthRouter({
    authController: throwingAuthController(error),
    authorize: {
      get: async () => {
        throw error;
      },
    },
  });
  app.use(router.routes());
  return serve(app);
}

test('an unexpected error in an endpoint is answered 500 server_error with a generic description', async (t) => {
  const served = await servedThrowing(new Error(secretMessage));
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/token`, { method: 'POST' });
  t.is(response.status, 500);
  t.regex(response.headers.get('content-type') ?? '', /^application\/json/);
  const text = await response.text();
  t.is((JSON.parse(text) as { error: string }).error, 'server_error');
  t.false(text.includes('hunter2'));
  t.false(text.includes('ECONNREFUSED'));
  t.false(text.includes('.ts:'), 'no stack frame');
});

test('an unexpected error in an authorize handler is answered 500 server_error as JSON', async (t) => {
  const served = await servedThrowing(new Error(secretMessage));
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/authorize`);
  t.is(response.status, 500);
  const text = await response.text();
  t.is((JSON.parse(text) as { error: string }).error, 'server_error');
  t.false(text.includes('hunter2'));
});

test('an unexpected error is emitted on the application for server-side logging', async (t) => {
  const error = new Error(secretMessage);
  const served = await servedThrowing(error);
  t.teardown(() => served.close());
  await fetch(`${served.origin}/auth/revoke`, { method: 'POST' });
  t.deepEqual(served.emittedErrors, [error]);
});

test('a thrown value that is not an Error is still answered 500 server_error', async (t) => {
  const served = await servedThrowing('a string');
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/introspect`, { method: 'POST' });
  t.is(response.status, 500);
  t.is(((await response.json()) as { error: string }).error, 'server_error');
});

test('an HTTP error marked safe to expose keeps its status and message, as invalid_request', async (t) => {
  const error = Object.assign(new Error('missing consent form field'), { status: 422, expose: true });
  const served = await servedThrowing(error);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/authorize`);
  t.is(response.status, 422);
  t.deepEqual(await response.json(), { error: 'invalid_request', error_description: 'missing consent form field' });
  t.deepEqual(served.emittedErrors, []);
});

test('a 5xx error marked exposed is still answered with a generic description', async (t) => {
  const error = Object.assign(new Error(secretMessage), { status: 503, expose: true });
  const served = await servedThrowing(error);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/authorize`);
  t.is(response.status, 500);
  t.false((await response.text()).includes('hunter2'));
});

test('authController mounted on its own route answers unexpected errors as JSON too', async (t) => {
  const app = new Koa();
  app.use(authController(throwingAuthController(new Error(secretMessage))));
  const served = await serve(app);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/anything`, { method: 'POST' });
  t.is(response.status, 500);
  t.is(((await response.json()) as { error: string }).error, 'server_error');
});
