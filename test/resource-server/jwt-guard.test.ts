/**
 * A resource server that verifies JWT access tokens itself (RFC 9068 §4), with the keys its
 * authorization server publishes: which tokens it admits, which it refuses and how, and how often
 * it asks the issuer for keys. The issuer here is a real HTTP server holding real key pairs; the
 * resource is a Koa application guarded by `jwtGuard` from oauth2-kit/koa, spoken to over HTTP.
 */
import Router from '@koa/router';
import test, { type ExecutionContext } from 'ava';
import { base64url, exportSPKI, importJWK, SignJWT, type CryptoKey } from 'jose';
import Koa from 'koa';
import { createJwtGuard, IssuerUnavailableError, protectedResourceMetadata, type JwtGuardOptions, type OAuthGuardResult } from '../../src/core/index.js';
import { jwtGuard } from '../../src/koa/index.js';
import { createTestClock, type TestClock } from '../../src/testing/index.js';
import { serve, type ServedApp } from '../koa/support/http-server.js';
import { startSigningIssuer, type SigningIssuer } from './support/signing-issuer.js';

const RESOURCE = 'https://api.example.com/notes';

interface World {
  issuer: SigningIssuer;
  clock: TestClock;
  api: ServedApp;
  /** A token the issuer signs now, for the resource, with `claims` and `header` laid over the usual ones. */
  token(options?: { claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: SigningIssuer['key'] }): Promise<string>;
  /** GET `path` of the resource with `token` as its bearer token. */
  get(path: string, token?: string): Promise<Response>;
}

/** A fresh issuer, and a resource guarded against it: `/notes` needs `notes:read`, `/admin` `notes:admin`. */
async function world(t: ExecutionContext, options: Partial<JwtGuardOptions> = {}): Promise<World> {
  const issuer = await startSigningIssuer();
  t.teardown(() => issuer.close());
  const clock = createTestClock();
  const requireToken = jwtGuard({ issuer: issuer.issuer, resource: RESOURCE, now: clock.now, ...options });
  const routes = new Router();
  routes.get('/notes', requireToken({ scope: ['notes:read'] }), (ctx) => {
    ctx.body = ctx.state.oauth;
  });
  routes.get('/admin', requireToken({ scope: ['notes:admin'] }), (ctx) => {
    ctx.body = ctx.state.oauth;
  });
  const app = new Koa();
  app.use(routes.routes());
  const api = await serve(app);
  t.teardown(() => api.close());
  return {
    issuer,
    clock,
    api,
    token: (overrides = {}) => issuer.sign({ resource: RESOURCE, nowSeconds: Math.floor(clock.now().getTime() / 1000), ...overrides }),
    get: (path, token) => fetch(`${api.origin}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }),
  };
}

const INVALID = 'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is invalid"';

async function assertRefusedInvalid(t: ExecutionContext, response: Response): Promise<void> {
  t.is(response.status, 401);
  t.is(response.headers.get('www-authenticate'), INVALID);
  t.deepEqual(await response.json(), { error: 'invalid_token', error_description: 'Invalid token: access token is invalid' });
}

/** A compact JWS with the given header and payload and no signature (RFC 7515 §7.1 with an empty third part). */
function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(payload)}.`;
}

// ── Admitted ──────────────────────────────────────────────────────────────────────────────────

test('RFC 9068 §4 — a token the issuer signed for this resource is admitted, with its scopes, client, subject, jti and expiry', async (t) => {
  const w = await world(t);
  const token = await w.token({ claims: { jti: 'token-7' } });
  const response = await w.get('/notes', token);
  t.is(response.status, 200);
  t.deepEqual(await response.json(), {
    token: { id: 'token-7', accessTokenExpiresAt: '2030-01-01T00:05:00.000Z' },
    client: { id: 'app-1', name: 'app-1' },
    user: { id: 'user-1' },
    scope: ['notes:read', 'notes:write'],
    audience: [RESOURCE],
  });
});

test('RFC 9068 §4 — the media type form of typ, "application/at+jwt", is admitted too', async (t) => {
  const w = await world(t);
  const response = await w.get('/notes', await w.token({ header: { typ: 'application/at+jwt' } }));
  t.is(response.status, 200);
});

test('RFC 9068 §4 — a token whose aud lists several resources, this one among them, is admitted', async (t) => {
  const w = await world(t);
  const response = await w.get('/notes', await w.token({ claims: { aud: ['https://other.example.com', RESOURCE] } }));
  t.is(response.status, 200);
  t.deepEqual(((await response.json()) as OAuthGuardResult).audience, ['https://other.example.com', RESOURCE]);
});

test('RFC 9068 §5, RFC 9700 §4.15 — a token whose subject is its client (client_credentials) speaks for no user', async (t) => {
  const w = await world(t);
  const response = await w.get('/notes', await w.token({ claims: { sub: 'app-1' } }));
  t.is(response.status, 200);
  t.is(((await response.json()) as OAuthGuardResult).user, null);
});

test('RFC 9068 §4 — a token signed with EdDSA is admitted by default', async (t) => {
  const w = await world(t);
  const key = await w.issuer.newKey('EdDSA');
  w.issuer.publish(key);
  t.is((await w.get('/notes', await w.token({ key }))).status, 200);
});

// ── Refused: the token is not an access token of this issuer ─────────────────────────────────

test('RFC 9068 §4 — a JWT typed "JWT" (an ID token, say) is refused invalid_token', async (t) => {
  const w = await world(t);
  await assertRefusedInvalid(t, await w.get('/notes', await w.token({ header: { typ: 'JWT' } })));
});

test('RFC 9068 §4 — a JWT without typ is refused invalid_token', async (t) => {
  const w = await world(t);
  await assertRefusedInvalid(t, await w.get('/notes', await w.token({ header: { typ: undefined } })));
});

test('RFC 9068 §4 — an unsigned token (alg none) is refused invalid_token', async (t) => {
  const w = await world(t);
  const genuine = await w.token();
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(genuine.split('.')[1]!))) as Record<string, unknown>;
  await assertRefusedInvalid(t, await w.get('/notes', unsigned({ alg: 'none', typ: 'at+jwt', kid: w.issuer.key.kid }, payload)));
});

