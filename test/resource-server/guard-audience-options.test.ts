/**
 * `acceptAnyAudience`, the explicit way out of the audience rule (RFC 8707 §2): checked when a
 * guard or a middleware is built, never silently beside a resource it would contradict, and
 * refused by the JWT guard, which always checks `aud` (RFC 9068 §4).
 */
import test from 'ava';
import Koa from 'koa';
import { createGuard, createJwtGuard, OAuthProvider, protectedResourceMetadata, type GuardCheckOptions, type OAuthHttpRequest } from '../../src/core/index.js';
import { guard, jwtGuard, type OAuthGuardMiddlewareOptions } from '../../src/koa/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { serve } from '../koa/support/http-server.js';

const API = 'https://api.example.com/notes';
const ISSUER = 'https://auth.example.com';
const provider = new OAuthProvider(new MemoryStorage());
const request: OAuthHttpRequest = { method: 'GET', headers: { authorization: `Bearer ${'A'.repeat(43)}` }, query: {}, body: {} };

test('createGuard refuses acceptAnyAudience beside resource or a described resourceMetadata, when built', (t) => {
  const described = protectedResourceMetadata({ resource: API, authorizationServers: [ISSUER] });
  t.throws(() => createGuard({ provider, resource: API, acceptAnyAudience: true }), { instanceOf: TypeError, message: /acceptAnyAudience cannot be combined with resource "https:\/\/api\.example\.com\/notes"/ });
  t.throws(() => createGuard({ provider, resourceMetadata: described, acceptAnyAudience: true }), { instanceOf: TypeError, message: /acceptAnyAudience cannot be combined/ });
  t.notThrows(() => createGuard({ provider, resourceMetadata: described.metadataUrl, acceptAnyAudience: true }), 'a metadata URL names no resource');
  t.notThrows(() => createGuard({ provider, resource: API, acceptAnyAudience: false }));
});

test('createGuard refuses an acceptAnyAudience that is not true or false, when built', (t) => {
  for (const value of ['yes', 1, null]) {
    t.throws(() => createGuard({ provider, acceptAnyAudience: value as unknown as boolean }), { instanceOf: TypeError, message: /guard acceptAnyAudience must be true or false/ }, String(value));
  }
});

test('a check refuses acceptAnyAudience: true beside its own resource, or a value that is not a boolean, before it judges the request', async (t) => {
  const bearer = createGuard({ provider });
  await t.throwsAsync(() => bearer.check(request, { resource: API, acceptAnyAudience: true }), { instanceOf: TypeError, message: /acceptAnyAudience cannot be combined/ });
  await t.throwsAsync(() => bearer.check({ ...request, headers: {} }, { acceptAnyAudience: 'true' as unknown as boolean }), { instanceOf: TypeError });
});

test('RFC 9068 §4 — createJwtGuard refuses acceptAnyAudience, when built and on a check: it always checks aud', async (t) => {
  const options = { issuer: ISSUER, resource: API, jwksUri: `${ISSUER}/jwks` };
  t.throws(() => createJwtGuard({ ...options, acceptAnyAudience: true } as Parameters<typeof createJwtGuard>[0]), { instanceOf: TypeError, message: /acceptAnyAudience is not an option of createJwtGuard/ });
  const bearer = createJwtGuard(options);
  await t.throwsAsync(() => bearer.check(request, { acceptAnyAudience: true }), { instanceOf: TypeError, message: /acceptAnyAudience/ });
  t.throws(() => jwtGuard(options)({ acceptAnyAudience: true } as OAuthGuardMiddlewareOptions), { instanceOf: TypeError, message: /acceptAnyAudience is not one of its options/ });
});

test('the Koa guard() hands acceptAnyAudience to the interactor, and refuses it beside resource when built', async (t) => {
  let seen: GuardCheckOptions | undefined;
  const interactor = {
    async check(_request: OAuthHttpRequest, options?: GuardCheckOptions) {
      seen = options;
      return { ok: false as const, response: { status: 401, headers: {}, body: {} } };
    },
  };
  const app = new Koa().use(guard(interactor, { acceptAnyAudience: true }));
  const served = await serve(app);
  t.teardown(() => served.close());
  await fetch(`${served.origin}/`, { headers: { authorization: 'Bearer x' } });
  t.is(seen?.acceptAnyAudience, true);
  t.throws(() => guard(interactor, { resource: API, acceptAnyAudience: true }), { instanceOf: TypeError, message: /acceptAnyAudience cannot be combined/ });
  t.throws(() => guard(interactor, { acceptAnyAudience: 'no' as unknown as boolean }), { instanceOf: TypeError, message: /must be true or false/ });
});
