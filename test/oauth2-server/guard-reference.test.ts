/**
 * The guard takes the bearer token from a request and judges it itself (docs/adr/0006); the
 * decisions it copies are those of oauth2-server's AuthenticateHandler, the reference this test
 * holds it to: every request below is answered by `createGuard` and by `server.authenticate()` of
 * the installed library on the same provider, and both must agree on the status, the error code
 * and its description. A library upgrade that decides otherwise fails here.
 *
 * The exceptions are the few requests in `DEPARTURES`, where the kit follows the RFC named there
 * instead of the library: for each, the kit's answer is pinned, and so is the library's old one,
 * so that the difference stays known (and a library that comes round to the RFC is noticed).
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test, { type ExecutionContext } from 'ava';
import {
  createAuthController,
  createGuard,
  OAuthProvider,
  type OAuthGuardOutcome,
  type OAuthHttpRequest,
} from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { FIXED_TEST_INSTANT } from '../support/clock.js';

interface World {
  ours(request: OAuthHttpRequest, scope: string[], allowQuery?: boolean): Promise<Verdict>;
  library(request: OAuthHttpRequest, scope: string[], allowQuery?: boolean): Promise<Verdict>;
  tokens: { read: string; none: string; revoked: string };
}

/** What a decision comes to: passed (with the token's row id), or refused with status, code and description. */
type Verdict = { ok: true; tokenId: string } | { ok: false; status: number; error: string | null; description: string | null };

function verdictOf(outcome: OAuthGuardOutcome): Verdict {
  if (outcome.ok) return { ok: true, tokenId: outcome.oauth.token.id };
  const body = outcome.response.body as { error?: string; error_description?: string } | '';
  return {
    ok: false,
    status: outcome.response.status,
    error: body === '' ? null : body.error ?? null,
    description: body === '' ? null : body.error_description ?? null,
  };
}

async function world(): Promise<World> {
  // The library checks expiry against the wall clock, ours against the provider's: for this
  // comparison both must be the wall clock.
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  await provider.scopes.define('read');
  await provider.scopes.define('admin');
  const { client, clientSecret } = await provider.clients.create({ name: 'reference', grants: ['client_credentials'], scopes: ['read', 'admin'] });
  const server = new OAuth2Server({ model: provider.clientModel() });
  const controller = createAuthController({ server, provider });
  const basic = `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}`;
  const issue = async (scope: string) => {
    const response = await controller.token({
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      query: {},
      body: { grant_type: 'client_credentials', scope },
    });
    return (response.body as { access_token: string }).access_token;
  };
  const read = await issue('read');
  const none = await issue('admin');
  const revoked = await issue('read');
  await controller.revoke({ method: 'POST', headers: { authorization: basic }, query: {}, body: { token: revoked } });
  return {
    async ours(request, scope, allowQuery = false) {
      return verdictOf(await createGuard({ provider, allowBearerTokensInQueryString: allowQuery }).check(request, { scope }));
    },
    async library(request, scope, allowQuery = false) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      try {
        const token = (await server.authenticate(
          new OAuth2Server.Request({ method: request.method, headers, query: request.query as Record<string, string>, body: request.body }),
          new OAuth2Server.Response({ headers: {} }),
          { ...(scope.length > 0 ? { scope } : {}), allowBearerTokensInQueryString: allowQuery },
        )) as unknown as { tokenId: string };
        return { ok: true, tokenId: token.tokenId };
      } catch (error) {
        const { name, message, code } = error as { name: string; message: string; code: number };
        // RFC 6750 §3.1: a request without credentials gets no error information.
        if (name === 'unauthorized_request') return { ok: false, status: 401, error: null, description: null };
        return { ok: false, status: code, error: name, description: message };
      }
    },
    tokens: { read, none, revoked },
  };
}

const shared = world();

function request(headers: Record<string, string>, extra: Partial<OAuthHttpRequest> = {}): OAuthHttpRequest {
  return { method: 'GET', headers: { host: 'api.example', ...headers }, query: {}, body: {}, ...extra };
}

