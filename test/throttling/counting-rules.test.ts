/**
 * What the throttle counts and when it refuses (docs/adr/0007-throttling-by-source.md), driven
 * through the framework-free token, revocation and introspection endpoints with the request's
 * source address set as a binding sets it.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import {
  createAuthController,
  OAuthProvider,
  TooManyFailedAttemptsError,
  type OAuthHttpRequest,
  type OAuthProviderOptions,
} from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { basic } from './support/from-address.js';

async function setUp(throttle: OAuthProviderOptions['throttle'], login?: (username: string, password: string) => Promise<null>) {
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 2, r: 1, p: 1 }, allowPasswordGrant: true, throttle });
  await provider.scopes.define('read');
  const { client, clientSecret } = await provider.clients.create({
    name: 'App',
    grants: ['password', 'client_credentials'],
    scopes: ['read'],
    defaultScopes: ['read'],
  });
  await provider.users.create({ username: 'alice', password: 'correct horse' });
  const model = provider.userModel(provider.users.getUser, login ?? provider.users.login);
  const controller = createAuthController({ provider, server: new OAuth2Server({ model }) });
  const request = (from: string, body: Record<string, string>, authorization = basic(client.id, clientSecret!)): OAuthHttpRequest => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    query: {},
    body,
    sourceAddress: from,
  });
  const password = (from: string, username: string, guess: string) =>
    controller.token(request(from, { grant_type: 'password', username, password: guess }));
  const wrongSecret = (from: string, endpoint: 'token' | 'revoke' | 'introspect') => {
    const call = request(from, endpoint === 'token' ? { grant_type: 'client_credentials' } : { token: 'x' }, basic(client.id, 'wrong'));
    return endpoint === 'token' ? controller.token(call) : endpoint === 'revoke' ? controller.revoke(call) : controller.introspect(call);
  };
  return { provider, controller, password, wrongSecret, request };
}

test('RFC 6749 §10.10 — a password attempt refused unchecked never reaches the login callback', async (t) => {
  let asked = 0;
  const { password } = await setUp({ users: { maxFailures: 2, windowSeconds: 60 } }, async () => {
    asked += 1;
    return null;
  });
  t.is((await password('192.0.2.1', 'carol', 'guess')).status, 400);
  t.is((await password('192.0.2.1', 'carol', 'guess')).status, 400);
  t.is((await password('192.0.2.1', 'carol', 'guess')).status, 429);
  t.is(asked, 2);
});

test('a right password forgives its address the earlier failures on that username', async (t) => {
  const { password } = await setUp({ users: { maxFailures: 3, windowSeconds: 60 } });
  for (let i = 0; i < 2; i += 1) t.is((await password('192.0.2.1', 'alice', 'wrong')).status, 400);
  t.is((await password('192.0.2.1', 'alice', 'correct horse')).status, 200);
  for (let i = 0; i < 2; i += 1) t.is((await password('192.0.2.1', 'alice', 'wrong')).status, 400);
  t.is((await password('192.0.2.1', 'alice', 'correct horse')).status, 200, 'two failures of three allowed since the success');
});

test('successful client authentications are never counted', async (t) => {
  const { controller, request } = await setUp({ clients: { maxFailures: 1, windowSeconds: 60 } });
  for (let i = 0; i < 5; i += 1) t.is((await controller.token(request('192.0.2.1', { grant_type: 'client_credentials' }))).status, 200);
});

test('RFC 7009 §2.1, RFC 7662 §2.1 — wrong secrets at revocation and introspection count toward the same limit as at the token endpoint', async (t) => {
  const { wrongSecret } = await setUp({ clients: { maxFailures: 2, windowSeconds: 60 } });
  t.is((await wrongSecret('192.0.2.1', 'revoke')).status, 401);
  t.is((await wrongSecret('192.0.2.1', 'introspect')).status, 401);
  t.is((await wrongSecret('192.0.2.1', 'token')).status, 429);
  t.is((await wrongSecret('192.0.2.9', 'introspect')).status, 401, 'another address is not concerned');
});

test('unknown usernames are counted like known ones, so a 429 does not reveal which exist', async (t) => {
  const { password } = await setUp({ users: { maxFailures: 2, windowSeconds: 60 } });
  for (const name of ['alice', 'nobody']) {
    t.is((await password('192.0.2.1', name, 'wrong')).status, 400);
    t.is((await password('192.0.2.1', name, 'wrong')).status, 400);
    t.is((await password('192.0.2.1', name, 'wrong')).status, 429, name);
  }
});

test('failures on any username add up to the limit of their source address', async (t) => {
  const { password } = await setUp({ sources: { maxFailures: 3, windowSeconds: 60 } });
  for (const name of ['a', 'b', 'c']) t.is((await password('192.0.2.1', name, 'x')).status, 400);
  t.is((await password('192.0.2.1', 'alice', 'correct horse')).status, 429, 'the address is throttled, right password or not');
  t.is((await password('192.0.2.2', 'alice', 'correct horse')).status, 200);
});

test('IPv6: the addresses of one /64 are one source', async (t) => {
  const { password } = await setUp({ sources: { maxFailures: 2, windowSeconds: 60 } });
  t.is((await password('2001:db8:1:2::1', 'x', 'y')).status, 400);
  t.is((await password('2001:db8:1:2:ffff::9', 'x', 'y')).status, 400);
  t.is((await password('2001:db8:1:2:abcd::7', 'alice', 'correct horse')).status, 429);
  t.is((await password('2001:db8:1:3::1', 'alice', 'correct horse')).status, 200, 'the next /64 is another source');
});

test('users.login throws TooManyFailedAttemptsError for an address past its limit, so a page can say to wait', async (t) => {
  const { provider } = await setUp({ users: { maxFailures: 1, windowSeconds: 60 } });
  await provider.users.login('alice', 'wrong', { sourceAddress: '192.0.2.1' });
  const refused = await t.throwsAsync(provider.users.login('alice', 'correct horse', { sourceAddress: '192.0.2.1' }), {
    instanceOf: TooManyFailedAttemptsError,
  });
  t.true(refused!.retryAfterSeconds >= 1 && refused!.retryAfterSeconds <= 60);
  t.is((await provider.users.login('alice', 'correct horse', { sourceAddress: '192.0.2.2' }))?.username, 'alice');
});

test('without a known source (a direct call), no address limit applies and no one is locked out', async (t) => {
  const { provider } = await setUp({ users: { maxFailures: 1, windowSeconds: 60 }, sources: { maxFailures: 1, windowSeconds: 60 } });
  for (let i = 0; i < 5; i += 1) t.is(await provider.users.login('alice', 'wrong'), null);
  t.not(await provider.users.login('alice', 'correct horse'), null);
});

test('names no store could hold are refused without a lookup and without counting', async (t) => {
  const { provider } = await setUp({ sources: { maxFailures: 1, windowSeconds: 60 } });
  const huge = 'u'.repeat(100_000);
  for (let i = 0; i < 3; i += 1) t.is(await provider.users.login(`${huge}${i}`, 'x', { sourceAddress: '192.0.2.1' }), null);
  t.is(await provider.users.login('a\u0000b', 'x', { sourceAddress: '192.0.2.1' }), null);
  t.not(await provider.users.login('alice', 'correct horse', { sourceAddress: '192.0.2.1' }), null);
});

test('RFC 6749 §10.10 — requests in flight together are each counted against their own address: an attacker past its limit does not lock out the victim beside it', async (t) => {
  // Every request carries its address on its own model (no shared async context): interleaving
  // them must not let one request's address reach another's attempts.
  const { password, wrongSecret } = await setUp({ sources: { maxFailures: 3, windowSeconds: 60 } });
  const attacker = Array.from({ length: 8 }, () => password('192.0.2.66', 'alice', 'wrong'));
  const victim = [password('198.51.100.7', 'alice', 'correct horse'), wrongSecret('192.0.2.66', 'token'), password('198.51.100.7', 'alice', 'correct horse')];
  const [attempts, answers] = await Promise.all([Promise.all(attacker), Promise.all(victim)]);
  t.true(attempts.every((answer) => answer.status === 400 || answer.status === 429));
  t.is(answers[0]!.status, 200);
  t.is(answers[2]!.status, 200);
  t.is((await password('192.0.2.66', 'alice', 'correct horse')).status, 429, 'the attacker is past its limit');
  t.is((await password('198.51.100.7', 'alice', 'correct horse')).status, 200, 'the victim is not');
});
