/**
 * A JWT guard judges the tokens that are not JWTs (opaque tokens) at the issuer's introspection
 * endpoint (RFC 7662), here oauth2-kit's own authorization server on its own port: the endpoint is
 * found in the server's metadata (RFC 8414), the resource server authenticates as its own client,
 * the answer's active, aud, scope and exp decide, and an active answer is kept for a few seconds.
 */
import { hash } from 'node:crypto';
import OAuth2Server from '@node-oauth/oauth2-server';
import test, { type ExecutionContext } from 'ava';
import Koa from 'koa';
import { createJwtGuard, IssuerUnavailableError, OAuthProvider, type JwtGuardOptions, type OAuthHttpRequest } from '../../src/core/index.js';
import { createOAuthRouter } from '../../src/koa/index.js';
import { createTestClock, MemoryStorage, type TestClock } from '../../src/testing/index.js';
import { basic, type ServedApp } from '../koa/support/http-server.js';
import { serveAtOwnOrigin } from '../koa/support/own-origin.js';
import { startSigningIssuer } from './support/signing-issuer.js';

const RESOURCE = 'https://api.example.com/notes';
const OTHER_RESOURCE = 'https://billing.example.com';

interface AuthorizationServer {
  server: ServedApp;
  clock: TestClock;
  app: { id: string; secret: string };
  resourceServer: { id: string; secret: string };
  /** Requests the introspection endpoint has answered. */
  introspections(): number;
  /** A client_credentials token of `app`, opaque, for `resource`. */
  token(resource?: string, scope?: string): Promise<string>;
  revoke(token: string): Promise<void>;
}

async function authorizationServer(t: ExecutionContext): Promise<AuthorizationServer> {
  const clock = createTestClock();
  const provider = new OAuthProvider(new MemoryStorage(), { now: clock.now, passwordHashCost: { N: 1024, r: 8, p: 1 } });
  await provider.scopes.define('notes:read');
  await provider.scopes.define('notes:admin');
  await provider.resources.define({ id: RESOURCE, name: 'Notes' });
  await provider.resources.define({ id: OTHER_RESOURCE, name: 'Billing' });
  const app = await provider.clients.create({ id: 'app', name: 'App', grants: ['client_credentials'], scopes: ['notes:read', 'notes:admin'] });
  // RFC 7662 §4: only a client the server lets introspect others' tokens learns about them.
  const resourceServer = await provider.clients.create({ id: 'notes-api', name: 'Notes API', grants: ['client_credentials'], allowIntrospection: true });
  let introspections = 0;
  const server = await serveAtOwnOrigin((origin) => {
    const router = createOAuthRouter({ provider, server: new OAuth2Server({ model: provider.clientModel() }), issuer: origin });
    const koa = new Koa();
    koa.use(async (ctx, next) => {
      if (ctx.path === '/auth/introspect') introspections += 1;
      await next();
    });
    koa.use(router.routes()).use(router.allowedMethods());
    return koa;
  });
  t.teardown(() => server.close());
  const appAuth = { authorization: basic(app.client.id, app.clientSecret ?? '') };
  return {
    server,
    clock,
    app: { id: app.client.id, secret: app.clientSecret ?? '' },
    resourceServer: { id: resourceServer.client.id, secret: resourceServer.clientSecret ?? '' },
    introspections: () => introspections,
    async token(resource = RESOURCE, scope = 'notes:read') {
      const response = await fetch(`${server.origin}/auth/token`, {
        method: 'POST',
        headers: appAuth,
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
      });
      const json = (await response.json()) as { access_token?: string };
      if (json.access_token === undefined) throw new Error(`no token: ${JSON.stringify(json)}`);
      return json.access_token;
    },
    async revoke(token) {
      const response = await fetch(`${server.origin}/auth/revoke`, { method: 'POST', headers: appAuth, body: new URLSearchParams({ token }) });
      if (response.status !== 200) throw new Error(`revocation answered ${response.status}`);
    },
  };
}

function guardOf(as: AuthorizationServer, options: Partial<JwtGuardOptions> = {}) {
  return createJwtGuard({
    issuer: as.server.origin,
    resource: RESOURCE,
    now: as.clock.now,
    introspection: { clientId: as.resourceServer.id, clientSecret: as.resourceServer.secret },
    ...options,
  });
}

const request = (token: string): OAuthHttpRequest => ({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });

