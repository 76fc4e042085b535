import test from 'ava';
import { createAuthController } from '../../src/core/index.js';
import { basic, failableProvider, post } from './fixture.js';

async function controllerWithClient() {
  const { provider, server } = failableProvider();
  const { client, clientSecret } = await provider.clients.create({ name: 'c', grants: ['client_credentials'] });
  return { controller: createAuthController({ server, provider }), id: client.id, secret: clientSecret! };
}

test('revocation refuses two client authentication methods at once (RFC 6749 §2.3)', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  const response = await controller.revoke(post({ token: 'x', client_secret: secret }, { authorization: basic(id, secret) }));
  t.is(response.status, 400);
  t.is((response.body as { error: string }).error, 'invalid_request');
});

test('revocation without any client credentials answers 401 with a Basic challenge', async (t) => {
  const { controller } = await controllerWithClient();
  const response = await controller.revoke(post({ token: 'x' }));
  t.is(response.status, 401);
  t.regex(response.headers['www-authenticate'] ?? '', /^Basic realm="/);
});

test('revocation accepts client credentials in the body', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  t.is((await controller.revoke(post({ token: 'x', client_id: id, client_secret: secret }))).status, 200);
});

test('revocation without the token parameter answers 400 invalid_request', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  const response = await controller.revoke(post({}, { authorization: basic(id, secret) }));
  t.is(response.status, 400);
});

test('a realm that cannot be quoted is refused at construction', (t) => {
  const { provider, server } = failableProvider();
  t.throws(() => createAuthController({ server, provider, realm: 'a"b' }));
});
