/**
 * A client known by its metadata document becomes an ordinary stored public client — PKCE required,
 * its fields from the document, beside a registration row of kind `metadata_document` holding the
 * document — because tokens and codes refer to stored clients. Storage is written only once a
 * request is approved (or a token issued), and then only when the client is new or its document
 * changed: showing the authorization page writes nothing. Problems with the URL or the document
 * are shown at the authorization endpoint, never redirected.
 */
import test from 'ava';
import { createAuthorizationEndpoint, OAuthProvider, ValidationError } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { documentFor, startMetadataProvider } from './support/metadata-provider.js';
import { json, serveDocuments } from './support/document-server.js';

const served = serveDocuments(test, ['app.test']);

const WRITES = ['insertClient', 'updateClient', 'saveClientRegistration'];

test('CIMD §4 — the first approved request stores a public client with PKCE required, and its registration with the document', async (t) => {
  const id = served.server.url('/stored.json');
  served.server.route('/stored.json', json(documentFor(id, { logo_uri: 'https://app.test/logo.png' })));
  const { approve, provider, storage } = await startMetadataProvider(served.ca);
  t.regex(await approve(id, 'https://app.test/callback'), /^https:\/\/app\.test\/callback\?code=/);

  const client = await storage.findClient(id);
  t.like(client, { id, name: 'Notes Everywhere', secretHash: null, requirePkce: true, allowPlainPkce: false, allowIntrospection: false });
  t.deepEqual(client?.grants, ['authorization_code', 'refresh_token']);
  t.deepEqual(client?.redirectUris, ['https://app.test/callback']);
  t.deepEqual(client?.scopes, ['read', 'write']);
  const registration = await storage.findClientRegistration(id);
  t.like(registration, { clientId: id, kind: 'metadata_document', accessTokenHash: null, lastUsedAt: null });
  t.deepEqual(JSON.parse(registration?.metadata ?? '{}'), documentFor(id, { logo_uri: 'https://app.test/logo.png' }));
  t.true((await provider.clients.list()).some((listed) => listed.id === id && !listed.confidential));
});

test('authorization pages shown for any number of document URLs store no client and no registration: nothing is stored before consent', async (t) => {
  const ids = Array.from({ length: 25 }, (_, index) => {
    const path = `/unconsented/${index}.json`;
    const id = served.server.url(path);
    served.server.route(path, json(documentFor(id)));
    return id;
  });
  const { validate, provider, storage, calls } = await startMetadataProvider(served.ca, { throttle: false });
  for (const id of ids) t.true((await validate(id, 'https://app.test/callback')).ok, id);
  t.deepEqual(calls.filter((call) => [...WRITES, 'insertAuthorizationCode'].includes(call)), []);
  for (const id of ids) {
    t.is(await storage.findClient(id), null);
    t.is(await storage.findClientRegistration(id), null);
  }
  t.false((await provider.clients.list()).some((listed) => ids.includes(listed.id)));
});

test('approving a request stores exactly its client and its registration, before the code that refers to them', async (t) => {
  const [shown, approved] = ['/shown-only.json', '/approved.json'].map((path) => {
    const id = served.server.url(path);
    served.server.route(path, json(documentFor(id)));
    return id;
  }) as [string, string];
  const { validate, approve, storage, calls, clearCalls } = await startMetadataProvider(served.ca);
  t.true((await validate(shown, 'https://app.test/callback')).ok);
  t.true((await validate(approved, 'https://app.test/callback')).ok);
  clearCalls();
  await approve(approved, 'https://app.test/callback');
  t.deepEqual(calls.filter((call) => [...WRITES, 'insertAuthorizationCode'].includes(call)), ['insertClient', 'saveClientRegistration', 'insertAuthorizationCode']);
  t.like(await storage.findClient(approved), { id: approved });
  t.like(await storage.findClientRegistration(approved), { clientId: approved, kind: 'metadata_document' });
  t.is(await storage.findClient(shown), null);
  t.is(await storage.findClientRegistration(shown), null);
});

