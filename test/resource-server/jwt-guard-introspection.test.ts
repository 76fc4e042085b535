/**
 * A JWT guard judges the tokens that are not JWTs (opaque tokens) at the issuer's introspection
 * endpoint (RFC 7662), here oauth2-kit's own authorization server on its own port: the endpoint is
 * found in the server's metadata (RFC 8414), the resource server authenticates as its own client,
 * the answer's active, aud, scope and exp decide, and an active answer is kept for a few seconds.
 */
import { hash } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { createJwtGuard, IssuerUnavailableError, type JwtGuardOptions, type OAuth2GuardInteractor, type OAuthHttpRequest } from '../../src/core/index.js';
import { createTestClock, type TestClock } from '../../src/testing/index.js';
import { basic } from '../koa/support/http-server.js';
import { ARCHIVE, LEGACY, startIssuingServer, type IssuingServer } from './support/issuing-server.js';
import { startSigningIssuer } from './support/signing-issuer.js';
import { startStubIntrospectionEndpoint } from './support/stub-introspection-endpoint.js';

interface World {
  as: IssuingServer;
  clock: TestClock;
  guard: OAuth2GuardInteractor;
}

/** The server, and a guard for its opaque resource LEGACY that introspects as the resource server's client. */
async function world(t: ExecutionContext, options: (as: IssuingServer) => Partial<JwtGuardOptions> = () => ({})): Promise<World> {
  const clock = createTestClock();
  const as = await startIssuingServer({ clock });
  t.teardown(() => as.close());
  const guard = createJwtGuard({
    issuer: as.issuer,
    resource: LEGACY,
    now: clock.now,
    introspection: { clientId: as.resourceServer.id, clientSecret: as.resourceServer.secret },
    ...options(as),
  });
  return { as, clock, guard };
}

const request = (token: string): OAuthHttpRequest => ({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });

test('RFC 7662 §2.2 — an opaque token of the issuer, for this resource, is admitted through introspection, with its scope and client', async (t) => {
  const { as, clock, guard } = await world(t);
  const token = await as.clientToken(LEGACY);
  const outcome = await guard.check(request(token), { scope: ['notes:read'] });
  t.true(outcome.ok);
  t.deepEqual(outcome.ok && outcome.oauth, {
    // The token's digest stands for its id: opaque tokens carry no jti, and the token itself is never handed on.
    token: { id: hash('sha256', token, 'hex'), accessTokenExpiresAt: new Date(clock.now().getTime() + 3600_000) },
    client: { id: as.app.id, name: as.app.id },
    user: null,
    scope: ['notes:read'],
    audience: [LEGACY],
  });
  t.is(as.introspections(), 1);
});

test('RFC 7662 §2.2 — an opaque user token is admitted with the user introspection names', async (t) => {
  const { as, guard } = await world(t);
  const outcome = await guard.check(request(await as.userToken(LEGACY)));
  t.deepEqual(outcome.ok && outcome.oauth.user, { id: as.user.id, username: as.user.username });
});

