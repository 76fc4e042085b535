/**
 * `provider.grants`: the consent users gave clients (OIDC Core §3.1.2.4), listed and revoked;
 * revoking consent revokes the tokens it allowed. Memory storage: the rules are the core's.
 */
import test from 'ava';
import { OAuthProvider, ValidationError } from '../../src/core/index.js';
import { CONSENT_GRANT_METHODS } from '../../src/core/storage/consent-grant-port.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { consentFixture } from './support/consent-fixture.js';

test('list shows every grant by user then client, or those of a user, of a client, or of both', async (t) => {
  const { provider, consent } = await consentFixture();
  await consent('bob', 'notes', ['openid', 'read']);
  await consent('alice', 'notes');
  await consent('alice', 'calendar');
  const pairs = (grants: Array<{ userId: string; clientId: string }>) => grants.map((grant) => `${grant.userId}@${grant.clientId}`);
  t.deepEqual(pairs(await provider.grants.list()), ['alice@calendar', 'alice@notes', 'bob@notes']);
  t.deepEqual(pairs(await provider.grants.list({ userId: 'alice' })), ['alice@calendar', 'alice@notes']);
  t.deepEqual(pairs(await provider.grants.list({ clientId: 'notes' })), ['alice@notes', 'bob@notes']);
  t.deepEqual(pairs(await provider.grants.list({ userId: 'bob', clientId: 'notes' })), ['bob@notes']);
  const [bob] = await provider.grants.list({ userId: 'bob' });
  t.deepEqual(bob!.scope, ['openid', 'read']);
  t.deepEqual(bob!.resources, []);
  t.true(bob!.createdAt instanceof Date);
});

test('OIDC Core §3.1.2.4 — revoking a user\'s consent to a client deletes that grant and revokes the user\'s tokens at that client, and nothing else', async (t) => {
  const { provider, consent, token, revoked } = await consentFixture();
  await consent('alice', 'notes');
  await consent('alice', 'calendar');
  await consent('bob', 'notes');
  const alicesNotes = [await token('alice', 'notes'), await token('alice', 'notes')];
  const alicesCalendar = await token('alice', 'calendar');
  const bobsNotes = await token('bob', 'notes');
  t.deepEqual(await provider.grants.revoke('alice', 'notes'), { grants: 1, codes: 0, tokens: 2 });
  for (const accessToken of alicesNotes) t.true(await revoked(accessToken));
  t.false(await revoked(alicesCalendar));
  t.false(await revoked(bobsNotes));
  t.deepEqual((await provider.grants.list()).map((grant) => `${grant.userId}@${grant.clientId}`), ['alice@calendar', 'bob@notes']);
});

test('OIDC Core §3.1.2.4 — revoking a user\'s consent without a client withdraws it from every client and revokes the tokens at each', async (t) => {
  const { provider, consent, token, revoked } = await consentFixture();
  await consent('alice', 'notes');
  await consent('alice', 'calendar');
  await consent('bob', 'calendar');
  const alices = [await token('alice', 'notes'), await token('alice', 'calendar')];
  const bobs = await token('bob', 'calendar');
  t.deepEqual(await provider.grants.revoke('alice'), { grants: 2, codes: 0, tokens: 2 });
  for (const accessToken of alices) t.true(await revoked(accessToken));
  t.false(await revoked(bobs));
  t.deepEqual(await provider.grants.list({ userId: 'alice' }), []);
});

test('revoking consent nobody gave revokes nothing, and an id no storage could hold is answered without a lookup', async (t) => {
  const { provider } = await consentFixture();
  t.deepEqual(await provider.grants.revoke('nobody'), { grants: 0, codes: 0, tokens: 0 });
  t.deepEqual(await provider.grants.revoke('x'.repeat(10_000), 'notes'), { grants: 0, codes: 0, tokens: 0 });
  t.deepEqual(await provider.grants.list({ clientId: 'bad id with spaces' }), []);
});

test('a user or client that is not a string is refused with a ValidationError naming it', async (t) => {
  const { provider } = await consentFixture();
  t.is((await t.throwsAsync(provider.grants.revoke(42 as unknown as string), { instanceOf: ValidationError }))?.field, 'userId');
  t.is((await t.throwsAsync(provider.grants.revoke('alice', {} as unknown as string), { instanceOf: ValidationError }))?.field, 'clientId');
  t.is((await t.throwsAsync(provider.grants.list({ userId: 7 as unknown as string }), { instanceOf: ValidationError }))?.field, 'userId');
});

test('a storage without the consent-grant port remembers no consent: grants are not enabled and the list is empty', async (t) => {
  const hidden = new Set<PropertyKey>(CONSENT_GRANT_METHODS);
  const storage = new Proxy(new MemoryStorage(), {
    get: (target, key) => (hidden.has(key) ? undefined : Reflect.get(target, key, target)),
    has: (target, key) => !hidden.has(key) && key in target,
  });
  const provider = new OAuthProvider(storage);
  t.false(provider.grants.enabled);
  t.deepEqual(await provider.grants.list(), []);
  t.deepEqual(await provider.grants.revoke('alice'), { grants: 0, codes: 0, tokens: 0 });
});
