/**
 * The resource owner password credentials grant is an explicit opt-in of the provider
 * (`allowPasswordGrant`), because RFC 9700 §2.4 says it "MUST NOT be used".
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import { createAuthController, OAuthProvider, ValidationError, type OAuthProviderOptions, type OAuthStorage } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { basic, post } from './fixture.js';

const CHEAP = { passwordHashCost: { N: 1024, r: 8, p: 1 } };
const PASSWORD = 'correct horse battery staple';

/** A provider on `storage` with its token endpoint, as an application builds them. */
function serverOn(storage: OAuthStorage, options: OAuthProviderOptions = {}) {
  const provider = new OAuthProvider(storage, { ...CHEAP, ...options });
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  return { provider, controller: createAuthController({ server, provider }) };
}

/** A client registered for the password grant, and a user, by a provider that offers the grant. */
async function registeredEarlier(storage: OAuthStorage) {
  const { provider } = serverOn(storage, { allowPasswordGrant: true });
  await provider.scopes.define('read', 'Read access');
  const { clientSecret } = await provider.clients.create({ id: 'app', name: 'App', grants: ['password', 'refresh_token'], scopes: ['read'] });
  await provider.users.create({ username: 'alice', password: PASSWORD });
  return { id: 'app', secret: clientSecret! };
}

const passwordGrant = (client: { id: string; secret: string }) =>
  post({ grant_type: 'password', username: 'alice', password: PASSWORD, scope: 'read' }, { authorization: basic(client.id, client.secret) });

test('RFC 9700 §2.4 — without allowPasswordGrant, registering a client with the password grant is refused, saying how to offer it', async (t) => {
  const { provider } = serverOn(new MemoryStorage());
  const error = await t.throwsAsync(provider.clients.create({ name: 'App', grants: ['client_credentials', 'password'] }), {
    instanceOf: ValidationError,
  });
  t.is(error?.field, 'grants');
  t.regex(error?.message ?? '', /RFC 9700 §2\.4/);
  t.regex(error?.message ?? '', /allowPasswordGrant: true/);
  t.deepEqual(await provider.clients.list(), [], 'nothing was stored');
});

test('RFC 9700 §2.4 — without allowPasswordGrant, updating a client to the password grant is refused', async (t) => {
  const { provider } = serverOn(new MemoryStorage());
  await provider.clients.create({ id: 'app', name: 'App', grants: ['client_credentials'] });
  await t.throwsAsync(provider.clients.update('app', { grants: ['client_credentials', 'password'] }), {
    instanceOf: ValidationError,
    message: /^grants: the password grant is off/,
  });
  t.deepEqual((await provider.clients.get('app'))?.grants, ['client_credentials']);
});

test('a client names its grants: registering one without grants is refused, so no grant (password least of all) is implied', async (t) => {
  const { provider } = serverOn(new MemoryStorage(), { allowPasswordGrant: true });
  await t.throwsAsync(provider.clients.create({ name: 'App' } as never), { instanceOf: ValidationError, message: /^grants:/ });
  await t.throwsAsync(provider.clients.create({ name: 'App', grants: [] }), { instanceOf: ValidationError, message: /^grants:/ });
});

test('RFC 6749 §5.2 — without allowPasswordGrant, the token endpoint answers grant_type=password unsupported_grant_type, even for a client registered with it earlier', async (t) => {
  const storage = new MemoryStorage();
  const client = await registeredEarlier(storage);
  const { controller } = serverOn(storage);
  const response = await controller.token(passwordGrant(client));
  t.is(response.status, 400);
  t.like(response.body, { error: 'unsupported_grant_type' });
  t.regex(String((response.body as { error_description: string }).error_description), /password grant/);
});

test('RFC 9700 §2.4 — without allowPasswordGrant, the model hides the password grant from oauth2-server', async (t) => {
  const storage = new MemoryStorage();
  const client = await registeredEarlier(storage);
  const { provider } = serverOn(storage);
  const model = provider.userModel(provider.users.getUser, provider.users.login);
  const seen = await model.getClient(client.id, client.secret);
  t.deepEqual(seen ? seen.grants : null, ['refresh_token']);
});

test('RFC 9700 §2.4 — a client stored with the password grant can still be changed otherwise without allowPasswordGrant', async (t) => {
  const storage = new MemoryStorage();
  await registeredEarlier(storage);
  const { provider } = serverOn(storage);
  const updated = await provider.clients.update('app', { name: 'Renamed' });
  t.is(updated?.name, 'Renamed');
  t.deepEqual(updated?.grants, ['password', 'refresh_token'], 'what is stored is kept; the token endpoint refuses it');
});

test('RFC 6749 §4.3 — with allowPasswordGrant, a client registered with the password grant gets tokens for its user', async (t) => {
  const storage = new MemoryStorage();
  const client = await registeredEarlier(storage);
  const { controller } = serverOn(storage, { allowPasswordGrant: true });
  const response = await controller.token(passwordGrant(client));
  t.is(response.status, 200, JSON.stringify(response.body));
  t.is(typeof (response.body as { access_token?: unknown }).access_token, 'string');
});

test('RFC 6749 §5.2 — with allowPasswordGrant, a client registered without the password grant is still refused it (unauthorized_client)', async (t) => {
  const storage = new MemoryStorage();
  const { provider, controller } = serverOn(storage, { allowPasswordGrant: true });
  const { clientSecret } = await provider.clients.create({ id: 'service', name: 'Service', grants: ['client_credentials'] });
  await provider.users.create({ username: 'alice', password: PASSWORD });
  const response = await controller.token(passwordGrant({ id: 'service', secret: clientSecret! }));
  t.is(response.status, 400);
  t.like(response.body, { error: 'unauthorized_client' });
});

test('allowPasswordGrant is a boolean: anything else is refused at construction', (t) => {
  t.throws(() => new OAuthProvider(new MemoryStorage(), { allowPasswordGrant: 'yes' as never }), {
    instanceOf: ValidationError,
    message: /^allowPasswordGrant:/,
  });
});
