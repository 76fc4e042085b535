/**
 * The OAuth router lets requests for paths none of its routes can match go on to the
 * application's routes without matching them one by one: whatever it lets through must be exactly
 * what it would not have matched, for its own routes and for any the application adds to it.
 */
import test from 'ava';
import Koa from 'koa';
import Router from '@koa/router';
import { createOAuthRouter } from '../../src/koa/index.js';
import { echoAuthController } from './support/echo-interactors.js';
import { serve } from './support/http-server.js';

function appWith(mount: (app: Koa, oauth: ReturnType<typeof createOAuthRouter>) => void) {
  const app = new Koa();
  const oauth = createOAuthRouter({ authController: echoAuthController() });
  mount(app, oauth);
  const own = new Router();
  own.get('/auth-status', (ctx) => {
    ctx.body = 'status';
  });
  own.get('/api/resource', (ctx) => {
    ctx.body = { matched: (ctx as unknown as { matched?: unknown[] }).matched?.length ?? 0 };
  });
  app.use(own.routes());
  return serve(app);
}

async function endpointOf(url: string): Promise<unknown> {
  const response = await fetch(url, { method: 'POST' });
  return ((await response.json()) as { endpoint?: string }).endpoint;
}

test("a path that only begins like the router's prefix reaches the application's route", async (t) => {
  const served = await appWith((app, oauth) => app.use(oauth.routes()).use(oauth.allowedMethods()));
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/auth-status`);
  t.is(response.status, 200);
  t.is(await response.text(), 'status');
});

test('the endpoints are matched case-insensitively, as @koa/router matches paths', async (t) => {
  const served = await appWith((app, oauth) => app.use(oauth.routes()));
  t.teardown(() => served.close());
  t.is(await endpointOf(`${served.origin}/AUTH/Token`), 'token');
});

test('a route the application adds to the OAuth router later, outside its prefix, is served', async (t) => {
  const served = await appWith((app, oauth) => {
    app.use(oauth.routes());
    oauth.get('/login-help', (ctx) => {
      ctx.body = 'help';
    });
  });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/login-help`);
  t.is(await response.text(), 'help');
});

test('the OAuth router mounted inside another router still serves its endpoints', async (t) => {
  const served = await appWith((app, oauth) => {
    const parent = new Router();
    parent.use(oauth.routes());
    app.use(parent.routes());
  });
  t.teardown(() => served.close());
  t.is(await endpointOf(`${served.origin}/auth/token`), 'token');
});

test("the application's routes see only their own matched layers", async (t) => {
  const served = await appWith((app, oauth) => app.use(oauth.routes()).use(oauth.allowedMethods()));
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/api/resource`);
  t.deepEqual(await response.json(), { matched: 1 });
});

test("a request for the application's own path is not matched against the OAuth router's routes; one for an endpoint is", async (t) => {
  let matched = 0;
  const served = await appWith((app, oauth) => {
    const match = oauth.match.bind(oauth);
    oauth.match = (path, method) => {
      matched += 1;
      return match(path, method);
    };
    app.use(oauth.routes());
  });
  t.teardown(() => served.close());
  await fetch(`${served.origin}/api/resource`);
  t.is(matched, 0);
  await fetch(`${served.origin}/auth/token`, { method: 'POST' });
  t.is(matched, 1);
});
