import test from 'ava';
import { createAuthController } from '../../src/core/index.js';
import { readClientCredentials } from '../../src/core/protocol/presented-client-credentials.js';
import { basic, failableProvider, post } from './fixture.js';

async function controllerWithClient() {
  const { provider, server } = failableProvider();
  await provider.scopes.define('read');
  const { client, clientSecret } = await provider.clients.create({ name: 'c', grants: ['client_credentials'], scopes: ['read'], defaultScopes: ['read'] });
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

/** Both parts form-urlencoded with every character but [A-Za-z0-9] escaped, as oauth4webapi sends them. */
const escapedBasic = (id: string, secret: string) => {
  const encode = (value: string) => [...Buffer.from(value)].map((byte) => (/[A-Za-z0-9]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return basic(encode(id), encode(secret));
};

test('RFC 6749 §2.3.1 — revocation and introspection form-urlencoded-decode Basic credentials', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  t.regex(id, /-/);
  t.is((await controller.revoke(post({ token: 'x' }, { authorization: escapedBasic(id, secret) }))).status, 200);
  const introspected = await controller.introspect(post({ token: 'x' }, { authorization: escapedBasic(id, secret) }));
  t.is(introspected.status, 200);
  t.deepEqual(introspected.body, { active: false });
});

test('RFC 6749 §2.3.1 — in Basic credentials + is a space and %2B a plus, as form-urlencoding says', (t) => {
  t.deepEqual(readClientCredentials({ authorization: basic('a+b%7E', 'c%2Bd+e%3A') }, {}), { ok: true, clientId: 'a b~', clientSecret: 'c+d e:' });
  t.deepEqual(readClientCredentials({ authorization: basic('plain-id_1.x~', 's3cr-t_') }, {}), { ok: true, clientId: 'plain-id_1.x~', clientSecret: 's3cr-t_' });
});

test('RFC 6749 §2.3.1 — a malformed percent-escape in Basic credentials is 401 invalid_client at revocation and introspection', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  for (const authorization of [basic(`${id}%`, secret), basic(id, `${secret}%zz`), basic(id, `${secret}%C3`)]) {
    for (const endpoint of [controller.revoke, controller.introspect]) {
      const response = await endpoint(post({ token: 'x' }, { authorization }));
      t.is(response.status, 401);
      t.is((response.body as { error: string }).error, 'invalid_client');
    }
  }
});

test('RFC 6749 §2.3.1 — the token endpoint form-urlencoded-decodes Basic credentials', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  const response = await controller.token(post({ grant_type: 'client_credentials' }, { authorization: escapedBasic(id, secret) }));
  t.is(response.status, 200);
});

test('RFC 6749 §2.3 — the token endpoint refuses two client authentication methods at once', async (t) => {
  const { controller, id, secret } = await controllerWithClient();
  const response = await controller.token(post({ grant_type: 'client_credentials', client_secret: secret }, { authorization: basic(id, secret) }));
  t.is(response.status, 400);
  t.is((response.body as { error: string }).error, 'invalid_request');
});
