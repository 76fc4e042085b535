/** The authorization endpoint's routes and the hooks the application plugs into them. */
import test from 'ava';
import Koa from 'koa';
import { createOAuthRouter, type AuthorizeHandlers } from '../../src/koa/index.js';
import { echoAuthController } from './support/echo-interactors.js';
import { serve } from './support/http-server.js';

async function servedWith(authorize?: AuthorizeHandlers) {
  const app = new Koa();
  const router = createOAuthRouter({
    authController: echoAuthController(),
    bodyLimit: '1kb',
    ...(authorize === undefined ? {} : { authorize }),
  });
  app.use(router.routes()).use(router.allowedMethods());
  return serve(app);
}

const authorizeQuery = '/auth/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.example%2Fcb';

test('without handlers GET /authorize is answered 400 unsupported_response_type as JSON, never a redirect', async (t) => {
  const served = await servedWith();
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}${authorizeQuery}`, { redirect: 'manual' });
  t.is(response.status, 400);
  t.is(response.headers.get('location'), null);
  t.is(((await response.json()) as { error: string }).error, 'unsupported_response_type');
});

test('without handlers POST /authorize is answered 400 unsupported_response_type as JSON', async (t) => {
  const served = await servedWith();
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/authorize`, {
    method: 'POST',
    body: new URLSearchParams({ response_type: 'code', client_id: 'app' }),
    redirect: 'manual',
  });
  t.is(response.status, 400);
  t.is(((await response.json()) as { error: string }).error, 'unsupported_response_type');
});

test('the GET handler answers GET /authorize and sees the query', async (t) => {
  const served = await servedWith({
    get: async (ctx) => {
      ctx.body = { clientId: ctx.query.client_id };
    },
  });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}${authorizeQuery}`);
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { clientId: 'app' });
});

test('the POST handler receives the parsed form body', async (t) => {
  const served = await servedWith({
    post: async (ctx) => {
      ctx.body = { received: ctx.request.body };
    },
  });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/authorize`, {
    method: 'POST',
    body: new URLSearchParams([['decision', 'allow'], ['scope', 'a'], ['scope', 'b']]),
  });
  t.deepEqual(await response.json(), { received: { decision: 'allow', scope: ['a', 'b'] } });
});

test('the POST handler is not reached with an oversized body', async (t) => {
  let reached = false;
  const served = await servedWith({
    post: async (ctx) => {
      reached = true;
      ctx.body = 'ok';
    },
  });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/authorize`, {
    method: 'POST',
    body: new URLSearchParams({ decision: 'x'.repeat(4096) }),
  });
  t.is(response.status, 413);
  t.false(reached);
});

test('RFC 6749 §10.13 — authorization pages are sent with no-store and may not be framed', async (t) => {
  const served = await servedWith({
    get: async (ctx) => {
      ctx.type = 'html';
      ctx.body = '<form method="post"></form>';
    },
  });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}${authorizeQuery}`);
  t.is(response.headers.get('cache-control'), 'no-store');
  t.is(response.headers.get('x-frame-options'), 'DENY');
  t.is(response.headers.get('content-security-policy'), "frame-ancestors 'none'");
});

test('a handler may redirect, e.g. back to the client with the code', async (t) => {
  const served = await servedWith({
    post: async (ctx) => {
      ctx.redirect('https://app.example/cb?code=abc&state=xyz');
    },
  });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/authorize`, { method: 'POST', redirect: 'manual' });
  t.is(response.status, 302);
  t.is(response.headers.get('location'), 'https://app.example/cb?code=abc&state=xyz');
});
