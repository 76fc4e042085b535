/**
 * The framework-free guard names the resource's metadata in its Bearer challenges (RFC 9728 §5.1)
 * when told to, next to RFC 6750 §3's parameters, and changes nothing else: not its verdicts, and
 * not its challenges when it is not told to.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import * as oauth from 'oauth4webapi';
import {
  createAuthController,
  createGuard,
  OAuthProvider,
  ProtectedResourceMetadataError,
  protectedResourceMetadata,
  type OAuth2GuardInteractor,
  type OAuthGuardOutcome,
  type OAuthHttpRequest,
} from '../../src/core/index.js';
import { bearerChallenge } from '../../src/core/protocol/bearer-challenge.js';
import { MemoryStorage } from '../../src/testing/index.js';

const MCP = protectedResourceMetadata({ resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] });
const METADATA = 'https://api.example.com/.well-known/oauth-protected-resource/mcp';

interface World {
  provider: OAuthProvider;
  tokens: { read: string; admin: string; unbound: string };
}

async function world(): Promise<World> {
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  await provider.scopes.define('read');
  await provider.scopes.define('admin');
  const { client, clientSecret } = await provider.clients.create({ name: 'challenges', grants: ['client_credentials'], scopes: ['read', 'admin'] });
  // A described resource binds its guard to it (RFC 8707 §2): the tokens here are issued for it.
  await provider.resources.define({ id: MCP.resource, name: 'MCP' });
  const controller = createAuthController({ server: new OAuth2Server({ model: provider.clientModel() }), provider });
  const issue = async (scope: string, resource = true) => {
    const response = await controller.token({
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}` },
      query: {},
      body: { grant_type: 'client_credentials', scope, ...(resource ? { resource: MCP.resource } : {}) },
    });
    return (response.body as { access_token: string }).access_token;
  };
  return { provider, tokens: { read: await issue('read'), admin: await issue('admin'), unbound: await issue('read', false) } };
}

const shared = world();

const anonymous: OAuthHttpRequest = { method: 'GET', headers: {}, query: {}, body: {} };
const bearer = (token: string): OAuthHttpRequest => ({ ...anonymous, headers: { authorization: `Bearer ${token}` } });
const UNKNOWN = bearer('A'.repeat(43));
const MALFORMED: OAuthHttpRequest = { ...anonymous, headers: { authorization: 'Bearer not!a!token' } };

async function advertising(): Promise<OAuth2GuardInteractor> {
  return createGuard({ provider: (await shared).provider, resourceMetadata: MCP });
}

function challengeOf(outcome: OAuthGuardOutcome): string | undefined {
  return outcome.ok ? undefined : outcome.response.headers['www-authenticate'];
}

test('RFC 9728 §5.1 — a request without credentials gets 401 naming the resource metadata', async (t) => {
  const outcome = await (await advertising()).check(anonymous);
  t.like(outcome, { ok: false, response: { status: 401 } });
  t.is(challengeOf(outcome), `Bearer realm="oauth2", resource_metadata="${METADATA}"`);
});

test('RFC 9728 §5.1 — an unknown token gets 401 invalid_token naming the resource metadata', async (t) => {
  t.is(
    challengeOf(await (await advertising()).check(UNKNOWN)),
    `Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is invalid", resource_metadata="${METADATA}"`,
  );
});

test('RFC 9728 §5.1 — a 401 also names the scope the check requires, as MCP asks of a resource', async (t) => {
  const guard = await advertising();
  t.is(challengeOf(await guard.check(anonymous, { scope: ['read', 'admin'] })), `Bearer realm="oauth2", scope="read admin", resource_metadata="${METADATA}"`);
  t.regex(challengeOf(await guard.check(UNKNOWN, { scope: ['read'] })) ?? '', /error="invalid_token", .*scope="read", resource_metadata="/);
});

test('RFC 6750 §3.1 — a token without the required scope gets 403 insufficient_scope with the scope and the resource metadata', async (t) => {
  const { tokens } = await shared;
  const outcome = await (await advertising()).check(bearer(tokens.read), { scope: ['admin'] });
  t.like(outcome, { ok: false, response: { status: 403 } });
  t.is(
    challengeOf(outcome),
    `Bearer realm="oauth2", error="insufficient_scope", error_description="Insufficient scope: authorized scope is insufficient", scope="admin", resource_metadata="${METADATA}"`,
  );
});

test('RFC 9728 §5.2 — a malformed request gets 400 invalid_request naming the resource metadata too', async (t) => {
  const outcome = await (await advertising()).check(MALFORMED);
  t.like(outcome, { ok: false, response: { status: 400 } });
  t.regex(challengeOf(outcome) ?? '', /^Bearer realm="oauth2", error="invalid_request", error_description="[^"]+", resource_metadata="https:\/\/api\.example\.com\/\.well-known\/oauth-protected-resource\/mcp"$/);
});

test('RFC 9728 §5.1 — the metadata URL may be given as a string instead of a description', async (t) => {
  const guard = createGuard({ provider: (await shared).provider, resourceMetadata: METADATA });
  t.is(challengeOf(await guard.check(anonymous)), `Bearer realm="oauth2", resource_metadata="${METADATA}"`);
});

test('RFC 9728 §5.1 — a check’s own resourceMetadata takes the place of the guard’s', async (t) => {
  const other = protectedResourceMetadata({ resource: 'https://api.example.com/files', authorizationServers: ['https://auth.example.com'] });
  const outcome = await (await advertising()).check(anonymous, { resourceMetadata: other });
  t.is(challengeOf(outcome), 'Bearer realm="oauth2", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/files"');
});

test('RFC 6750 §3 — without resourceMetadata the challenges are what they always were', async (t) => {
  const { provider, tokens } = await shared;
  const guard = createGuard({ provider });
  t.is(challengeOf(await guard.check(anonymous, { scope: ['read'] })), 'Bearer realm="oauth2"');
  t.is(challengeOf(await guard.check(UNKNOWN, { scope: ['read'] })), 'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is invalid"');
  t.is(
    challengeOf(await guard.check(bearer(tokens.unbound), { scope: ['admin'] })),
    'Bearer realm="oauth2", error="insufficient_scope", error_description="Insufficient scope: authorized scope is insufficient", scope="admin"',
  );
});

test('for a token issued for the resource, resourceMetadata changes no verdict: status, body and the token let through are the same with it and without it', async (t) => {
  const { provider, tokens } = await shared;
  // Bound to the same resource, by its identifier alone.
  const plain = createGuard({ provider, resource: MCP.resource });
  const advertised = await advertising();
  const verdict = (outcome: OAuthGuardOutcome) => (outcome.ok ? { ok: true, token: outcome.oauth.token.id } : { ok: false, status: outcome.response.status, body: outcome.response.body });
  for (const [name, request, scope] of [
    ['no credentials', anonymous, ['read']],
    ['unknown token', UNKNOWN, ['read']],
    ['malformed header', MALFORMED, ['read']],
    ['valid token', bearer(tokens.read), ['read']],
    ['insufficient scope', bearer(tokens.read), ['admin']],
  ] as const) {
    t.deepEqual(verdict(await advertised.check(request, { scope: [...scope] })), verdict(await plain.check(request, { scope: [...scope] })), name);
  }
});

test('RFC 8707 §2 — a described resourceMetadata binds the guard to its resource: a token asked for no resource is refused 401 invalid_token, naming the metadata', async (t) => {
  const { tokens } = await shared;
  t.is(
    challengeOf(await (await advertising()).check(bearer(tokens.unbound), { scope: ['read'] })),
    `Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is not for this resource", scope="read", resource_metadata="${METADATA}"`,
  );
});

test('a storage failure is still 503 without any challenge', async (t) => {
  const storage = new MemoryStorage();
  storage.findAccessTokens = async () => {
    throw new Error('database down');
  };
  const provider = new OAuthProvider(storage, { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  const outcome = await createGuard({ provider, resourceMetadata: MCP, onError: () => {} }).check(UNKNOWN);
  t.like(outcome, { ok: false, response: { status: 503 } });
  t.deepEqual(outcome.ok ? undefined : outcome.response.headers, {});
});

test('RFC 9728 §5.1 — a guard given a metadata URL that is not absolute https is refused at construction', async (t) => {
  const { provider } = await shared;
  const error = t.throws(() => createGuard({ provider, resourceMetadata: 'http://api.example.com/.well-known/oauth-protected-resource' }), {
    instanceOf: ProtectedResourceMetadataError,
  });
  t.is(error?.code, 'invalid_resource_metadata');
  t.is(error?.field, 'resourceMetadata');
});

test('RFC 9110 §5.6.4 — a metadata URL not written as the URL parser writes it, which could break the quoted-string, is refused', async (t) => {
  const { provider } = await shared;
  t.throws(() => createGuard({ provider, resourceMetadata: 'https://api.example.com/a"b' }), { code: 'invalid_resource_metadata' });
});

test('RFC 9110 §11.2 — a quote or backslash in a challenge parameter is escaped inside its quoted-string', (t) => {
  t.is(bearerChallenge({ realm: 'r', resourceMetadata: 'a"b\\c' }), 'Bearer realm="r", resource_metadata="a\\"b\\\\c"');
});

test('RFC 6750 §3 — error_description and scope never carry a quote or backslash, not even escaped', (t) => {
  t.is(
    bearerChallenge({ realm: 'r', error: { code: 'invalid_token', description: 'say "no" \\ stop' }, scope: ['a'] }),
    'Bearer realm="r", error="invalid_token", error_description="say no  stop", scope="a"',
  );
});

test('RFC 9728 §5.1 — oauth4webapi reads the challenge: Bearer scheme with resource_metadata and scope', async (t) => {
  const outcome = await (await advertising()).check(UNKNOWN, { scope: ['read'] });
  if (outcome.ok) return t.fail('the unknown token passed');
  const { status, headers, body } = outcome.response;
  const error = await t.throwsAsync(
    oauth.protectedResourceRequest('A'.repeat(43), 'GET', new URL('https://api.example.com/mcp'), undefined, undefined, {
      [oauth.customFetch]: async () => new Response(JSON.stringify(body), { status, headers }),
    }),
    { instanceOf: oauth.WWWAuthenticateChallengeError },
  );
  t.deepEqual(error?.cause, [
    {
      scheme: 'bearer',
      parameters: {
        realm: 'oauth2',
        error: 'invalid_token',
        error_description: 'Invalid token: access token is invalid',
        scope: 'read',
        resource_metadata: METADATA,
      },
    },
  ]);
});