test('a request served from the cache, for a client already stored, writes nothing and reads the client once', async (t) => {
  const id = served.server.url('/quiet.json');
  served.server.route('/quiet.json', json(documentFor(id), { 'cache-control': 'max-age=600' }));
  const { validate, approve, calls, clearCalls } = await startMetadataProvider(served.ca);
  await approve(id, 'https://app.test/callback');
  clearCalls();
  await validate(id, 'https://app.test/callback');
  t.deepEqual(calls, ['findClient']);
});

test('CIMD §6.3 — a refetched, unchanged document writes nothing', async (t) => {
  const id = served.server.url('/unchanged.json');
  served.server.route('/unchanged.json', json(documentFor(id), { 'cache-control': 'no-store' }));
  const { approve, calls, clearCalls } = await startMetadataProvider(served.ca);
  await approve(id, 'https://app.test/callback');
  clearCalls();
  await approve(id, 'https://app.test/callback');
  t.is(served.server.hits('/unchanged.json'), 4);
  t.deepEqual(calls.filter((call) => WRITES.includes(call)), []);
});

test('CIMD §6.3 — a changed document updates the stored client in one write and replaces the registration, once a request is approved', async (t) => {
  const id = served.server.url('/changing.json');
  let document = documentFor(id);
  served.server.route('/changing.json', (request, response) => json(document, { 'cache-control': 'no-store' })(request, response));
  const { validate, approve, storage, calls, clearCalls, advanceClock } = await startMetadataProvider(served.ca);
  await approve(id, 'https://app.test/callback');
  const created = await storage.findClientRegistration(id);
  advanceClock(10);
  document = documentFor(id, { client_name: 'Notes Everywhere 2', redirect_uris: ['https://app.test/callback', 'https://app.test/cb2'] });
  clearCalls();
  t.true((await validate(id, 'https://app.test/cb2')).ok);
  t.deepEqual(calls.filter((call) => WRITES.includes(call)), [], 'the page alone writes nothing');
  await approve(id, 'https://app.test/cb2');
  t.deepEqual(calls.filter((call) => WRITES.includes(call)), ['updateClient', 'saveClientRegistration']);
  t.like(await storage.findClient(id), { name: 'Notes Everywhere 2', redirectUris: ['https://app.test/callback', 'https://app.test/cb2'] });
  const replaced = await storage.findClientRegistration(id);
  t.deepEqual(replaced?.createdAt, created?.createdAt);
  t.true((replaced?.updatedAt.getTime() ?? 0) > (created?.updatedAt.getTime() ?? 0));
});

test('CIMD §4.5 — a redirect_uri the document does not list is shown, never redirected to', async (t) => {
  const id = served.server.url('/redirects.json');
  served.server.route('/redirects.json', json(documentFor(id)));
  const { validate } = await startMetadataProvider(served.ca);
  const check = await validate(id, 'https://attacker.test/callback');
  t.like(check, { ok: false, error: 'invalid_request', redirectTo: null });
  t.like(await validate(id, 'https://app.test/callback/'), { ok: false, redirectTo: null });
});

test('CIMD §4.3 — a document that cannot be fetched is shown as invalid_client naming the cause', async (t) => {
  const { validate } = await startMetadataProvider(served.ca);
  const check = await validate(served.server.url('/missing.json'), 'https://app.test/callback');
  t.like(check, { ok: false, error: 'invalid_client', redirectTo: null });
  t.regex(check.ok ? '' : check.errorDescription, /^Invalid client: https:\/\/app\.test:\d+\/missing\.json answered HTTP 404/);
});

