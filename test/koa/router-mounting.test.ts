/** Where `createOAuthRouter` serves its routes, and how it coexists with the application's own. */
import test from 'ava';
import Koa from 'koa';
import Router from '@koa/router';
import { createOAuthRouter } from '../../src/koa/index.js';
import { echoAuthController } from './support/echo-interactors.js';
import { serve } from './support/http-server.js';

async function servedWith(prefix?: string) {
  const app = new Koa();
  const router = createOAuthRouter({
    authController: echoAuthController(),
    ...(prefix === undefined ? {} : { prefix }),
  });
  const own = new Router();
  own.get('/hello', (ctx) => {
    ctx.body = 'hello';
  });
  app.use(router.routes()).use(router.allowedMethods()).use(own.routes());
  return serve(app);
}

async function endpointOf(url: string): Promise<unknown> {
  const response = await fetch(url, { method: 'POST' });
  return ((await response.json()) as { endpoint?: string }).endpoint;
}

test('the endpoints are served under /auth by default', async (t) => {
  const served = await servedWith();
  t.teardown(() => served.close());
  t.is(await endpointOf(`${served.origin}/auth/token`), 'token');
  t.is(await endpointOf(`${served.origin}/auth/revoke`), 'revoke');
  t.is(await endpointOf(`${served.origin}/auth/introspect`), 'introspect');
});

test('the endpoints are served under a configured prefix and not under the default one', async (t) => {
  const served = await servedWith('/oauth2/v1');
  t.teardown(() => served.close());
  t.is(await endpointOf(`${served.origin}/oauth2/v1/token`), 'token');
  t.is((await fetch(`${served.origin}/auth/token`, { method: 'POST' })).status, 404);
});

test('an empty prefix serves the endpoints at the root', async (t) => {
  const served = await servedWith('');
  t.teardown(() => served.close());
  t.is(await endpointOf(`${served.origin}/token`), 'token');
});

test('a prefix that is not a plain path is refused at construction', (t) => {
  for (const prefix of ['auth', '/auth/', '/:tenant', '/a?b', '/a b']) {
    t.throws(() => createOAuthRouter({ authController: echoAuthController(), prefix }), { instanceOf: TypeError }, prefix);
  }
});

test("the application's own routes still answer beside the OAuth router", async (t) => {
  const served = await servedWith();
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/hello`);
  t.is(response.status, 200);
  t.is(await response.text(), 'hello');
});

test('RFC 9110 §15.5.6 — a wrong method on an endpoint is answered 405 with the allowed methods (POST, and OPTIONS for CORS preflights)', async (t) => {
  const served = await servedWith();
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth/token`);
  t.is(response.status, 405);
  t.is(response.headers.get('allow'), 'POST, OPTIONS');
});

test('router.guard() refuses to build when the router was given no guard interactor', (t) => {
  const router = createOAuthRouter({ authController: echoAuthController() });
  t.throws(() => router.guard(), { instanceOf: TypeError });
});

test('options that only shape the interactors the router builds are refused next to prebuilt ones, naming where they go', (t) => {
  for (const [name, value] of [
    ['allowBearerTokensInQueryString', true],
    ['realm', 'api'],
    ['onError', () => {}],
  ] as const) {
    const error = t.throws(() => createOAuthRouter({ authController: echoAuthController(), [name]: value } as never), { instanceOf: TypeError });
    t.true(error!.message.includes(name), error!.message);
  }
  t.regex(
    t.throws(() => createOAuthRouter({ authController: echoAuthController(), allowBearerTokensInQueryString: true } as never))!.message,
    /createGuard\(\{ provider, allowBearerTokensInQueryString: true \}\)/,
  );
});
