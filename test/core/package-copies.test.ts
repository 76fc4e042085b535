/**
 * An application and a library it uses may each install a copy of oauth2-kit. A provider built by
 * one copy must work with the endpoints built by the other: they find the provider's credentials
 * under a symbol from the global registry, never in state of their own module. A provider from a
 * copy whose internals differ is refused with a message that says so.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'ava';
import OAuth2Server from '@node-oauth/oauth2-server';
import * as first from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

/**
 * A second copy of the core's files, loaded as separate modules: what a second installed copy of
 * the package is. Kept under node_modules so that it resolves the same dependencies.
 */
const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
await mkdir(cache, { recursive: true });
const copyRoot = await mkdtemp(`${cache}oauth2-kit-copy-`);
await cp(fileURLToPath(new URL('../../src/core/', import.meta.url)), `${copyRoot}/core`, { recursive: true });
const second = (await import(pathToFileURL(`${copyRoot}/core/index.ts`).href)) as typeof first;
test.after.always(() => rm(copyRoot, { recursive: true, force: true }));

test('the second copy is really another instance of the module graph', (t) => {
  t.not(second.OAuthProvider, first.OAuthProvider);
});

test('a provider of one copy serves the token endpoint, the guard and revocation built by another', async (t) => {
  const provider = new first.OAuthProvider(new MemoryStorage());
  await provider.scopes.define('read');
  const { client, clientSecret } = await provider.clients.create({ name: 'copies', grants: ['client_credentials'], scopes: ['read'], defaultScopes: ['read'] });
  const server = new OAuth2Server({ model: provider.clientModel() });
  const controller = second.createAuthController({ server, provider: provider as never });
  const basic = `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}`;
  const issued = await controller.token({ method: 'POST', headers: { authorization: basic }, query: {}, body: { grant_type: 'client_credentials' } });
  t.is(issued.status, 200);
  const token = (issued.body as { access_token: string }).access_token;
  const guard = second.createGuard({ provider: provider as never });
  t.true((await guard.check({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} })).ok);
  t.is((await controller.revoke({ method: 'POST', headers: { authorization: basic }, query: {}, body: { token } })).status, 200);
  t.false((await guard.check({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} })).ok);
  t.true((await second.createAuthorizationEndpoint({ provider: provider as never }).validate({})).ok === false);
});

test('a provider from a copy with other internals is refused, saying so', (t) => {
  const foreign = { [Symbol.for('oauth2-kit.credentials.v2')]: {} };
  const error = t.throws(() => first.createGuard({ provider: foreign as never }), { instanceOf: TypeError });
  t.regex(error.message, /oauth2-kit\.credentials\.v2 where oauth2-kit\.credentials\.v1 was expected/);
  t.regex(error.message, /npm ls oauth2-kit/);
});

test('something that is not a provider is refused, saying what was expected', (t) => {
  t.throws(() => first.createAuthController({ server: {} as never, provider: {} as never }), { message: /expected the provider to be an OAuthProvider/ });
  t.throws(() => first.createGuard({}), { message: /createGuard needs the provider/ });
});
