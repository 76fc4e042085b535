import { DuplicateError, UnknownScopeError, ValidationError } from '../../core/index.js';
import type { DefineConformanceTest } from './define.js';
import { refusal } from './refusal.js';

/** The management API: clients and the scope catalogue. */
export function management(define: DefineConformanceTest): void {
  define('a created client is returned without any secret material', async (t, h) => {
    const { client, clientSecret } = await h.provider.clients.create({ id: 'billing-service', name: 'Billing', grants: ['client_credentials'] });
    t.is(client.id, 'billing-service');
    t.true(client.confidential);
    t.truthy(clientSecret);
    const stored = await h.provider.clients.get('billing-service');
    t.false(JSON.stringify(stored).includes(clientSecret!));
    t.false('secretHash' in (stored ?? {}));
  });

  define('RFC 9700 §2.1.1 — a public client is created without a secret and always requires PKCE', async (t, h) => {
    const { client, clientSecret } = await h.provider.clients.create({
      name: 'SPA',
      grants: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://spa.example/cb'],
      confidential: false,
    });
    t.is(clientSecret, null);
    t.false(client.confidential);
    t.true(client.requirePkce);
  });

  define('client input is validated strictly', async (t, h) => {
    const base = { name: 'x', grants: ['client_credentials' as const] };
    const invalid: unknown[] = [
      { ...base, id: 'has space' },
      { ...base, id: 'a'.repeat(129) },
      { ...base, id: "x';--" },
      { ...base, name: '' },
      { ...base, grants: [] },
      { ...base, grants: ['implicit'] },
      { ...base, grants: ['authorization_code'] },
      { ...base, grants: ['authorization_code'], redirectUris: ['/relative'] },
      { ...base, grants: ['authorization_code'], redirectUris: ['https://a.example/cb#fragment'] },
      { ...base, grants: ['authorization_code'], redirectUris: ['javascript:alert(1)'] },
      { ...base, confidential: false },
      { ...base, grants: ['password'], confidential: false },
      { ...base, accessTokenLifetime: 0 },
      { ...base, accessTokenLifetime: 1.5 },
      { ...base, refreshTokenLifetime: -1 },
      { ...base, authorizationCodeLifetime: 3600 },
      { ...base, accessTokenLifetime: '60' },
      { ...base, scopes: ['bad scope'] },
    ];
    for (const input of invalid) {
      const error = await refusal(() => h.provider.clients.create(input as never));
      t.true(error instanceof ValidationError, JSON.stringify(input));
    }
    t.deepEqual(await h.provider.clients.list(), []);
  });

  define('a client\'s scopes must be known scopes', async (t, h) => {
    const error = await refusal(() => h.provider.clients.create({ name: 'x', grants: ['client_credentials'], scopes: ['unknown'] }));
    t.true(error instanceof UnknownScopeError);
  });

  define('a taken client id is refused with DuplicateError', async (t, h) => {
    await h.provider.clients.create({ id: 'same', name: 'one', grants: ['client_credentials'] });
    const error = await refusal(() => h.provider.clients.create({ id: 'same', name: 'two', grants: ['client_credentials'] }));
    t.true(error instanceof DuplicateError);
  });

  define('clients are listed by id', async (t, h) => {
    for (const id of ['charlie', 'alpha', 'bravo']) await h.provider.clients.create({ id, name: id, grants: ['client_credentials'] });
    t.deepEqual((await h.provider.clients.list()).map((client) => client.id), ['alpha', 'bravo', 'charlie']);
  });

  define('an update replaces the given fields and keeps the others', async (t, h) => {
    await h.defineScopes('read', 'write');
    const { client } = await h.provider.clients.create({ name: 'Before', grants: ['client_credentials'], scopes: ['read'] });
    const updated = await h.provider.clients.update(client.id, { name: 'After', scopes: ['write'], accessTokenLifetime: 60 });
    t.is(updated?.name, 'After');
    t.deepEqual(updated?.scopes, ['write']);
    t.is(updated?.accessTokenLifetime, 60);
    t.deepEqual(updated?.grants, ['client_credentials']);
    t.is(await h.provider.clients.update('missing', { name: 'x' }), null);
  });

  define('RFC 6749 §4.4 — an update cannot give a public client a confidential-only grant', async (t, h) => {
    const client = await h.registerClient({ confidential: false, grants: ['authorization_code'] });
    const error = await refusal(() => h.provider.clients.update(client.id, { grants: ['client_credentials'] }));
    t.true(error instanceof ValidationError);
  });

  define('a public client has no secret to rotate', async (t, h) => {
    const client = await h.registerClient({ confidential: false, grants: ['authorization_code'] });
    t.true((await refusal(() => h.provider.clients.rotateSecret(client.id))) instanceof ValidationError);
    t.is(await h.provider.clients.rotateSecret('missing'), null);
  });

  define('deleting a client deletes its tokens and codes', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.passwordGrant(client, await h.createUser());
    t.true(await h.provider.clients.delete(client.id));
    t.false(await h.authenticates(body.access_token));
    t.is(await h.provider.clients.get(client.id), null);
    t.false(await h.provider.clients.delete(client.id));
  });

  define('the scope catalogue defines, lists and deletes scopes', async (t, h) => {
    await h.provider.scopes.define('write', 'Write access');
    await h.provider.scopes.define('read');
    await h.provider.scopes.define('read', 'Read access');
    const scopes = await h.provider.scopes.list();
    t.deepEqual(scopes.map((scope) => [scope.name, scope.description]), [['read', 'Read access'], ['write', 'Write access']]);
    t.true(await h.provider.scopes.delete('write'));
    t.false(await h.provider.scopes.delete('write'));
    t.true((await refusal(() => h.provider.scopes.define('two words'))) instanceof ValidationError);
  });

  define('deleting a scope takes it away from every client', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'] });
    await h.provider.scopes.delete('write');
    t.deepEqual((await h.provider.clients.get(client.id))?.scopes, ['read']);
  });
}
