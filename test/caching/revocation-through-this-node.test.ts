/**
 * With the validated-token cache on, a revocation made through the same provider is seen by its
 * very next guard check, cached or not: the cache trades staleness only for changes made elsewhere.
 */
import test from 'ava';
import { accepted, bearer, signIn, tokenRequest, twoNodes, type TwoNodes } from './support/two-nodes.js';

/** A node with a long cache bound, so that only invalidation (not ageing) can end an entry. */
async function nodes(): Promise<TwoNodes> {
  return twoNodes({ validatedTokenCache: { maxAgeMs: 60_000 }, clientCache: { maxAgeMs: 60_000 } });
}

test('RFC 7009 §2.1 — an access token revoked at the revocation endpoint is refused at once', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  const revoked = await n.here.endpoints.revoke(tokenRequest(n.client, { token: access, token_type_hint: 'access_token' }));
  t.is(revoked.status, 200);
  t.false(await accepted(n.here, access));
});

test('RFC 7009 §2.1 — a refresh token revoked at the revocation endpoint takes its cached access token along at once', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  const { access, refresh } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  await n.here.endpoints.revoke(tokenRequest(n.client, { token: refresh, token_type_hint: 'refresh_token' }));
  t.false(await accepted(n.here, access));
});

test('rotating the refresh token ends the cached access token issued with it at once', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  const { access, refresh } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  const rotated = await n.here.endpoints.token(tokenRequest(n.client, { grant_type: 'refresh_token', refresh_token: refresh }));
  t.is(rotated.status, 200);
  t.false(await accepted(n.here, access));
  t.true(await accepted(n.here, (rotated.body as { access_token: string }).access_token));
});

test("invalidating a user's tokens ends the cached ones at once", async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  t.is(await n.here.provider.invalidateUserTokensInteractor()(n.userId), 1);
  t.false(await accepted(n.here, access));
});

test("invalidating a client's tokens ends the cached ones at once", async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  await n.here.provider.invalidateClientTokensInteractor()(n.client.id);
  t.false(await accepted(n.here, access));
});

test('deleting the user ends their cached tokens at once', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  t.true(await n.here.provider.users.delete(n.userId));
  t.false(await accepted(n.here, access));
});

test("deleting the client ends its cached tokens at once", async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  t.true(await n.here.provider.clients.delete(n.client.id));
  t.false(await accepted(n.here, access));
});

test("renaming the client shows the new name at once on a cached token", async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  await n.here.provider.clients.update(n.client.id, { name: 'renamed' });
  const outcome = await n.here.guard.check(bearer(access));
  t.true(outcome.ok && outcome.oauth.client.name === 'renamed');
});

test('RFC 6749 §7 — a cached token is refused once it expires, however fresh its cache entry', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  // Default access-token lifetime: one hour; the cache entry (60 s bound) is then 1 s old.
  n.clock.advance(3600_000 + 1000);
  t.false(await accepted(n.here, access));
});
