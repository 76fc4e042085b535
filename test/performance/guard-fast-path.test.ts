/**
 * The guard answers a plain `Authorization: Bearer` request without oauth2-server's request and
 * handler objects. That fast path must decide exactly as the full path does: every case below is
 * checked both ways — once as is (fast path), once with the header given as a one-element list,
 * which the full path accepts and the fast path leaves to it — and the outcomes must be equal.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import {
  createAuthController,
  createGuard,
  OAuthProvider,
  type OAuthGuardOutcome,
  type OAuthHttpRequest,
} from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

interface World {
  check(request: OAuthHttpRequest, scope: string[]): Promise<OAuthGuardOutcome>;
  fullPathCalls(): number;
  tokens: { read: string; none: string; revoked: string; expired: string };
}

async function world(): Promise<World> {
  let instant = Date.now();
  const provider = new OAuthProvider(new MemoryStorage(), {
    passwordHashCost: { N: 1024, r: 8, p: 1 },
    now: () => new Date(instant),
  });
  await provider.scopes.define('read');
  await provider.scopes.define('admin');
  const { client, clientSecret } = await provider.clients.create({
    name: 'fast path',
    grants: ['client_credentials'],
    scopes: ['read', 'admin'],
  });
  const server = new OAuth2Server({ model: provider.clientModel() });
  let calls = 0;
  const authenticate = server.authenticate.bind(server);
  server.authenticate = (...args: Parameters<typeof authenticate>) => {
    calls += 1;
    return authenticate(...args);
  };
  const controller = createAuthController({ server, provider });
  const issue = async (scope: string) => {
    const response = await controller.token({
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      query: {},
      body: { grant_type: 'client_credentials', ...(scope ? { scope } : {}) },
    });
    return (response.body as { access_token: string }).access_token;
  };
  const expired = await issue('read');
  instant += 3600_000 + 1;
  const read = await issue('read');
  const none = await issue('admin');
  const revoked = await issue('read');
  await controller.revoke({
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}` },
    query: {},
    body: { token: revoked },
  });
  const guard = createGuard({ server });
  return { check: (request, scope) => guard.check(request, { scope }), fullPathCalls: () => calls, tokens: { read, none, revoked, expired } };
}

const shared = world();

function request(authorization: string | string[], extra: Partial<OAuthHttpRequest> = {}): OAuthHttpRequest {
  return { method: 'GET', headers: { host: 'api.example', authorization }, query: {}, body: {}, ...extra };
}

/** Checks `authorization` on both paths and requires the same outcome. */
async function agree(
  t: import('ava').ExecutionContext,
  authorization: (w: World) => string,
  options: { scope?: string[]; extra?: Partial<OAuthHttpRequest>; fast?: boolean } = {},
): Promise<OAuthGuardOutcome> {
  const w = await shared;
  const value = authorization(w);
  const scope = options.scope ?? ['read'];
  const before = w.fullPathCalls();
  const fast = await w.check(request(value, options.extra), scope);
  const tookFullPath = w.fullPathCalls() > before;
  const full = await w.check(request([value], options.extra), scope);
  t.deepEqual(fast, full);
  if (options.fast !== false) t.false(tookFullPath, 'the plain request was expected to take the fast path');
  return fast;
}

test.serial('a valid token with the required scope passes, alike on both paths', async (t) => {
  const outcome = await agree(t, (w) => `Bearer ${w.tokens.read}`);
  t.true(outcome.ok);
});

test.serial('a valid token with no scope required passes, alike on both paths', async (t) => {
  t.true((await agree(t, (w) => `Bearer ${w.tokens.read}`, { scope: [] })).ok);
});

test.serial('RFC 6750 §3.1 — a token without the required scope gets 403 insufficient_scope, alike on both paths', async (t) => {
  const outcome = await agree(t, (w) => `Bearer ${w.tokens.none}`);
  t.true(!outcome.ok && outcome.response.status === 403);
});

test.serial('RFC 6750 §3.1 — a revoked token gets 401 invalid_token, alike on both paths', async (t) => {
  const outcome = await agree(t, (w) => `Bearer ${w.tokens.revoked}`);
  t.true(!outcome.ok && outcome.response.status === 401);
});

test.serial('RFC 6750 §3.1 — an expired token gets 401 invalid_token, alike on both paths', async (t) => {
  const outcome = await agree(t, (w) => `Bearer ${w.tokens.expired}`);
  t.true(!outcome.ok && outcome.response.status === 401);
});

test.serial('RFC 6750 §3.1 — an unknown token gets 401 invalid_token, alike on both paths', async (t) => {
  const outcome = await agree(t, () => `Bearer ${'A'.repeat(43)}`);
  t.true(!outcome.ok && outcome.response.status === 401);
});

test.serial('RFC 6750 §3.1 — an oversized token gets 401 invalid_token, alike on both paths', async (t) => {
  const outcome = await agree(t, () => `Bearer ${'A'.repeat(100_000)}`);
  t.true(!outcome.ok && outcome.response.status === 401);
});

for (const [name, value] of [
  ['a lower-case scheme', (w: World) => `bearer ${w.tokens.read}`],
  ['two spaces after the scheme', (w: World) => `Bearer  ${w.tokens.read}`],
  ['a trailing space', (w: World) => `Bearer ${w.tokens.read} `],
  ['a character outside b64token', (w: World) => `Bearer ${w.tokens.read}!`],
  ['no token', () => 'Bearer '],
  ['the Basic scheme', () => 'Basic dXNlcjpwYXNz'],
] as const) {
  test.serial(`an Authorization header with ${name} is answered alike on both paths`, async (t) => {
    const outcome = await agree(t, value, { fast: false });
    t.false(outcome.ok);
  });
}

test.serial('a request that also carries unrelated query parameters still takes the fast path', async (t) => {
  t.true((await agree(t, (w) => `Bearer ${w.tokens.read}`, { extra: { query: { page: '2' } } })).ok);
});

test.serial('RFC 6750 §2 — a token also sent as a query parameter is refused alike on both paths', async (t) => {
  const outcome = await agree(t, (w) => `Bearer ${w.tokens.read}`, {
    extra: { query: { access_token: 'other' } },
    fast: false,
  });
  t.true(!outcome.ok && outcome.response.status === 400);
});

test.serial('a repeated query parameter is refused alike on both paths', async (t) => {
  const outcome = await agree(t, (w) => `Bearer ${w.tokens.read}`, { extra: { query: { page: ['1', '2'] } }, fast: false });
  t.true(!outcome.ok && outcome.response.status === 400);
});