test('RFC 8725 §3.1 — an HS256 token whose secret is the issuer\'s public key is refused invalid_token', async (t) => {
  const w = await world(t);
  const publicKey = await importJWK(w.issuer.key.publicJwk, 'ES256', { extractable: true });
  const secret = new TextEncoder().encode(await exportSPKI(publicKey as CryptoKey));
  const now = Math.floor(w.clock.now().getTime() / 1000);
  const forged = await new SignJWT({ client_id: 'app-1', scope: 'notes:read', jti: 'forged' })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: w.issuer.key.kid })
    .setIssuer(w.issuer.issuer)
    .setSubject('admin')
    .setAudience(RESOURCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(secret);
  await assertRefusedInvalid(t, await w.get('/notes', forged));
});

test('RFC 9068 §4 — a token signed by a key the issuer never published is refused invalid_token', async (t) => {
  const w = await world(t);
  const stranger = await w.issuer.newKey();
  await assertRefusedInvalid(t, await w.get('/notes', await w.token({ key: { ...stranger, kid: w.issuer.key.kid } })));
});

test('RFC 9068 §4 — a token whose iss is another issuer is refused invalid_token', async (t) => {
  const w = await world(t);
  await assertRefusedInvalid(t, await w.get('/notes', await w.token({ claims: { iss: 'https://evil.example.com' } })));
});

test('RFC 8707 §2, RFC 9068 §4 — a token issued for another resource of the same issuer is refused (the confused deputy)', async (t) => {
  const w = await world(t);
  const response = await w.get('/notes', await w.token({ claims: { aud: 'https://billing.example.com' } }));
  t.is(response.status, 401);
  t.is(
    response.headers.get('www-authenticate'),
    'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is not for this resource"',
  );
});

test('RFC 9068 §4 — an expired token is refused invalid_token', async (t) => {
  const w = await world(t);
  const token = await w.token();
  w.clock.advance(300 + 5);
  await assertRefusedInvalid(t, await w.get('/notes', token));
});

test('RFC 9068 §4 — a token admitted once is refused once expired, though its verification was kept', async (t) => {
  const w = await world(t);
  const token = await w.token();
  t.is((await w.get('/notes', token)).status, 200);
  w.clock.advance(300 + 5);
  await assertRefusedInvalid(t, await w.get('/notes', token));
});

test('RFC 9068 §4 — a token expired by less than the clock tolerance (5 s) is still admitted', async (t) => {
  const w = await world(t);
  const token = await w.token();
  w.clock.advance(300 + 4);
  t.is((await w.get('/notes', token)).status, 200);
});

