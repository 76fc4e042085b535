import test from 'ava';
import { createAuthController } from '../../src/core/index.js';
import { basic, failableProvider, post } from './fixture.js';

async function controllerWithClient() {
  const { provider, server } = failableProvider();
  const { client, clientSecret } = await provider.clients.create({ name: 'c', grants: ['client_credentials'] });
  return { controller: createAuthController({ server, provider }), id: client.id, secret: clientSecret! };
}

test('RFC 6749 §2.3 — revocation refuses two client authentication methods at once', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  const response = await controller.revoke(post({ token: 'x', client_secret: secret }, { authorization: basic(id, secret) }));
  t.is(response.status, 400);
  t.is((response.body as { error: string }).error, 'invalid_request');
});

test('RFC 7009 §2.1 — revocation without any client credentials answers 401 with a Basic challenge', async (t) => {
  const { controller } = await controllerWithClient();
  const response = await controller.revoke(post({ token: 'x' }));
  t.is(response.status, 401);
  t.regex(response.headers['www-authenticate'] ?? '', /^Basic realm="/);
});

test('RFC 6749 §2.3.1 — revocation accepts client credentials in the body', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  t.is((await controller.revoke(post({ token: 'x', client_id: id, client_secret: secret }))).status, 200);
});

test('RFC 7009 §2.1 — revocation without the token parameter answers 400 invalid_request', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  const response = await controller.revoke(post({}, { authorization: basic(id, secret) }));
  t.is(response.status, 400);
});

test('RFC 9110 §11.2 — a realm that cannot be quoted is refused at construction', (t) => {
  const { provider, server } = failableProvider();
  t.throws(() => createAuthController({ server, provider, realm: 'a"b' }));
});
