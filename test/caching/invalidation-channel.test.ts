/**
 * What a provider does with its cache-invalidation channel, on two in-process nodes joined by an
 * in-memory channel: each invalidation made on one is applied on the other at once (the clock never
 * moves here, so the `maxAgeMs` bound cannot explain it), an unreadable message forgets everything
 * rather than being trusted, and a channel that comes back clears the caches it may have missed.
 */
import test from 'ava';
import { accepted, signIn, tokenRequest, twoNodes } from './support/two-nodes.js';
import { memoryChannel } from './support/memory-channel.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../src/providers/sql/index.js';
import { provisionPGlite } from '../support/databases.js';

const CACHES = { validatedTokenCache: { maxAgeMs: 30_000 }, clientCache: { maxAgeMs: 30_000 } };

async function nodes(errors: unknown[] = []) {
  const channel = memoryChannel();
  const n = await twoNodes({ ...CACHES, cacheInvalidation: channel, onError: (error) => errors.push(error) });
  return { n, channel };
}

test('a user\'s tokens revoked on another node are refused here at once', async (t) => {
  const { n, channel } = await nodes();
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  t.is(await n.elsewhere.provider.invalidateUserTokensInteractor()(n.userId), 1);
  t.false(await accepted(n.here, access));
  t.true(channel.published.some((message) => JSON.parse(message).m === 'revokeTokens'));
});

test('RFC 7009 §2.1 — an access token revoked on another node is refused here at once', async (t) => {
  const { n } = await nodes();
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  t.is((await n.elsewhere.endpoints.revoke(tokenRequest(n.client, { token: access, token_type_hint: 'access_token' }))).status, 200);
  t.false(await accepted(n.here, access));
});

test('RFC 6749 §6 — a refresh token rotated on another node ends its access token here at once', async (t) => {
  const { n } = await nodes();
  t.teardown(n.close);
  const { access, refresh } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  const refreshed = await n.elsewhere.endpoints.token(tokenRequest(n.client, { grant_type: 'refresh_token', refresh_token: refresh }));
  t.is(refreshed.status, 200);
  t.false(await accepted(n.here, access));
});

test('RFC 6749 §6 — a rotation announced by a node of the previous release ("rotateToken") is applied as a claim, not reported as malformed', async (t) => {
  const errors: unknown[] = [];
  const { n, channel } = await nodes(errors);
  t.teardown(n.close);
  const { access, refresh } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  channel.delivering = false;
  const refreshed = await n.elsewhere.endpoints.token(tokenRequest(n.client, { grant_type: 'refresh_token', refresh_token: refresh }));
  t.is(refreshed.status, 200);
  t.true(await accepted(n.here, access), 'not heard yet: the cached validation stands');
  const claim = channel.published.map((message) => JSON.parse(message) as { m: string }).find((message) => message.m === 'claimToken');
  channel.inject(JSON.stringify({ ...claim, m: 'rotateToken' }));
  t.false(await accepted(n.here, access));
  t.deepEqual(errors, []);
});

test('a secret rotated on another node stops working here at once', async (t) => {
  const { n } = await nodes();
  t.teardown(n.close);
  const issue = async () => (await n.here.endpoints.token(tokenRequest(n.client, { grant_type: 'client_credentials', scope: 'read' }))).status;
  t.is(await issue(), 200);
  await n.elsewhere.provider.clients.rotateSecret(n.client.id);
  t.is(await issue(), 401);
});

test('an unreadable message clears every cache and is reported, never trusted nor thrown', async (t) => {
  const errors: unknown[] = [];
  const { n, channel } = await nodes(errors);
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  channel.delivering = false;
  await n.elsewhere.provider.invalidateUserTokensInteractor()(n.userId);
  t.true(await accepted(n.here, access), 'the revocation was not heard: the cached validation stands');
  for (const garbage of ['not json', '{"v":1,"o":"x","m":"constructor","a":"x"}', '{"v":1,"o":"x","m":"revokeTokens","a":{"userId":1}}']) {
    channel.inject(garbage);
  }
  t.false(await accepted(n.here, access), 'the caches were cleared, so the revocation is read');
  const codes = errors.map((error) => (error as { code?: string }).code);
  t.true(codes.length >= 3 && codes.every((code) => code === 'cache_invalidation_malformed'), JSON.stringify(codes));
});

test('a lost channel is reported once with its cause, and its return clears the caches and is reported', async (t) => {
  const errors: Error[] = [];
  const { n, channel } = await nodes(errors as unknown[]);
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  const here = channel.events[0]!;
  here.onLost(new Error('connection reset'));
  here.onLost(new Error('connection reset again'));
  channel.delivering = false;
  await n.elsewhere.provider.invalidateUserTokensInteractor()(n.userId);
  t.true(await accepted(n.here, access), 'while down, the cache stands until maxAgeMs');
  here.onRestored();
  t.false(await accepted(n.here, access), 'restored: the caches were cleared');
  t.deepEqual(
    errors.map((error) => [(error as { code?: string }).code, error.message]),
    [
      ['cache_invalidation_lost', "cache invalidation channel lost (connection reset): until it is back, revocations through other processes take up to maxAgeMs (30000 ms) to reach this one's in-process caches"],
      ['cache_invalidation_restored', 'cache invalidation channel restored: in-process caches cleared (messages may have been missed); revocations through other processes reach this one at once again'],
    ],
  );
});

test('cacheInvalidation must be false or a channel', async (t) => {
  const db = await provisionPGlite();
  t.teardown(() => db.close());
  const error = t.throws(() => new OAuthSqlProvider(pgliteAdapter(db.pglite), { ...CACHES, cacheInvalidation: {} as never }));
  t.regex(error!.message, /cacheInvalidation/);
});
