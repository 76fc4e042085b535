/**
 * The JWT guard against oauth2-kit's own authorization server, over HTTP: the tokens it issues for
 * a resource defined with the jwt format are admitted by a resource server that finds the keys
 * through the server's metadata, verifies locally, and never asks again per request; key rotation
 * reaches it through the key set's published lifetimes; revocation does not (by design).
 */
import test, { type ExecutionContext } from 'ava';
import { createGuard, createJwtGuard, type JwtGuardOptions, type OAuth2GuardInteractor, type OAuthHttpRequest } from '../../src/core/index.js';
import { createTestClock, type TestClock } from '../../src/testing/index.js';
import { BILLING, LEGACY, NOTES, startIssuingServer, type IssuingServer } from './support/issuing-server.js';

interface World {
  as: IssuingServer;
  clock: TestClock;
  guard: OAuth2GuardInteractor;
}

/** The server and a guard for NOTES, on one test clock. */
async function world(t: ExecutionContext, options: Partial<JwtGuardOptions> = {}): Promise<World> {
  const clock = createTestClock();
  const as = await startIssuingServer({ clock });
  t.teardown(() => as.close());
  const guard = createJwtGuard({ issuer: as.issuer, resource: NOTES, now: clock.now, ...options });
  return { as, clock, guard };
}

const request = (token: string): OAuthHttpRequest => ({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });

/** The decoded header (part 0) or claims (part 1) of a JWT. */
function partOf(token: string, part: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[part] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

test('RFC 9068 §4 — a JWT the server issued for the resource (client_credentials) is admitted with keys found through its metadata, and no user', async (t) => {
  const { as, clock, guard } = await world(t);
  const token = await as.clientToken(NOTES, 'notes:read notes:write');
  const outcome = await guard.check(request(token), { scope: ['notes:write'] });
  t.true(outcome.ok);
  t.deepEqual(outcome.ok && outcome.oauth, {
    token: { id: partOf(token, 1)['jti'] as string, accessTokenExpiresAt: new Date(clock.now().getTime() + 300_000) },
    client: { id: as.app.id, name: as.app.id },
    user: null,
    scope: ['notes:read', 'notes:write'],
    audience: [NOTES],
  });
  t.is(as.jwksRequests(), 1);
});

test('RFC 9068 §2.2 — a JWT the server issued for a user is admitted with the user as its subject', async (t) => {
  const { as, guard } = await world(t);
  const outcome = await guard.check(request(await as.userToken(NOTES)));
  t.true(outcome.ok);
  t.deepEqual(outcome.ok && outcome.oauth.user, { id: as.user.id });
});

test('RFC 9068 §4 — the token id the JWT guard reports is the one the database-backed guard reports', async (t) => {
  const { as, guard } = await world(t);
  const token = await as.clientToken(NOTES);
  const local = await guard.check(request(token));
  const database = await createGuard({ provider: as.provider, resource: NOTES }).check(request(token));
  t.true(local.ok && database.ok);
  t.is(local.ok && local.oauth.token.id, database.ok && database.oauth.token.id);
});

test('RFC 8707 §2, RFC 9068 §4 — a JWT the server issued for another of its resources is refused', async (t) => {
  const { as, guard } = await world(t);
  const outcome = await guard.check(request(await as.clientToken(BILLING)));
  t.false(outcome.ok);
  t.is(!outcome.ok && outcome.response.headers['www-authenticate'], 'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is not for this resource"');
});

test('RFC 9068 §4 — a JWT of the server is refused once expired (300 s and the 5 s tolerance)', async (t) => {
  const { as, clock, guard } = await world(t);
  const token = await as.clientToken(NOTES);
  t.true((await guard.check(request(token))).ok);
  clock.advance(305);
  t.is(((await guard.check(request(token))) as { response?: { status: number } }).response?.status, 401);
});

test('RFC 9068 §4 — many requests with the server\'s JWTs cost one fetch of its metadata and key set, and no introspection', async (t) => {
  const { as, guard } = await world(t);
  for (let i = 0; i < 10; i++) t.true((await guard.check(request(await as.clientToken(NOTES)))).ok);
  t.is(as.jwksRequests(), 1);
  t.is(as.introspections(), 0);
});

test('RFC 7517 §5 — after the server rotates its keys, tokens signed with the new key are admitted: the key set is refreshed before the new key signs', async (t) => {
  const { as, clock, guard } = await world(t);
  const before = await as.clientToken(NOTES);
  t.true((await guard.check(request(before))).ok);
  await as.provider.keys.rotate();
  // A rotated key signs 660 s after it is published: 600 s of JWKS max-age and a minute.
  clock.advance(660);
  const after = await as.clientToken(NOTES);
  t.not(partOf(after, 0)['kid'], partOf(before, 0)['kid']);
  t.true((await guard.check(request(after))).ok);
  t.is(as.jwksRequests(), 2);
});

test('RFC 9068 §4, RFC 7009 §2.1 — a revoked JWT is still admitted by a local verifier until its exp, while introspection reports it inactive at once', async (t) => {
  const { as, guard } = await world(t);
  const token = await as.clientToken(NOTES);
  await as.revoke(token);
  t.true((await guard.check(request(token))).ok, 'a local verifier does not learn of revocation');
  const introspected = await fetch(`${as.issuer}/auth/introspect`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${as.resourceServer.id}:${as.resourceServer.secret}`).toString('base64')}` },
    body: new URLSearchParams({ token }),
  });
  t.deepEqual(await introspected.json(), { active: false });
});

test('RFC 7662 §2.2 — with introspection configured, an opaque token the server issued for the resource\'s opaque sibling is judged there, and refused for its audience', async (t) => {
  const { as, clock } = await world(t);
  const guard = createJwtGuard({
    issuer: as.issuer,
    resource: LEGACY,
    introspection: { clientId: as.resourceServer.id, clientSecret: as.resourceServer.secret },
    now: clock.now,
  });
  t.true((await guard.check(request(await as.clientToken(LEGACY)))).ok);
  t.is(as.introspections(), 1);
  t.false((await guard.check(request(await as.clientToken(NOTES)))).ok, 'a JWT for another resource is refused locally');
  t.is(as.introspections(), 1);
});
