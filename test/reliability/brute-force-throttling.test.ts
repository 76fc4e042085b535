/**
 * Throttling of credential guessing (RFC 6749 §10.10, RFC 6819 §4.4.3.6): repeated failed client
 * authentications for one client, or failed password logins for one username, are refused for a
 * while with 429 and `Retry-After` — without touching other clients or users, and without counting
 * successes. The provider's clock is moved by hand: no test waits.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import { createAuthController, type OAuthProviderOptions } from '../../src/core/index.js';
import { FailedAttemptLimiter } from '../../src/core/runtime/failed-attempt-limiter.js';
import { credentialsOf } from '../../src/core/provider/provider-link.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../src/providers/sql/index.js';
import { provisionPGlite } from '../support/databases.js';
import { basic, post, type Answer } from './support/http.js';
import { openStack, type Stack } from './support/stacks.js';

// One in-memory database for the file; each test runs its own provider and server on it.
let database: Awaited<ReturnType<typeof provisionPGlite>>;
test.before(async () => {
  database = await provisionPGlite();
});
test.after.always(() => database.close());

/** A server on the file's database whose clock the test moves, with small limits. */
async function throttledStack(
  t: import('ava').ExecutionContext,
  options: Pick<OAuthProviderOptions, 'throttle'> = {
    throttle: { clients: { maxFailures: 3, windowSeconds: 60 }, users: { maxFailures: 3, windowSeconds: 300 } },
  },
) {
  let now = new Date('2031-01-01T00:00:00Z');
  const stack = (await openStack({ provider: 'sql', backend: 'pglite' }, {
    providerOptions: { now: () => now, ...options },
    sharedPGlite: database.pglite,
  })) as Stack;
  t.teardown(() => stack.close());
  return {
    stack,
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
}

function clientCredentials(stack: Stack, id: string, secret: string): Promise<Answer> {
  return post(stack.endpoint('token'), { grant_type: 'client_credentials' }, { authorization: basic(id, secret) });
}

function passwordGrant(stack: Stack, username: string, password: string): Promise<Answer> {
  return post(stack.endpoint('token'), { grant_type: 'password', username, password }, {
    authorization: basic(stack.confidential.id, stack.confidential.secret),
  });
}

function assertThrottled(t: import('ava').ExecutionContext, answer: Answer): void {
  t.is(answer.status, 429);
  t.is(answer.json?.error, 'temporarily_unavailable');
  t.regex(answer.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
  t.is(answer.headers.get('cache-control'), 'no-store');
}

test('RFC 6749 §10.10, RFC 6585 §4 — after the allowed failed secrets, a client is refused with 429 and Retry-After, even with its right secret', async (t) => {
  const { stack } = await throttledStack(t);
  const { id, secret } = stack.confidential;
  for (let i = 0; i < 3; i += 1) t.is((await clientCredentials(stack, id, `wrong-${i}`)).status, 401);
  assertThrottled(t, await clientCredentials(stack, id, 'wrong-again'));
  assertThrottled(t, await clientCredentials(stack, id, secret));
});

test('a throttled client leaves every other client able to authenticate', async (t) => {
  const { stack } = await throttledStack(t);
  const other = await stack.provider.clients.create({ name: 'Other', grants: ['client_credentials'] });
  for (let i = 0; i < 4; i += 1) await clientCredentials(stack, stack.confidential.id, 'wrong');
  assertThrottled(t, await clientCredentials(stack, stack.confidential.id, stack.confidential.secret));
  t.is((await clientCredentials(stack, other.client.id, other.clientSecret!)).status, 200);
});

test('RFC 9110 §10.2.3 — a throttled client may authenticate again once its failures leave the window, and Retry-After says when', async (t) => {
  const { stack, advance } = await throttledStack(t);
  const { id, secret } = stack.confidential;
  for (let i = 0; i < 3; i += 1) await clientCredentials(stack, id, 'wrong');
  advance(20);
  const refused = await clientCredentials(stack, id, secret);
  assertThrottled(t, refused);
  t.is(refused.headers.get('retry-after'), '40');
  advance(40);
  t.is((await clientCredentials(stack, id, secret)).status, 200);
});

test('successful client authentications are never counted', async (t) => {
  const { stack } = await throttledStack(t);
  const { id, secret } = stack.confidential;
  for (let i = 0; i < 10; i += 1) t.is((await clientCredentials(stack, id, secret)).status, 200);
  t.is((await clientCredentials(stack, id, 'wrong')).status, 401, 'the first failure is an ordinary 401');
});

test('RFC 6749 §2.3.1 — failed client authentications at revocation and introspection count, and are throttled there too', async (t) => {
  const { stack } = await throttledStack(t);
  const { id, secret } = stack.confidential;
  t.is((await post(stack.endpoint('revoke'), { token: 'x' }, { authorization: basic(id, 'wrong') })).status, 401);
  t.is((await post(stack.endpoint('introspect'), { token: 'x' }, { authorization: basic(id, 'wrong') })).status, 401);
  t.is((await clientCredentials(stack, id, 'wrong')).status, 401);
  assertThrottled(t, await post(stack.endpoint('introspect'), { token: 'x' }, { authorization: basic(id, secret) }));
  assertThrottled(t, await post(stack.endpoint('revoke'), { token: 'x' }, { authorization: basic(id, secret) }));
});

test('RFC 6749 §4.3.2, RFC 6585 §4 — after the allowed wrong passwords, the password grant refuses that username with 429, the right password included', async (t) => {
  const { stack } = await throttledStack(t);
  const { username, password } = stack.user;
  for (let i = 0; i < 3; i += 1) {
    const answer = await passwordGrant(stack, username, `wrong-${i}`);
    t.is(answer.status, 400);
    t.is(answer.json?.error, 'invalid_grant');
  }
  assertThrottled(t, await passwordGrant(stack, username, password));
});

test('a throttled username leaves other users able to sign in', async (t) => {
  const { stack } = await throttledStack(t);
  const bob = await stack.provider.users.create({ username: `bob-${stack.user.id}`, password: 'bob password' });
  for (let i = 0; i < 4; i += 1) await passwordGrant(stack, stack.user.username, 'wrong');
  t.is((await passwordGrant(stack, bob.username, 'bob password')).status, 200);
  // Case variants of a name share its count: they are the same guess at a case-insensitive store.
  assertThrottled(t, await passwordGrant(stack, stack.user.username.toUpperCase(), 'wrong'));
});

test('unknown usernames are throttled like known ones, so a 429 does not reveal which exist', async (t) => {
  const { stack } = await throttledStack(t);
  for (let i = 0; i < 3; i += 1) t.is((await passwordGrant(stack, 'nobody', 'wrong')).status, 400);
  assertThrottled(t, await passwordGrant(stack, 'nobody', 'wrong'));
});

test('a throttled username is refused without the login interactor being asked', async (t) => {
  const provider = new OAuthSqlProvider(pgliteAdapter(database.pglite), {
    passwordHashCost: { N: 2, r: 1, p: 1 },
    throttle: { users: { maxFailures: 2, windowSeconds: 60 } },
  });
  const { client, clientSecret } = await provider.clients.create({ name: 'App', grants: ['password'] });
  let asked = 0;
  const login = async () => {
    asked += 1;
    return null;
  };
  const controller = createAuthController({ provider, server: new OAuth2Server({ model: provider.userModel(provider.users.getUser, login) }) });
  const attempt = () =>
    controller.token({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.id, clientSecret!) },
      query: {},
      body: { grant_type: 'password', username: 'carol', password: 'guess' },
    });
  t.is((await attempt()).status, 400);
  t.is((await attempt()).status, 400);
  const refused = await attempt();
  t.is(refused.status, 429);
  t.is(refused.headers['retry-after'], '60');
  t.is(asked, 2);
});