test('RFC 7662 §2.2 — an opaque token of the issuer, for this resource, is admitted through introspection, with its scope and client', async (t) => {
  const as = await authorizationServer(t);
  const token = await as.token();
  const outcome = await guardOf(as).check(request(token), { scope: ['notes:read'] });
  t.true(outcome.ok);
  t.deepEqual(outcome.ok && outcome.oauth, {
    // The token's digest stands for its id: opaque tokens carry no jti, and the token itself is never handed on.
    token: { id: hash('sha256', token, 'hex'), accessTokenExpiresAt: new Date(as.clock.now().getTime() + 3600_000) },
    client: { id: as.app.id, name: as.app.id },
    user: null,
    scope: ['notes:read'],
    audience: [RESOURCE],
  });
  t.is(as.introspections(), 1);
});

test('RFC 8414 §3 — the introspection endpoint is found in the issuer\'s metadata when not configured', async (t) => {
  const as = await authorizationServer(t);
  const guard = guardOf(as);
  t.true((await guard.check(request(await as.token()))).ok);
  t.true((await guard.check(request(await as.token()))).ok);
  t.is(as.introspections(), 2);
});

test('RFC 8707 §2 — an opaque token introspected as active but issued for another resource is refused', async (t) => {
  const as = await authorizationServer(t);
  const outcome = await guardOf(as).check(request(await as.token(OTHER_RESOURCE)));
  t.false(outcome.ok);
  t.is(!outcome.ok && outcome.response.headers['www-authenticate'], 'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is not for this resource"');
});

test('RFC 7662 §2.2 — an opaque token the issuer does not know is refused invalid_token', async (t) => {
  const as = await authorizationServer(t);
  const outcome = await guardOf(as).check(request('x'.repeat(43)));
  t.is(!outcome.ok && outcome.response.status, 401);
  t.is(!outcome.ok && outcome.response.headers['www-authenticate'], 'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is invalid"');
});

test('RFC 6750 §3.1 — an opaque token without the required scope gets 403 insufficient_scope', async (t) => {
  const as = await authorizationServer(t);
  const outcome = await guardOf(as).check(request(await as.token()), { scope: ['notes:admin'] });
  t.is(!outcome.ok && outcome.response.status, 403);
});

test('RFC 7662 §2.2 — an active answer is kept 5 s: a token revoked meanwhile is refused once its answer is that old', async (t) => {
  const as = await authorizationServer(t);
  const guard = guardOf(as);
  const token = await as.token();
  t.true((await guard.check(request(token))).ok);
  await as.revoke(token);
  t.true((await guard.check(request(token))).ok, 'the kept answer still stands');
  t.is(as.introspections(), 1);
  as.clock.advance(5);
  t.false((await guard.check(request(token))).ok);
  t.is(as.introspections(), 2);
});

test('RFC 7662 §2.2 — with introspection.cache false, every request asks, and a revoked token is refused at once', async (t) => {
  const as = await authorizationServer(t);
  const guard = guardOf(as, { introspection: { clientId: as.resourceServer.id, clientSecret: as.resourceServer.secret, cache: false } });
  const token = await as.token();
  t.true((await guard.check(request(token))).ok);
  await as.revoke(token);
  t.false((await guard.check(request(token))).ok);
  t.is(as.introspections(), 2);
});

test('RFC 7662 §2.1 — an introspection endpoint that refuses the resource server\'s credentials gets 503 and a report naming the endpoint and its answer', async (t) => {
  const as = await authorizationServer(t);
  const errors: unknown[] = [];
  const guard = guardOf(as, { introspection: { clientId: as.resourceServer.id, clientSecret: 'wrong' }, onError: (error) => errors.push(error) });
  const outcome = await guard.check(request(await as.token()));
  t.is(!outcome.ok && outcome.response.status, 503);
  t.true(errors[0] instanceof IssuerUnavailableError);
  t.is((errors[0] as IssuerUnavailableError).code, 'introspection_unavailable');
  t.is((errors[0] as Error).message, `Introspection endpoint ${as.server.origin}/auth/introspect could not be fetched: it answered HTTP 401`);
});

test('a JWT that fails verification is refused as it is: it is never sent to introspection', async (t) => {
  const as = await authorizationServer(t);
  const keys = await startSigningIssuer();
  t.teardown(() => keys.close());
  const guard = guardOf(as, { jwksUri: keys.jwksUri });
  // Signed by a key the issuer's set holds, but naming another issuer: a JWT this guard cannot accept.
  const token = await keys.sign({ resource: RESOURCE, nowSeconds: Math.floor(as.clock.now().getTime() / 1000) });
  const outcome = await guard.check(request(token));
  t.is(!outcome.ok && outcome.response.status, 401);
  t.is(as.introspections(), 0);
});