test('RFC 7519 §4.1.5 — a token not valid before a later time (nbf) is refused until then', async (t) => {
  const w = await world(t);
  const now = Math.floor(w.clock.now().getTime() / 1000);
  const token = await w.token({ claims: { nbf: now + 60 } });
  await assertRefusedInvalid(t, await w.get('/notes', token));
  w.clock.advance(60);
  t.is((await w.get('/notes', token)).status, 200);
});

for (const claim of ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti']) {
  test(`RFC 9068 §2.2 — a token without the required claim ${claim} is refused invalid_token`, async (t) => {
    const w = await world(t);
    await assertRefusedInvalid(t, await w.get('/notes', await w.token({ claims: { [claim]: undefined } })));
  });
}

test('RFC 9068 §2.2 — a token whose client_id is not a string is refused invalid_token', async (t) => {
  const w = await world(t);
  await assertRefusedInvalid(t, await w.get('/notes', await w.token({ claims: { client_id: 42 } })));
});

test('RFC 9068 §2.2.3 — a token whose scope is not a space-delimited string is refused invalid_token', async (t) => {
  const w = await world(t);
  await assertRefusedInvalid(t, await w.get('/notes', await w.token({ claims: { scope: ['notes:read'] } })));
});

test('RFC 6750 §3.1 — a token with a bad signature is refused invalid_token', async (t) => {
  const w = await world(t);
  const [header, payload] = (await w.token()).split('.');
  const other = (await w.token()).split('.')[2];
  await assertRefusedInvalid(t, await w.get('/notes', `${header}.${payload}.${other}`));
});

test('RFC 6750 §3.1 — a JWT longer than 16 KiB, longer than any access token issued, is refused invalid_token unverified, though its signature is good', async (t) => {
  // Past Node's default header limit (16 KiB in all): the guard is asked directly, as a server
  // with a larger limit, or a form body (RFC 6750 §2.2), would ask it.
  const issuer = await startSigningIssuer();
  t.teardown(() => issuer.close());
  const clock = createTestClock();
  const guard = createJwtGuard({ issuer: issuer.issuer, resource: RESOURCE, now: clock.now });
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);
  const request = (token: string) => ({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });
  const long = await issuer.sign({ resource: RESOURCE, nowSeconds, claims: { padding: 'x'.repeat(12_300) } });
  t.true(long.length > 16 * 1024);
  const refused = await guard.check(request(long));
  t.is(!refused.ok && refused.response.headers['www-authenticate'], INVALID);
  t.is(issuer.jwksRequests, 0, 'no key was needed');
  const longest = await issuer.sign({ resource: RESOURCE, nowSeconds, claims: { padding: 'x'.repeat(11_900) } });
  t.true(longest.length <= 16 * 1024);
  t.true((await guard.check(request(longest))).ok);
});

test('RFC 6750 §3.1 — an opaque token is refused invalid_token when no introspection is configured', async (t) => {
  const w = await world(t);
  await assertRefusedInvalid(t, await w.get('/notes', 'A'.repeat(43)));
});

// ── Answers ───────────────────────────────────────────────────────────────────────────────────

test('RFC 6750 §3.1 — a token without the route\'s scope gets 403 insufficient_scope naming the scope', async (t) => {
  const w = await world(t);
  const response = await w.get('/admin', await w.token());
  t.is(response.status, 403);
  t.is(
    response.headers.get('www-authenticate'),
    'Bearer realm="oauth2", error="insufficient_scope", error_description="Insufficient scope: authorized scope is insufficient", scope="notes:admin"',
  );
});

test('RFC 6750 §3.1 — a request without a token gets 401 with a bare challenge, and no key is fetched', async (t) => {
  const w = await world(t);
  const response = await w.get('/notes');
  t.is(response.status, 401);
  t.is(response.headers.get('www-authenticate'), 'Bearer realm="oauth2"');
  t.is(w.issuer.jwksRequests, 0);
});