test('users.login, as a sign-in page calls it, answers null while the username is throttled', async (t) => {
  const { stack } = await throttledStack(t);
  const { username, password } = stack.user;
  for (let i = 0; i < 3; i += 1) t.is(await stack.provider.users.login(username, 'wrong'), null);
  t.is(await stack.provider.users.login(username, password), null);
  t.is(await stack.provider.users.login('someone-else', 'x'), null);
});

test('password failures are counted once per attempt when the model runs on users.login', async (t) => {
  const { stack } = await throttledStack(t);
  await passwordGrant(stack, stack.user.username, 'wrong');
  await passwordGrant(stack, stack.user.username, 'wrong');
  t.is((await passwordGrant(stack, stack.user.username, stack.user.password)).status, 200, 'two failures of three allowed');
});

test('throttle: false turns throttling off', async (t) => {
  const { stack } = await throttledStack(t, { throttle: false });
  for (let i = 0; i < 30; i += 1) await clientCredentials(stack, stack.confidential.id, 'wrong');
  t.is((await clientCredentials(stack, stack.confidential.id, stack.confidential.secret)).status, 200);
});

test('the default limits throttle a client after 20 failures and a username after 10', async (t) => {
  const { stack } = await throttledStack(t, {});
  for (let i = 0; i < 20; i += 1) t.is((await clientCredentials(stack, stack.confidential.id, 'wrong')).status, 401);
  assertThrottled(t, await clientCredentials(stack, stack.confidential.id, 'wrong'));
  for (let i = 0; i < 10; i += 1) t.is((await stack.provider.users.login(stack.user.username, 'wrong')), null);
  t.is(await stack.provider.users.login(stack.user.username, stack.user.password), null);
});

test('the failure memory is bounded: the key that failed least recently is forgotten first', (t) => {
  const limiter = new FailedAttemptLimiter({ maxFailures: 1, windowSeconds: 60 }, 100);
  const now = new Date('2031-01-01T00:00:00Z');
  limiter.recordFailure('target', now);
  for (let i = 0; i < 1000; i += 1) limiter.recordFailure(`spray-${i}`, now);
  t.is(limiter.trackedKeys, 100);
  t.is(limiter.retryAfter('target', now), 0, 'the oldest key went');
  t.true(limiter.retryAfter('spray-999', now) > 0, 'the newest keys stay');
});

test('names no store could hold are refused without becoming throttling keys', async (t) => {
  const { stack } = await throttledStack(t);
  const huge = 'u'.repeat(100_000);
  for (let i = 0; i < 5; i += 1) t.is(await stack.provider.users.login(`${huge}${i}`, 'x'), null);
  t.is(await stack.provider.users.login('a\u0000b', 'x'), null);
  t.is(credentialsOf(stack.provider).settings.attempts.users.trackedKeys, 0);
  t.is(await stack.provider.users.login('ordinary', 'x'), null);
  t.is(credentialsOf(stack.provider).settings.attempts.users.trackedKeys, 1, 'an ordinary name is counted');
});