test('RFC 7662 §2.2, RFC 9700 §4.15 — an opaque token of a user whose id is also its client\'s id is admitted for that user, not as the client\'s own', async (t) => {
  const { as, guard } = await world(t);
  const shared = await as.provider.clients.create({ id: 'shared-id', name: 'Shared', grants: ['password'], scopes: ['notes:read'] });
  await as.provider.users.create({ id: 'shared-id', username: 'shared-user', password: 'a password of the user' });
  const response = await fetch(`${as.issuer}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic('shared-id', shared.clientSecret ?? '') },
    body: new URLSearchParams({ grant_type: 'password', username: 'shared-user', password: 'a password of the user', scope: 'notes:read', resource: LEGACY }),
  });
  const { access_token: token } = (await response.json()) as { access_token: string };
  const outcome = await guard.check(request(token));
  t.deepEqual(outcome.ok && outcome.oauth.client, { id: 'shared-id', name: 'shared-id' });
  t.deepEqual(outcome.ok && outcome.oauth.user, { id: 'shared-id', username: 'shared-user' });
});

test('RFC 8414 §3 — the introspection endpoint is found in the issuer\'s metadata when not configured', async (t) => {
  const { as, guard } = await world(t);
  t.true((await guard.check(request(await as.clientToken(LEGACY)))).ok);
  t.true((await guard.check(request(await as.clientToken(LEGACY)))).ok);
  t.is(as.introspections(), 2);
});

test('RFC 8707 §2 — an opaque token introspected as active but issued for another resource is refused', async (t) => {
  const { as, guard } = await world(t);
  const outcome = await guard.check(request(await as.clientToken(ARCHIVE)));
  t.false(outcome.ok);
  t.is(!outcome.ok && outcome.response.headers['www-authenticate'], 'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is not for this resource"');
});

test('RFC 7662 §2.2 — an opaque token the issuer does not know is refused invalid_token', async (t) => {
  const { guard } = await world(t);
  const outcome = await guard.check(request('x'.repeat(43)));
  t.is(!outcome.ok && outcome.response.status, 401);
  t.is(!outcome.ok && outcome.response.headers['www-authenticate'], 'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is invalid"');
});

test('RFC 6750 §3.1 — an opaque token without the required scope gets 403 insufficient_scope', async (t) => {
  const { as, guard } = await world(t);
  const outcome = await guard.check(request(await as.clientToken(LEGACY)), { scope: ['notes:write'] });
  t.is(!outcome.ok && outcome.response.status, 403);
});

test('RFC 7662 §2.2 — an active answer is kept 5 s: a token revoked meanwhile is refused once its answer is that old', async (t) => {
  const { as, clock, guard } = await world(t);
  const token = await as.clientToken(LEGACY);
  t.true((await guard.check(request(token))).ok);
  await as.revoke(token);
  t.true((await guard.check(request(token))).ok, 'the kept answer still stands');
  t.is(as.introspections(), 1);
  clock.advance(5);
  t.false((await guard.check(request(token))).ok);
  t.is(as.introspections(), 2);
});

test('RFC 7662 §2.2 — with introspection.cache false, every request asks, and a revoked token is refused at once', async (t) => {
  const { as, guard } = await world(t, (as) => ({ introspection: { clientId: as.resourceServer.id, clientSecret: as.resourceServer.secret, cache: false } }));
  const token = await as.clientToken(LEGACY);
  t.true((await guard.check(request(token))).ok);
  await as.revoke(token);
  t.false((await guard.check(request(token))).ok);
  t.is(as.introspections(), 2);
});

test('RFC 7662 §2.2 — an answer that a token is not active is kept as long as an active one: the same unknown token again costs no request', async (t) => {
  const { as, clock, guard } = await world(t);
  const unknown = 'x'.repeat(43);
  t.is(!(await guard.check(request(unknown))).ok && as.introspections(), 1);
  clock.advance(4.999);
  t.is(!(await guard.check(request(unknown))).ok && as.introspections(), 1);
  clock.advance(0.001);
  t.is(!(await guard.check(request(unknown))).ok && as.introspections(), 2);
});

test('RFC 7662 §2.2 — made-up tokens do not push active answers out of the cache: inactive answers are kept apart', async (t) => {
  const { as, guard } = await world(t, (as) => ({ introspection: { clientId: as.resourceServer.id, clientSecret: as.resourceServer.secret, cache: { maxEntries: 2 } } }));
  const token = await as.clientToken(LEGACY);
  t.true((await guard.check(request(token))).ok);
  for (let n = 0; n < 3; n++) t.false((await guard.check(request(`made-up-${n}`.padEnd(43, 'x')))).ok);
  t.is(as.introspections(), 4);
  t.true((await guard.check(request(token))).ok);
  t.is(as.introspections(), 4);
});

test('RFC 7662 §2.1 — at most 8 introspections are in flight: another new opaque token meanwhile gets 503 with Retry-After, unasked, reported once', async (t) => {
  const endpoint = await startStubIntrospectionEndpoint();
  t.teardown(() => endpoint.close());
  const errors: unknown[] = [];
  const guard = createJwtGuard({
    issuer: endpoint.origin,
    resource: LEGACY,
    introspection: { endpoint: endpoint.url, clientId: 'notes-api', clientSecret: 'secret' },
    onError: (error) => errors.push(error),
  });
  endpoint.requests.hold();
  const pending = Array.from({ length: 8 }, (_, n) => guard.check(request(`pending-${n}`.padEnd(43, 'x'))));
  await endpoint.requests.arrival(8);
  for (const n of [8, 9]) {
    const outcome = await guard.check(request(`pending-${n}`.padEnd(43, 'x')));
    t.is(!outcome.ok && outcome.response.status, 503);
    t.is(!outcome.ok && outcome.response.headers['retry-after'], '1');
  }
  t.is(endpoint.requests.arrived, 8);
  t.is(errors.length, 1);
  t.is((errors[0] as IssuerUnavailableError).code, 'introspection_busy');
  t.is((errors[0] as Error).message, `Introspection endpoint ${endpoint.url} was not asked: 8 introspections are in flight already (introspection.maxInFlight); requests with other opaque tokens are answered 503 meanwhile (reported at most once a minute)`);
  endpoint.requests.release();
  for (const outcome of await Promise.all(pending)) t.is(!outcome.ok && outcome.response.status, 401);
  t.is((await guard.check(request('pending-9'.padEnd(43, 'x'))) as { response?: { status: number } }).response?.status, 401);
  t.is(endpoint.requests.arrived, 9);
});

test('RFC 6750 §3.1 — an opaque token longer than 16 KiB, longer than any access token issued, is refused invalid_token without a request to the issuer', async (t) => {
  const { as, guard } = await world(t);
  const outcome = await guard.check(request('x'.repeat(16 * 1024 + 1)));
  t.is(!outcome.ok && outcome.response.status, 401);
  t.is(as.introspections(), 0);
  t.false((await guard.check(request('x'.repeat(16 * 1024)))).ok);
  t.is(as.introspections(), 1, 'a token of 16 KiB is asked about');
});

test('introspection.maxInFlight other than a whole number ≥ 1 is refused when the guard is built, naming the option', (t) => {
  for (const maxInFlight of [0, 1.5, Number.NaN]) {
    const error = t.throws(() => createJwtGuard({ issuer: 'https://auth.example.com', resource: LEGACY, introspection: { clientId: 'rs', clientSecret: 's', maxInFlight } }));
    t.is(error?.message, `introspection.maxInFlight must be a whole number ≥ 1, got ${maxInFlight}`);
  }
});

test('RFC 7662 §2.1 — an introspection endpoint that refuses the resource server\'s credentials gets 503 and a report naming the endpoint and its answer', async (t) => {
  const errors: unknown[] = [];
  const { as, guard } = await world(t, (as) => ({
    introspection: { clientId: as.resourceServer.id, clientSecret: 'wrong' },
    onError: (error) => errors.push(error),
  }));
  const outcome = await guard.check(request(await as.clientToken(LEGACY)));
  t.is(!outcome.ok && outcome.response.status, 503);
  t.true(errors[0] instanceof IssuerUnavailableError);
  t.is((errors[0] as IssuerUnavailableError).code, 'introspection_unavailable');
  t.is((errors[0] as Error).message, `Introspection endpoint ${as.issuer}/auth/introspect could not be fetched: it answered HTTP 401`);
});

test('a JWT that fails verification is refused as it is: it is never sent to introspection', async (t) => {
  const { as, clock, guard } = await world(t);
  const forger = await startSigningIssuer();
  t.teardown(() => forger.close());
  // Claims the server's name, but signed with a key the server never published.
  const forged = await forger.sign({ resource: LEGACY, nowSeconds: Math.floor(clock.now().getTime() / 1000), claims: { iss: as.issuer } });
  const outcome = await guard.check(request(forged));
  t.is(!outcome.ok && outcome.response.status, 401);
  t.is(as.introspections(), 0);
});