test('RFC 9728 §5.1 — with a described resourceMetadata, a refusal names the metadata and the scope, and the resource is the one described', async (t) => {
  const issuer = await startSigningIssuer();
  t.teardown(() => issuer.close());
  const metadata = protectedResourceMetadata({ resource: RESOURCE, authorizationServers: [issuer.issuer], scopesSupported: ['notes:read'] });
  const clock = createTestClock();
  const guard = createJwtGuard({ issuer: issuer.issuer, resourceMetadata: metadata, now: clock.now });
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);
  const request = (token: string) => ({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });
  const foreign = await guard.check(request(await issuer.sign({ resource: 'https://billing.example.com', nowSeconds })), { scope: ['notes:read'] });
  t.false(foreign.ok);
  t.is(
    !foreign.ok && foreign.response.headers['www-authenticate'],
    'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is not for this resource", scope="notes:read", ' +
      `resource_metadata="${metadata.metadataUrl}"`,
  );
  t.true((await guard.check(request(await issuer.sign({ resource: RESOURCE, nowSeconds })), { scope: ['notes:read'] })).ok);
});

// ── Keys: discovery, caching, rotation ───────────────────────────────────────────────────────

test('RFC 8414 §3 — without jwksUri, the key set is found through the issuer\'s metadata, and fetched once for many tokens', async (t) => {
  const w = await world(t);
  for (let i = 0; i < 5; i++) t.is((await w.get('/notes', await w.token())).status, 200);
  t.is(w.issuer.jwksRequests, 1);
});

test('RFC 8414 §3.3 — metadata naming another issuer is not used: 503, and the report says why', async (t) => {
  const issuer = await startSigningIssuer();
  t.teardown(() => issuer.close());
  const errors: unknown[] = [];
  // The issuer identifier with a final "/" is another string than the one the metadata names.
  const guard = createJwtGuard({ issuer: `${issuer.issuer}/`, resource: RESOURCE, onError: (error) => errors.push(error) });
  const token = await issuer.sign({ resource: RESOURCE, nowSeconds: Math.floor(Date.now() / 1000), claims: { iss: `${issuer.issuer}/` } });
  const outcome = await guard.check({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });
  t.is(!outcome.ok && outcome.response.status, 503);
  t.true(errors[0] instanceof IssuerUnavailableError);
  t.is((errors[0] as IssuerUnavailableError).code, 'metadata_unavailable');
  t.regex((errors[0] as Error).message, /names the issuer "http:\/\/127\.0\.0\.1:\d+", not "http:\/\/127\.0\.0\.1:\d+\/" \(RFC 8414 §3\.3\)/);
  t.is(issuer.jwksRequests, 0);
});

test('RFC 7517 §5 — a token signed with a key the issuer has just published is admitted after one more fetch of the key set', async (t) => {
  const w = await world(t);
  t.is((await w.get('/notes', await w.token())).status, 200);
  t.is(w.issuer.jwksRequests, 1);
  const rotated = await w.issuer.newKey();
  w.issuer.publish(rotated);
  w.clock.advance(30);
  t.is((await w.get('/notes', await w.token({ key: rotated }))).status, 200);
  t.is(w.issuer.jwksRequests, 2);
  t.is((await w.get('/notes', await w.token({ key: rotated }))).status, 200);
  t.is(w.issuer.jwksRequests, 2);
});

test('RFC 7517 §5 — tokens naming unknown keys cost the issuer at most one request per cooldown (30 s), however many arrive', async (t) => {
  const w = await world(t);
  t.is((await w.get('/notes', await w.token())).status, 200);
  const stranger = await w.issuer.newKey();
  const forged = (n: number) => w.token({ key: { ...stranger, kid: `made-up-${n}` } });
  // Within the cooldown of the first fetch: nothing is fetched, whatever the kid.
  for (let n = 0; n < 20; n++) t.is((await w.get('/notes', await forged(n))).status, 401);
  t.is(w.issuer.jwksRequests, 1);
  // Past it: one fetch, shared by a burst of concurrent requests, then quiet again.
  w.clock.advance(30);
  const burst = await Promise.all(Array.from({ length: 20 }, async (_, n) => (await w.get('/notes', await forged(100 + n))).status));
  t.deepEqual(new Set(burst), new Set([401]));
  for (let n = 0; n < 20; n++) t.is((await w.get('/notes', await forged(200 + n))).status, 401);
  t.is(w.issuer.jwksRequests, 2);
  w.clock.advance(29);
  await w.get('/notes', await forged(300));
  t.is(w.issuer.jwksRequests, 2);
  w.clock.advance(1);
  await w.get('/notes', await forged(301));
  t.is(w.issuer.jwksRequests, 3);
});

