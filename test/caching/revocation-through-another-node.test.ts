/**
 * The documented bound of the validated-token cache: a revocation made through another process
 * (another node, the CLI) is seen by this node at most `maxAgeMs` after it — and, since the cache
 * only skips reads, until then the revoked token is still accepted here. Introspection never reads
 * through the cache and sees the revocation at once.
 */
import test from 'ava';
import { accepted, signIn, tokenRequest, twoNodes } from './support/two-nodes.js';

const BOUND_MS = 1000;

test('a token revoked on another node is accepted here until the bound, and refused from the bound on', async (t) => {
  const n = await twoNodes({ validatedTokenCache: { maxAgeMs: BOUND_MS } });
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  t.is(await n.elsewhere.provider.invalidateUserTokensInteractor()(n.userId), 1);
  t.false(await accepted(n.elsewhere, access), 'the revoking node refuses it at once');
  n.clock.advance(BOUND_MS - 1);
  t.true(await accepted(n.here, access), 'within the bound, this node still serves its cached validation');
  n.clock.advance(1);
  t.false(await accepted(n.here, access), 'at the bound, this node reads the revocation');
});

test('without the cache, a token revoked on another node is refused here at once', async (t) => {
  const n = await twoNodes({});
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  await n.elsewhere.provider.invalidateUserTokensInteractor()(n.userId);
  t.false(await accepted(n.here, access));
});

test('introspection sees a revocation made on another node at once, cache or not', async (t) => {
  const n = await twoNodes({ validatedTokenCache: { maxAgeMs: BOUND_MS } });
  t.teardown(n.close);
  const { access } = await signIn(n, n.here);
  t.true(await accepted(n.here, access));
  await n.elsewhere.provider.invalidateUserTokensInteractor()(n.userId);
  const introspected = await n.here.endpoints.introspect(tokenRequest(n.client, { token: access }));
  t.deepEqual(introspected.body, { active: false });
});

test('a secret rotated on another node stops working here at the client-cache bound', async (t) => {
  const n = await twoNodes({ clientCache: { maxAgeMs: BOUND_MS } });
  t.teardown(n.close);
  const issue = async () =>
    (await n.here.endpoints.token(tokenRequest(n.client, { grant_type: 'client_credentials', scope: 'read' }))).status;
  t.is(await issue(), 200);
  const rotated = await n.elsewhere.provider.clients.rotateSecret(n.client.id);
  t.truthy(rotated);
  n.clock.advance(BOUND_MS - 1);
  t.is(await issue(), 200, 'within the bound, the cached client still authenticates with the old secret');
  n.clock.advance(1);
  t.is(await issue(), 401, 'at the bound, the old secret is refused');
});
