import test from 'ava';
import { createAuthController, createGuard } from '../../src/core/index.js';
import { basic, failableProvider, get, post } from './fixture.js';

test('legacyForbiddenErrors answers 403 to every token endpoint error', async (t) => {
  const { provider, server } = failableProvider();
  const { client } = await provider.clients.create({ name: 'c', grants: ['client_credentials'] });
  const controller = createAuthController({ server, provider, legacyForbiddenErrors: true });
  const wrongSecret = await controller.token(post({ grant_type: 'client_credentials' }, { authorization: basic(client.id, 'wrong') }));
  const badGrant = await controller.token(post({ grant_type: 'nope' }, { authorization: basic(client.id, 'wrong') }));
  t.is(wrongSecret.status, 403);
  t.is(badGrant.status, 403);
  t.is((wrongSecret.body as { error: string }).error, 'invalid_client');
});

test('legacyForbiddenErrors answers 403 to every guard error', async (t) => {
  const { server } = failableProvider();
  const guard = createGuard({ server, legacyForbiddenErrors: true });
  const missing = await guard.check(get({}));
  const invalid = await guard.check(get({ authorization: 'Bearer nope' }));
  t.true(!missing.ok && missing.response.status === 403);
  t.true(!invalid.ok && invalid.response.status === 403);
});

test('RFC 6749 §5.2 — without legacyForbiddenErrors the RFC statuses are used', async (t) => {
  const { provider, server } = failableProvider();
  const { client } = await provider.clients.create({ name: 'c', grants: ['client_credentials'] });
  const controller = createAuthController({ server, provider });
  const response = await controller.token(post({ grant_type: 'client_credentials' }, { authorization: basic(client.id, 'wrong') }));
  t.is(response.status, 401);
});
