/**
 * How `guard` carries the interactor's verdict into Koa: `ctx.state.oauth` on success, the
 * interactor's response on failure, and the anonymous path of `passthrough`. Token validation
 * itself is specified end to end in guard.test.ts.
 */
import test from 'ava';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import type { OAuth2GuardInteractor, OAuthGuardOutcome, OAuthGuardResult } from '../../src/core/protocol/interactors.js';
import { createJwtGuard } from '../../src/core/index.js';
import { guard, type OAuthGuardMiddlewareOptions } from '../../src/koa/index.js';
import { scriptedGuard } from './support/echo-interactors.js';
import { serve } from './support/http-server.js';

const verified: OAuthGuardResult = {
  token: { id: 'tok-1', accessTokenExpiresAt: new Date('2100-01-01T00:00:00Z') },
  client: { id: 'app', name: 'App' },
  user: { id: 'u1', username: 'alice' },
  scope: ['read'],
  audience: [],
};
const allow = (): OAuthGuardOutcome => ({ ok: true, oauth: verified });
const refuse = (): OAuthGuardOutcome => ({
  ok: false,
  response: {
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="api", error="invalid_token"' },
    body: { error: 'invalid_token' },
  },
});

async function servedGuarding(decide: () => OAuthGuardOutcome, options: OAuthGuardMiddlewareOptions = {}, parseBodyFirst = false) {
  const interactor = scriptedGuard(decide);
  const app = new Koa();
  if (parseBodyFirst) app.use(bodyParser());
  app.use(guard(interactor, options));
  app.use((ctx) => {
    ctx.body = { oauth: ctx.state.oauth ?? null };
  });
  const served = await serve(app);
  return { served, interactor };
}

test('a granted request continues with ctx.state.oauth set to the verified facts', async (t) => {
  const { served } = await servedGuarding(allow);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(response.status, 200);
  const { oauth } = (await response.json()) as { oauth: OAuthGuardResult };
  t.deepEqual(oauth.client, verified.client);
  t.deepEqual(oauth.scope, ['read']);
  t.is(oauth.token.id, 'tok-1');
});

test('a refused request gets the interactor response and never reaches the route', async (t) => {
  const { served } = await servedGuarding(refuse);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(response.status, 401);
  t.is(response.headers.get('www-authenticate'), 'Bearer realm="api", error="invalid_token"');
  t.deepEqual(await response.json(), { error: 'invalid_token' });
});

test('the required scopes are handed to the interactor', async (t) => {
  let seen: unknown;
  const app = new Koa();
  app.use(
    guard(
      {
        async check(_request, options) {
          seen = options;
          return allow();
        },
      },
      { scope: ['read', 'write'] },
    ),
  );
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  const served = await serve(app);
  t.teardown(() => served.close());
  await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  // With the binding's reporter for failures the interactor's own onError does not take.
  const { fallbackOnError, ...rest } = seen as { fallbackOnError?: unknown };
  t.deepEqual(rest, { scope: ['read', 'write'] });
  t.is(typeof fallbackOnError, 'function');
});

test('with passthrough a caller without credentials continues anonymously, ctx.state.oauth unset', async (t) => {
  const { served, interactor } = await servedGuarding(refuse, { passthrough: true });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`);
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { oauth: null });
  t.is(interactor.calls, 0);
});

test('with passthrough a caller with a valid token continues with ctx.state.oauth set', async (t) => {
  const { served } = await servedGuarding(allow, { passthrough: true });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(((await response.json()) as { oauth: OAuthGuardResult }).oauth.token.id, 'tok-1');
});

test('with passthrough a caller presenting a bad token is still refused', async (t) => {
  const { served } = await servedGuarding(refuse, { passthrough: true });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(response.status, 401);
});

test('with passthrough a token in the query string counts as presented credentials', async (t) => {
  const { served, interactor } = await servedGuarding(refuse, { passthrough: true });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/?access_token=x`);
  t.is(response.status, 401);
  t.is(interactor.calls, 1);
});

test('with passthrough a token in an already parsed form body counts as presented credentials', async (t) => {
  const { served } = await servedGuarding(refuse, { passthrough: true }, true);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { method: 'POST', body: new URLSearchParams({ access_token: 'x' }) });
  t.is(response.status, 401);
});

test('RFC 6750 §3.1 — with passthrough an Authorization header of another scheme is no bearer credential: the caller continues anonymously', async (t) => {
  const { served, interactor } = await servedGuarding(refuse, { passthrough: true });
  t.teardown(() => served.close());
  for (const authorization of ['Basic dXNlcjpwYXNz', 'Digest username="u"', 'Negotiate abc']) {
    const response = await fetch(`${served.origin}/`, { headers: { authorization } });
    t.is(response.status, 200, authorization);
    t.deepEqual(await response.json(), { oauth: null });
  }
  t.is(interactor.calls, 0);
});