/** Both judge the request; they must agree. Returns our verdict. */
async function agree(
  t: ExecutionContext,
  build: (w: World) => OAuthHttpRequest,
  options: { scope?: string[]; allowQuery?: boolean } = {},
): Promise<Verdict> {
  const w = await shared;
  const scope = options.scope ?? ['read'];
  const ours = await w.ours(build(w), scope, options.allowQuery);
  t.deepEqual(ours, await w.library(build(w), scope, options.allowQuery));
  return ours;
}

const bearer = (token: string) => request({ authorization: `Bearer ${token}` });

test('a valid token with the required scope passes, as with the library', async (t) => {
  t.true((await agree(t, (w) => bearer(w.tokens.read))).ok);
});

test('a valid token with no scope required passes, as with the library', async (t) => {
  t.true((await agree(t, (w) => bearer(w.tokens.read), { scope: [] })).ok);
});

test('RFC 6750 §3.1 — a token without the required scope gets 403 insufficient_scope, as with the library', async (t) => {
  t.like(await agree(t, (w) => bearer(w.tokens.none)), { ok: false, status: 403, error: 'insufficient_scope' });
});

test('RFC 6750 §3.1 — a revoked token gets 401 invalid_token, as with the library', async (t) => {
  t.like(await agree(t, (w) => bearer(w.tokens.revoked)), { ok: false, status: 401, error: 'invalid_token' });
});

test('RFC 6750 §3.1 — an unknown token gets 401 invalid_token, as with the library', async (t) => {
  t.like(await agree(t, () => bearer('A'.repeat(43))), { ok: false, status: 401, error: 'invalid_token' });
});

test('RFC 6750 §3.1 — an oversized token gets 401 invalid_token, as with the library', async (t) => {
  t.like(await agree(t, () => bearer('A'.repeat(100_000))), { ok: false, status: 401, error: 'invalid_token' });
});

test('RFC 6750 §3.1 — a request without credentials gets 401 without error information, as with the library', async (t) => {
  t.deepEqual(await agree(t, () => request({})), { ok: false, status: 401, error: null, description: null });
});

for (const [name, value] of [
  ['two spaces after the scheme', (w: World) => `Bearer  ${w.tokens.read}`],
  ['a trailing space', (w: World) => `Bearer ${w.tokens.read} `],
  ['a character outside b64token', (w: World) => `Bearer ${w.tokens.read}!`],
  ['a lower-case scheme and a character outside b64token', (w: World) => `bearer ${w.tokens.read}!`],
  ['no token', () => 'Bearer '],
] as const) {
  test(`RFC 6750 §2.1 — an Authorization header with ${name} is refused 400 invalid_request, as with the library`, async (t) => {
    t.like(await agree(t, (w) => request({ authorization: value(w) })), { ok: false, status: 400, error: 'invalid_request' });
  });
}

/** A request on which the kit deliberately answers otherwise than the library. */
interface Departure {
  /** The section that decides the kit's answer. */
  rfc: string;
  name: string;
  build: (w: World) => OAuthHttpRequest;
  allowQuery?: boolean;
  /** The kit's answer. */
  kit: Partial<Verdict>;
  /** The library's answer, which the kit no longer gives. */
  library: Partial<Verdict>;
}

const MALFORMED_HEADER = { ok: false, status: 400, error: 'invalid_request', description: 'Invalid request: malformed authorization header' } as const;
const NO_CREDENTIALS = { ok: false, status: 401, error: null, description: null } as const;

const DEPARTURES: readonly Departure[] = [
  {
    rfc: 'RFC 9110 §11.1',
    name: 'a lower-case `bearer` scheme is accepted like `Bearer` (schemes are case-insensitive)',
    build: (w) => request({ authorization: `bearer ${w.tokens.read}` }),
    kit: { ok: true },
    library: MALFORMED_HEADER,
  },
  {
    rfc: 'RFC 9110 §11.1',
    name: 'an upper-case `BEARER` scheme is accepted like `Bearer` (schemes are case-insensitive)',
    build: (w) => request({ authorization: `BEARER ${w.tokens.read}` }),
    kit: { ok: true },
    library: MALFORMED_HEADER,
  },
  {
    rfc: 'RFC 6750 §3.1',
    name: 'a Basic Authorization header is no bearer credential: 401 without error information',
    build: () => request({ authorization: 'Basic dXNlcjpwYXNz' }),
    kit: NO_CREDENTIALS,
    library: MALFORMED_HEADER,
  },
  {
    rfc: 'RFC 6750 §3.1',
    name: 'a Digest Authorization header is no bearer credential: 401 without error information',
    build: () => request({ authorization: 'Digest username="u", realm="r", nonce="n", uri="/", response="x"' }),
    kit: NO_CREDENTIALS,
    library: MALFORMED_HEADER,
  },
  {
    rfc: 'RFC 6750 §2',
    name: 'a Basic header next to an allowed query token is one method, not two: the token is judged',
    build: (w) => request({ authorization: 'Basic dXNlcjpwYXNz' }, { query: { access_token: w.tokens.read } }),
    allowQuery: true,
    kit: { ok: true },
    library: { ok: false, status: 400, error: 'invalid_request', description: 'Invalid request: only one authentication method is allowed' },
  },
];