test('RFC 7517 §5 — the key set is fetched again once 10 minutes old, behind the requests, and a token of a withdrawn key is refused once it is in', async (t) => {
  const w = await world(t);
  const token = await w.token({ claims: { exp: Math.floor(w.clock.now().getTime() / 1000) + 3600 } });
  t.is((await w.get('/notes', token)).status, 200);
  const successor = await w.issuer.newKey();
  w.issuer.publish(successor);
  w.issuer.withdraw(w.issuer.key);
  w.clock.advance(599);
  t.is((await w.get('/notes', token)).status, 200, 'the keys in hand are still fresh');
  t.is(w.issuer.jwksRequests, 1);
  w.clock.advance(1);
  t.is((await w.get('/notes', token)).status, 200, 'answered with the keys in hand while the set is fetched again');
  t.is((await w.get('/notes', await w.token({ key: successor }))).status, 200, 'a token of the new key waits for that fetch');
  t.is(w.issuer.jwksRequests, 2);
  await assertRefusedInvalid(t, await w.get('/notes', token));
});

test('RFC 7517 §5 — while the issuer hangs on a refresh of the key set, tokens of keys in hand are answered; only an unknown kid waits for it', async (t) => {
  // A request that waited for the refresh would wait as long as the issuer hangs, past the test's time-out.
  const w = await world(t, { timeoutMs: 600_000 });
  const kept = await w.token({ claims: { exp: Math.floor(w.clock.now().getTime() / 1000) + 3600 } });
  t.is((await w.get('/notes', kept)).status, 200);
  const successor = await w.issuer.newKey();
  w.issuer.publish(successor);
  w.issuer.jwks.hold();
  w.clock.advance(600);
  t.is((await w.get('/notes', kept)).status, 200, 'a kept verification');
  await w.issuer.jwks.arrival(2);
  t.is((await w.get('/notes', await w.token())).status, 200, 'a new token of a key in hand, verified with it');
  const unknownKid = w.get('/notes', await w.token({ key: successor }));
  w.issuer.jwks.release();
  t.is((await unknownKid).status, 200);
  t.is(w.issuer.jwksRequests, 2);
});

test('RFC 7517 §5 — when a refresh of the key set fails, the keys in hand stay in use and the failure is reported once', async (t) => {
  const errors: unknown[] = [];
  let heard = () => {};
  const reported = new Promise<void>((resolve) => (heard = resolve));
  const w = await world(t, {
    onError: (error) => {
      errors.push(error);
      heard();
    },
  });
  t.is((await w.get('/notes', await w.token())).status, 200);
  w.issuer.jwksStatus = 500;
  w.clock.advance(600);
  t.is((await w.get('/notes', await w.token())).status, 200);
  await reported;
  t.is((await w.get('/notes', await w.token())).status, 200);
  t.is(errors.length, 1);
  t.regex((errors[0] as Error).message, /^JWKS http:\/\/127\.0\.0\.1:\d+\/jwks could not be fetched: it answered HTTP 500$/);
});

// ── The issuer out of reach ──────────────────────────────────────────────────────────────────

test('a key set that cannot be fetched gets 503 temporarily_unavailable, and a report naming the URL and the cause', async (t) => {
  const closed = await closedPort();
  const issuer = await startSigningIssuer();
  t.teardown(() => issuer.close());
  const jwksUri = `http://127.0.0.1:${closed}/jwks`;
  const app = new Koa();
  app.use(jwtGuard({ issuer: issuer.issuer, resource: RESOURCE, jwksUri })());
  const api = await serve(app);
  t.teardown(() => api.close());
  const token = await issuer.sign({ resource: RESOURCE, nowSeconds: Math.floor(Date.now() / 1000) });
  const response = await fetch(`${api.origin}/`, { headers: { authorization: `Bearer ${token}` } });
  t.is(response.status, 503);
  t.deepEqual(await response.json(), { error: 'temporarily_unavailable', error_description: 'The server is temporarily unavailable' });
  t.is(api.emittedErrors.length, 1);
  const error = api.emittedErrors[0] as IssuerUnavailableError;
  t.true(error instanceof IssuerUnavailableError);
  t.is(error.code, 'jwks_unavailable');
  t.is(error.url, jwksUri);
  t.is(error.message, `JWKS ${jwksUri} could not be fetched: connect ECONNREFUSED 127.0.0.1:${closed}`);
});