test('CIMD §4.1 — a document naming another client_id is shown as invalid_client', async (t) => {
  const id = served.server.url('/impostor.json');
  served.server.route('/impostor.json', json(documentFor('https://famous.example/client.json')));
  const { validate, storage } = await startMetadataProvider(served.ca);
  const check = await validate(id, 'https://app.test/callback');
  t.like(check, { ok: false, error: 'invalid_client', redirectTo: null });
  t.regex(check.ok ? '' : check.errorDescription, /names client_id "https:\/\/famous\.example\/client\.json"; it must be the document's URL exactly/);
  t.is(await storage.findClient(id), null);
});

test('CIMD §3 — an http client_id is shown as invalid_client, not https, and nothing is fetched', async (t) => {
  const { validate } = await startMetadataProvider(served.ca);
  const check = await validate(`http://app.test:${served.server.port}/plain.json`, 'https://app.test/callback');
  t.like(check, { ok: false, error: 'invalid_client', redirectTo: null });
  t.regex(check.ok ? '' : check.errorDescription, /is a URL, but not https/);
  t.is(served.server.hits('/plain.json'), 0);
});

test('RFC 7636 §4.4.1 — such a client is public: a request without PKCE is refused', async (t) => {
  const id = served.server.url('/pkce.json');
  served.server.route('/pkce.json', json(documentFor(id)));
  const { validate } = await startMetadataProvider(served.ca);
  const check = await validate(id, 'https://app.test/callback', { code_challenge: '', code_challenge_method: '' });
  t.like(check, { ok: false, error: 'invalid_request' });
  t.truthy(!check.ok && check.redirectTo?.startsWith('https://app.test/callback?'));
});

test('the scopes option bounds such clients; a declared scope narrows further, and is what a scope-less request gets', async (t) => {
  const id = served.server.url('/scoped.json');
  served.server.route('/scoped.json', json(documentFor(id, { scope: 'read admin' })));
  const { validate, approve, storage, provider } = await startMetadataProvider(served.ca, { scopes: ['read', 'write'], defaultScopes: ['read'] });
  await provider.scopes.define('admin', 'Everything');
  const check = await validate(id, 'https://app.test/callback', { scope: '' });
  t.true(check.ok);
  t.deepEqual(check.ok ? check.request.scope : [], ['read']);
  await approve(id, 'https://app.test/callback', { scope: '' });
  t.like(await storage.findClient(id), { scopes: ['read'], defaultScopes: ['read'] });
  t.like(await validate(id, 'https://app.test/callback', { scope: 'write' }), { ok: false, error: 'invalid_scope' });
});

test('CIMD §6.4 — the validated request carries the host of the client_id, and none for a registered client', async (t) => {
  const id = served.server.url('/host.json');
  served.server.route('/host.json', json(documentFor(id)));
  const { validate, provider } = await startMetadataProvider(served.ca);
  const check = await validate(id, 'https://app.test/callback');
  t.is(check.ok ? check.request.clientIdHost : undefined, `app.test:${served.server.port}`);
  await provider.clients.create({ id: 'registered', name: 'Registered', grants: ['authorization_code'], redirectUris: ['https://r.example/cb'], scopes: ['read'], confidential: false });
  const registered = await validate('registered', 'https://r.example/cb');
  t.is(registered.ok ? registered.request.clientIdHost : undefined, null);
});

test('off by default: a URL client_id is an unknown client and nothing is fetched', async (t) => {
  const id = served.server.url('/off.json');
  served.server.route('/off.json', json(documentFor(id)));
  const provider = new OAuthProvider(new MemoryStorage());
  const check = await createAuthorizationEndpoint({ provider }).validate({ response_type: 'code', client_id: id, redirect_uri: 'https://app.test/callback' });
  t.like(check, { ok: false, error: 'invalid_client', errorDescription: 'Invalid client: unknown `client_id`', redirectTo: null });
  t.is(served.server.hits('/off.json'), 0);
});

test('a storage without the client-registration port cannot turn the feature on', (t) => {
  const storage = new MemoryStorage();
  const withoutPort = new Proxy(storage, {
    get: (target, property, receiver) =>
      ['findClientRegistration', 'saveClientRegistration', 'touchClientRegistration', 'purgeUnusedClients'].includes(String(property))
        ? undefined
        : Reflect.get(target, property, receiver),
  });
  const error = t.throws(() => new OAuthProvider(withoutPort, { clientMetadataDocuments: {} }), { instanceOf: ValidationError });
  t.regex(error?.message ?? '', /^clientMetadataDocuments: needs a storage with the client-registration port/);
});

test('the options are checked when the provider is built, naming the field', (t) => {
  const build = (clientMetadataDocuments: unknown) => () => new OAuthProvider(new MemoryStorage(), { clientMetadataDocuments: clientMetadataDocuments as never });
  for (const [options, field] of [
    [{ timeoutMs: 0 }, 'clientMetadataDocuments.timeoutMs'],
    [{ maxBytes: 10_000_000 }, 'clientMetadataDocuments.maxBytes'],
    [{ maxRedirects: 4 }, 'clientMetadataDocuments.maxRedirects'],
    [{ maxCacheSeconds: 100_000 }, 'clientMetadataDocuments.maxCacheSeconds'],
    [{ allowHosts: 'localhost' }, 'clientMetadataDocuments.allowHosts'],
    [{ ca: 42 }, 'clientMetadataDocuments.ca'],
    [{ lookup: 'dns' }, 'clientMetadataDocuments.lookup'],
    [{ throttle: { maxFetches: 0, windowSeconds: 60 } }, 'clientMetadataDocuments.throttle.maxFetches'],
    [{ throttle: { maxFetches: 5, windowSeconds: 100_000 } }, 'clientMetadataDocuments.throttle.windowSeconds'],
    [{ throttle: true }, 'clientMetadataDocuments.throttle'],
    [{ maxConcurrentFetches: 0 }, 'clientMetadataDocuments.maxConcurrentFetches'],
    [{ scopes: ['bad scope'] }, 'clientMetadataDocuments.scopes[0]'],
    [{ scopes: ['read'], defaultScopes: ['write'] }, 'clientMetadataDocuments.defaultScopes'],
    [true, 'clientMetadataDocuments'],
  ] as const) {
    const error = t.throws(build(options), { instanceOf: ValidationError });
    t.is(error?.field, field, JSON.stringify(options));
  }
});

test('the management API finds, revokes the tokens of and deletes such a client by its URL', async (t) => {
  const id = served.server.url('/managed.json');
  served.server.route('/managed.json', json(documentFor(id)));
  const { approve, provider, storage } = await startMetadataProvider(served.ca);
  await approve(id, 'https://app.test/callback');
  t.like(await provider.clients.get(id), { id, confidential: false });
  t.is(await provider.invalidateClientTokensInteractor()(id), 0);
  t.true(await provider.clients.delete(id));
  t.is(await storage.findClient(id), null);
  t.is(await storage.findClientRegistration(id), null);
});

test('RFC 6749 §3.3 — a client whose document names its scope gets it as its default: a request naming no scope is granted it, whatever the server’s defaultScopes', async (t) => {
  const id = served.server.url('/own-scope.json');
  served.server.route('/own-scope.json', json(documentFor(id, { scope: 'write' })));
  const { validate } = await startMetadataProvider(served.ca, { defaultScopes: ['read'] });
  const check = await validate(id, 'https://app.test/callback', { scope: '' });
  t.true(check.ok);
  if (check.ok) t.deepEqual(check.request.scope, ['write']);
  t.like(check.ok ? check.request.client : null, { scopes: ['write'], defaultScopes: ['write'] });
});

test('RFC 6749 §3.3 — a client whose document names no scope gets the server’s defaultScopes, and without them a request naming no scope is refused invalid_scope', async (t) => {
  const id = served.server.url('/no-scope.json');
  served.server.route('/no-scope.json', json(documentFor(id)));
  const withDefault = await startMetadataProvider(served.ca, { defaultScopes: ['read'] });
  const granted = await withDefault.validate(id, 'https://app.test/callback', { scope: '' });
  t.true(granted.ok);
  if (granted.ok) t.deepEqual(granted.request.scope, ['read']);
  const refused = await (await startMetadataProvider(served.ca)).validate(id, 'https://app.test/callback', { scope: '' });
  t.like(refused, { ok: false, error: 'invalid_scope' });
});