for (const departure of DEPARTURES) {
  test(`${departure.rfc} — ${departure.name}, deliberately unlike the library`, async (t) => {
    const w = await shared;
    t.like(await w.ours(departure.build(w), ['read'], departure.allowQuery), departure.kit);
  });

  test(`${departure.rfc} — the library still answers the old way where the kit departs: ${departure.name}`, async (t) => {
    const w = await shared;
    t.like(await w.library(departure.build(w), ['read'], departure.allowQuery), departure.library);
  });
}

test('RFC 6750 §2 — a token also sent as a query parameter is refused, as with the library', async (t) => {
  const verdict = await agree(t, (w) => request({ authorization: `Bearer ${w.tokens.read}` }, { query: { access_token: 'other' } }));
  t.like(verdict, { ok: false, status: 400, error: 'invalid_request' });
});

test('RFC 6750 §2.3 — a token in the query is refused unless the resource allows it, as with the library', async (t) => {
  t.like(await agree(t, (w) => request({}, { query: { access_token: w.tokens.read } })), { ok: false, status: 400 });
  t.true((await agree(t, (w) => request({}, { query: { access_token: w.tokens.read } }), { allowQuery: true })).ok);
});

test('RFC 6750 §2.2 — a token in a form body is accepted with POST, as with the library', async (t) => {
  const form = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '50' };
  t.true((await agree(t, (w) => request(form, { method: 'POST', body: { access_token: w.tokens.read } }))).ok);
});

test('RFC 6750 §2.2 — a token in the body of a GET is refused, as with the library', async (t) => {
  const form = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '50' };
  t.like(await agree(t, (w) => request(form, { body: { access_token: w.tokens.read } })), { ok: false, status: 400 });
});

test('RFC 6750 §2.2 — a token in a body that is not form-encoded is refused, as with the library', async (t) => {
  const json = { 'content-type': 'application/json', 'content-length': '50' };
  t.like(await agree(t, (w) => request(json, { method: 'POST', body: { access_token: w.tokens.read } })), { ok: false, status: 400 });
});

test('RFC 6750 §2 — a repeated query parameter of the API does not refuse a request with a valid Bearer header, as with the library', async (t) => {
  t.like(await agree(t, (w) => request({ authorization: `Bearer ${w.tokens.read}` }, { query: { page: ['1', '2'] } })), { ok: true });
});

test('an expired token is refused 401 invalid_token by the provider’s clock, not the wall clock', async (t) => {
  let instant = FIXED_TEST_INSTANT.getTime();
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1024, r: 8, p: 1 }, now: () => new Date(instant) });
  await provider.scopes.define('read');
  const { client, clientSecret } = await provider.clients.create({ name: 'clock', grants: ['client_credentials'], scopes: ['read'], accessTokenLifetime: 60 });
  const controller = createAuthController({ server: new OAuth2Server({ model: provider.clientModel() }), provider });
  const response = await controller.token({
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}` },
    query: {},
    body: { grant_type: 'client_credentials', scope: 'read' },
  });
  const token = (response.body as { access_token: string }).access_token;
  const guard = createGuard({ provider });
  t.true((await guard.check(bearer(token))).ok);
  instant += 60_000;
  t.like(verdictOf(await guard.check(bearer(token))), { ok: false, status: 401, error: 'invalid_token' });
});
