/**
 * With the client cache on, a token request skips the client read, and every change made to the
 * client through the same provider is seen by the very next request.
 */
import test from 'ava';
import { tokenRequest, twoNodes, type TwoNodes } from './support/two-nodes.js';

/** A long bound, so that only invalidation (not ageing) can end an entry. */
function nodes(): Promise<TwoNodes> {
  return twoNodes({ clientCache: { maxAgeMs: 60_000 } });
}

async function clientCredentials(n: TwoNodes, secret = n.client.secret): Promise<number> {
  const response = await n.here.endpoints.token(
    tokenRequest({ id: n.client.id, secret }, { grant_type: 'client_credentials', scope: 'read' }),
  );
  return response.status;
}

test('a secret rotated through this provider is refused at once, and the new one accepted', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  t.is(await clientCredentials(n), 200);
  const rotated = await n.here.provider.clients.rotateSecret(n.client.id);
  t.is(await clientCredentials(n), 401);
  t.is(await clientCredentials(n, rotated!.clientSecret), 200);
});

test('a client deleted through this provider is refused at once', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  t.is(await clientCredentials(n), 200);
  await n.here.provider.clients.delete(n.client.id);
  t.is(await clientCredentials(n), 401);
});

test('a grant removed through this provider is refused at once', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  t.is(await clientCredentials(n), 200);
  await n.here.provider.clients.update(n.client.id, { grants: ['password', 'refresh_token'] });
  t.is(await clientCredentials(n), 400);
});

test('a scope deleted from the catalogue is no longer granted at once', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  t.is(await clientCredentials(n), 200);
  await n.here.provider.scopes.delete('read');
  t.is(await clientCredentials(n), 400);
});

test('a wrong secret is refused even while the client is cached', async (t) => {
  const n = await nodes();
  t.teardown(n.close);
  t.is(await clientCredentials(n), 200);
  t.is(await clientCredentials(n, `${n.client.secret}x`), 401);
});
