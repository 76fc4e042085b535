import { UnknownScopeError, ValidationError } from '../../core/index.js';
import type { DefineConformanceTest } from './define.js';
import { refusal } from './refusal.js';

const API = 'https://api.example/mcp';

/** The management API for protected resources (RFC 8707): `provider.resources`. */
export function resourceManagement(define: DefineConformanceTest): void {
  define.requiring('storesResources', 'RFC 8707 §2 — a resource is defined, found by its exact identifier, listed by id and deleted', async (t, h) => {
    await h.defineScopes('read', 'write');
    const defined = await h.provider.resources.define({ id: API, name: 'MCP server', scopes: ['write', 'read'], accessTokenLifetime: 300 });
    const now = h.clock.now();
    t.deepEqual(defined, { id: API, name: 'MCP server', scopes: ['write', 'read'], accessTokenLifetime: 300, tokenFormat: 'opaque', createdAt: now, updatedAt: now });
    t.deepEqual(await h.provider.resources.find(API), defined);
    for (const near of [`${API}/`, 'https://API.example/mcp', 'https://api.example/MCP', 'https://api.example/mcp?x=1']) {
      t.is(await h.provider.resources.find(near), null, near);
    }
    await h.provider.resources.define({ id: 'https://a.example/', name: 'A' });
    await h.provider.resources.define({ id: 'urn:example:z', name: 'Z' });
    t.deepEqual((await h.provider.resources.list()).map((resource) => resource.id), ['https://a.example/', API, 'urn:example:z']);
    t.true(await h.provider.resources.delete(API));
    t.false(await h.provider.resources.delete(API));
    t.is(await h.provider.resources.find(API), null);
    t.deepEqual((await h.provider.resources.list()).map((resource) => resource.id), ['https://a.example/', 'urn:example:z']);
  });

  define.requiring('storesResources', 'a resource without scopes or a lifetime accepts any scope and has no lifetime of its own', async (t, h) => {
    const defined = await h.provider.resources.define({ id: API, name: 'Open API' });
    t.deepEqual([defined.scopes, defined.accessTokenLifetime], [[], null]);
    t.deepEqual(await h.provider.resources.find(API), defined);
  });

  define.requiring('storesResources', 'defining a resource again replaces every field but keeps its createdAt', async (t, h) => {
    await h.defineScopes('read');
    const first = await h.provider.resources.define({ id: API, name: 'Before', scopes: ['read'], accessTokenLifetime: 300 });
    h.clock.advance(60);
    const second = await h.provider.resources.define({ id: API, name: 'After' });
    t.deepEqual(second, { id: API, name: 'After', scopes: [], accessTokenLifetime: null, tokenFormat: 'opaque', createdAt: first.createdAt, updatedAt: h.clock.now() });
    t.deepEqual(await h.provider.resources.find(API), second);
    t.is((await h.provider.resources.list()).length, 1);
  });

  define.requiring('storesResources', 'RFC 8707 §2 — resource input is validated strictly, naming the refused field, and nothing is stored', async (t, h) => {
    await h.defineScopes('read');
    const base = { id: API, name: 'API' };
    const refused: Array<[unknown, string]> = [
      [{ ...base, id: '/relative/path' }, 'id'],
      [{ ...base, id: 'api.example/mcp' }, 'id'],
      [{ ...base, id: 'https://api.example/mcp#section' }, 'id'],
      [{ ...base, id: 'https://api.example/#' }, 'id'],
      [{ ...base, id: 'https://api.example/two words' }, 'id'],
      [{ ...base, id: `https://api.example/${'p'.repeat(493)}` }, 'id'],
      [{ ...base, id: '' }, 'id'],
      [{ ...base, id: 42 }, 'id'],
      [{ name: 'API' }, 'id'],
      [{ ...base, name: '' }, 'name'],
      [{ ...base, name: '   ' }, 'name'],
      [{ ...base, name: 'n'.repeat(256) }, 'name'],
      [{ id: API }, 'name'],
      [{ ...base, scopes: 'read' }, 'scopes'],
      [{ ...base, scopes: ['read', 'two words'] }, 'scopes[1]'],
      [{ ...base, accessTokenLifetime: 0 }, 'accessTokenLifetime'],
      [{ ...base, accessTokenLifetime: 1.5 }, 'accessTokenLifetime'],
      [{ ...base, accessTokenLifetime: '60' }, 'accessTokenLifetime'],
      [{ ...base, accessTokenLifetime: 86_401 }, 'accessTokenLifetime'],
      [{ ...base, scope: 'read' }, 'scope'],
      [null, 'resource'],
    ];
    for (const [input, field] of refused) {
      const error = await refusal(() => h.provider.resources.define(input as never));
      t.true(error instanceof ValidationError, JSON.stringify(input));
      t.is((error as ValidationError).field, field, JSON.stringify(input));
    }
    t.deepEqual(await h.provider.resources.list(), []);
    // The longest identifier accepted: 512 characters.
    const longest = `https://api.example/${'p'.repeat(492)}`;
    t.is((await h.provider.resources.define({ id: longest, name: 'Long' })).id, longest);
  });

  define.requiring('storesResources', "a resource's scopes must be defined scopes: UnknownScopeError names the others, and nothing is stored", async (t, h) => {
    await h.defineScopes('read');
    const error = await refusal(() => h.provider.resources.define({ id: API, name: 'API', scopes: ['read', 'missing', 'absent'] }));
    t.true(error instanceof UnknownScopeError);
    t.deepEqual((error as UnknownScopeError).scopes, ['missing', 'absent']);
    t.is(await h.provider.resources.find(API), null);
  });

  define.requiring('storesResources', 'find and delete of a malformed identifier answer null and false', async (t, h) => {
    for (const malformed of ['not a uri', '', 'https://api.example/#x', 'x'.repeat(600), 'https://api.example/\u0000']) {
      t.is(await h.provider.resources.find(malformed), null, JSON.stringify(malformed));
      t.false(await h.provider.resources.delete(malformed), JSON.stringify(malformed));
    }
  });

  define.requiring('storesResources', "a resource view is the caller's own copy: changing it changes nothing stored", async (t, h) => {
    await h.defineScopes('read');
    const defined = await h.provider.resources.define({ id: API, name: 'API', scopes: ['read'] });
    defined.scopes.push('write');
    defined.name = 'Changed';
    const found = await h.provider.resources.find(API);
    t.deepEqual([found?.name, found?.scopes], ['API', ['read']]);
  });

  define.lacking('storesResources', 'without a resource port, every provider.resources method throws a TypeError saying the storage keeps no resources', async (t, h) => {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['define', () => h.provider.resources.define({ id: API, name: 'API' })],
      ['find', () => h.provider.resources.find(API)],
      ['list', () => h.provider.resources.list()],
      ['delete', () => h.provider.resources.delete(API)],
    ];
    for (const [method, call] of calls) {
      const error = await refusal(call);
      t.true(error instanceof TypeError, method);
      t.regex((error as Error).message, /^this storage has no resource port \(OAuthResourceStorage/, method);
    }
  });
}