test('RFC 9110 §11.1 — with passthrough a Bearer header in any letter case, or a malformed header, counts as presented credentials', async (t) => {
  const { served, interactor } = await servedGuarding(refuse, { passthrough: true });
  t.teardown(() => served.close());
  for (const authorization of ['bearer x', 'BEARER x', 'Bearer', '@@@ x']) {
    const response = await fetch(`${served.origin}/`, { headers: { authorization } });
    t.is(response.status, 401, authorization);
  }
  t.is(interactor.calls, 4);
});

test('RFC 6750 §2 — with passthrough a Basic header next to a query token still has the token checked', async (t) => {
  const { served, interactor } = await servedGuarding(refuse, { passthrough: true });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/?access_token=x`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
  t.is(response.status, 401);
  t.is(interactor.calls, 1);
});

test('the guard does not consume a body nobody parsed', async (t) => {
  const app = new Koa();
  app.use(guard(scriptedGuard(allow)));
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    ctx.body = Buffer.concat(chunks).toString('utf8');
  });
  const served = await serve(app);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/upload`, {
    method: 'POST',
    headers: { authorization: 'Bearer x', 'content-type': 'application/octet-stream' },
    body: 'raw upload bytes',
  });
  t.is(await response.text(), 'raw upload bytes');
});

test('ctx.state.oauth is typed as the guard result for applications', (t) => {
  // Compile-time: fails type-checking if the DefaultState augmentation is lost (the state would be `any`).
  type IsAny<T> = 0 extends 1 & T ? true : false;
  const typed: IsAny<Koa.DefaultState['oauth']> = false;
  const exact: Koa.DefaultState['oauth'] extends OAuthGuardResult | undefined ? true : false = true;
  t.false(typed);
  t.true(exact);
});

/** An interactor that answers at once through `checkEagerly`, and counts calls to each method. */
function eagerGuard(decide: () => OAuthGuardOutcome) {
  const calls = { eager: 0, check: 0 };
  const interactor: OAuth2GuardInteractor = {
    checkEagerly() {
      calls.eager += 1;
      return decide();
    },
    async check() {
      calls.check += 1;
      return decide();
    },
  };
  return { interactor, calls };
}

async function servedWith(interactor: OAuth2GuardInteractor) {
  const app = new Koa();
  app.use(guard(interactor));
  app.use((ctx) => {
    ctx.body = { oauth: ctx.state.oauth ?? null };
  });
  return serve(app);
}

test('an outcome the interactor has ready (checkEagerly) is acted on without calling check: granted', async (t) => {
  const { interactor, calls } = eagerGuard(allow);
  const served = await servedWith(interactor);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(response.status, 200);
  t.is(((await response.json()) as { oauth: OAuthGuardResult }).oauth.token.id, 'tok-1');
  t.deepEqual(calls, { eager: 1, check: 0 });
});

test('an outcome the interactor has ready (checkEagerly) is acted on without calling check: refused', async (t) => {
  const { interactor, calls } = eagerGuard(refuse);
  const served = await servedWith(interactor);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(response.status, 401);
  t.deepEqual(await response.json(), { error: 'invalid_token' });
  t.deepEqual(calls, { eager: 1, check: 0 });
});

test('an outcome checkEagerly can only promise is awaited', async (t) => {
  const served = await servedWith({
    checkEagerly: () => new Promise<OAuthGuardOutcome>((resolve) => setTimeout(() => resolve(allow()), 20)),
    check: () => Promise.reject(new Error('check must not be called')),
  });
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(response.status, 200);
});

test('an error thrown by checkEagerly is answered 500 and emitted on the application, like any middleware error', async (t) => {
  const app = new Koa();
  const emitted: unknown[] = [];
  app.on('error', (error) => emitted.push(error));
  app.use(
    guard({
      checkEagerly: () => {
        throw new TypeError('guard scope must be a list of scope-tokens (RFC 6749 §3.3)');
      },
      check: () => Promise.reject(new Error('check must not be called')),
    }),
  );
  const served = await serve(app);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(response.status, 500);
  t.is(emitted.length, 1);
  t.regex(String(emitted[0]), /scope-tokens/);
});

test("a copy of a kit guard that wraps check ({ ...guard, check }) has its wrapper called: the guard's checkEagerly is not carried over", async (t) => {
  const original = createJwtGuard({ issuer: 'https://issuer.example', resource: 'https://api.example/' });
  t.is(typeof original.checkEagerly, 'function');
  let wrapped = 0;
  const audited: OAuth2GuardInteractor = {
    ...original,
    check: async () => {
      wrapped += 1;
      return refuse();
    },
  };
  t.false('checkEagerly' in audited);
  const served = await servedWith(audited);
  t.teardown(() => served.close());
  const response = await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(response.status, 401);
  t.is(wrapped, 1);
});