test('while the key set cannot be fetched, it is asked for at most once per cooldown, and each failure reported once', async (t) => {
  const errors: unknown[] = [];
  const w = await world(t, { onError: (error) => errors.push(error) });
  w.issuer.jwksStatus = 500;
  const token = await w.token();
  for (let i = 0; i < 10; i++) t.is((await w.get('/notes', token)).status, 503);
  t.is(w.issuer.jwksRequests, 1);
  t.is(errors.length, 1);
  w.clock.advance(30);
  w.issuer.jwksStatus = 200;
  t.is((await w.get('/notes', token)).status, 200);
  t.is(w.issuer.jwksRequests, 2);
});

test('a token naming an unknown key while the last fetch of the key set failed gets 503, not 401: the issuer cannot say', async (t) => {
  const w = await world(t);
  t.is((await w.get('/notes', await w.token())).status, 200);
  const rotated = await w.issuer.newKey();
  w.issuer.publish(rotated);
  w.issuer.jwksStatus = 500;
  w.clock.advance(30);
  t.is((await w.get('/notes', await w.token({ key: rotated }))).status, 503);
  t.is((await w.get('/notes', await w.token({ key: rotated }))).status, 503);
  t.is(w.issuer.jwksRequests, 2);
});

// ── Options checked when the guard is built ──────────────────────────────────────────────────

test('RFC 9068 §4 — "none" among the algorithms is refused when the guard is built', (t) => {
  const error = t.throws(() => createJwtGuard({ issuer: 'https://auth.example.com', resource: RESOURCE, algorithms: ['ES256', 'none'] }));
  t.is(error?.message, 'algorithms must not include "none": an unsigned token proves nothing (RFC 9068 §4)');
});

test('RFC 8725 §3.1 — a symmetric algorithm (HS256) is refused when the guard is built, even if configured', (t) => {
  const error = t.throws(() => createJwtGuard({ issuer: 'https://auth.example.com', resource: RESOURCE, algorithms: ['HS256'] }));
  t.is(error?.message, 'algorithms must not include HS256: only public-key signatures are verified, never a shared secret (RFC 8725 §3.1)');
});

test('RFC 9068 §4 — a guard without a resource to admit tokens for is refused when built', (t) => {
  const error = t.throws(() => createJwtGuard({ issuer: 'https://auth.example.com' }));
  t.regex(error?.message ?? '', /^createJwtGuard needs the resource it protects/);
});

test('RFC 8414 §2 — an http issuer that is not on a loopback host is refused when the guard is built', (t) => {
  const error = t.throws(() => createJwtGuard({ issuer: 'http://auth.example.com', resource: RESOURCE }));
  t.is(error?.message, 'issuer must use https (http only on a loopback host, for development), got "http://auth.example.com"');
});

test('RFC 9728 §2 — a resourceMetadata that does not name the issuer among its authorization servers is refused when built', (t) => {
  const metadata = protectedResourceMetadata({ resource: RESOURCE, authorizationServers: ['https://other.example.com'] });
  const error = t.throws(() => createJwtGuard({ issuer: 'https://auth.example.com', resourceMetadata: metadata }));
  t.regex(error?.message ?? '', /does not list the issuer "https:\/\/auth\.example\.com" among its authorization_servers/);
});

test('introspection.cache with a maxEntries or maxAgeMs that is no count or duration is refused when the guard is built, naming the option', (t) => {
  const build = (cache: unknown) => () =>
    createJwtGuard({ issuer: 'https://auth.example.com', resource: RESOURCE, introspection: { clientId: 'rs', clientSecret: 's', cache: cache as false } });
  for (const maxEntries of [Number.NaN, 0, 1.5]) {
    t.is(t.throws(build({ maxEntries }))?.message, `introspection.cache.maxEntries must be a whole number ≥ 1, got ${maxEntries}`);
  }
  for (const maxAgeMs of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
    t.is(t.throws(build({ maxAgeMs }))?.message, `introspection.cache.maxAgeMs must be a number ≥ 0, got ${maxAgeMs}`);
  }
  t.is(t.throws(build(true))?.message, 'introspection.cache must be { maxAgeMs?, maxEntries? } or false, got true');
  t.notThrows(build({ maxAgeMs: 0, maxEntries: 1 }));
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
