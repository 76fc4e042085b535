/**
 * Deleting a user takes what OpenID Connect keeps of them: sign-in sessions (OIDC Core §3.1.2.3)
 * and remembered consent (OIDC Core §3.1.2.4), besides their tokens; a password change ends the
 * sessions too. Memory storage: the rules are the core's.
 */
import test from 'ava';
import { consentFixture } from './support/consent-fixture.js';

test('OIDC Core §3.1.2.4 — deleting a user deletes their consent grants, and no other user\'s', async (t) => {
  const { provider, consent } = await consentFixture();
  const alice = await provider.users.create({ username: 'alice', password: 'correct horse battery staple' });
  const bob = await provider.users.create({ username: 'bob', password: 'correct horse battery staple' });
  await consent(alice.id, 'notes');
  await consent(alice.id, 'calendar');
  await consent(bob.id, 'notes');
  t.true(await provider.users.delete(alice.id));
  t.deepEqual(await provider.grants.list({ userId: alice.id }), []);
  t.is((await provider.grants.list({ userId: bob.id })).length, 1);
});

test('OIDC Core §3.1.2.3 — deleting a user ends their sign-in sessions, and no other user\'s', async (t) => {
  const { provider, storage, session } = await consentFixture();
  const alice = await provider.users.create({ username: 'alice', password: 'correct horse battery staple' });
  const bob = await provider.users.create({ username: 'bob', password: 'correct horse battery staple' });
  const alices = [await session(alice.id), await session(alice.id)];
  const bobs = await session(bob.id);
  t.true(await provider.users.delete(alice.id));
  for (const digest of alices) t.is(await storage.findSession(digest), null);
  t.not(await storage.findSession(bobs), null);
});

test('deleting a user revokes their tokens as before', async (t) => {
  const { provider, token, revoked } = await consentFixture();
  const alice = await provider.users.create({ username: 'alice', password: 'correct horse battery staple' });
  const accessToken = await token(alice.id, 'notes');
  t.true(await provider.users.delete(alice.id));
  t.true(await revoked(accessToken));
});

test('OIDC Core §3.1.2.3 — a password change ends the user\'s sign-in sessions, unless it keeps their tokens ({ revokeTokens: false })', async (t) => {
  const { provider, storage, session } = await consentFixture();
  const alice = await provider.users.create({ username: 'alice', password: 'correct horse battery staple' });
  const kept = await session(alice.id);
  t.true(await provider.users.setPassword(alice.id, 'another long passphrase', { revokeTokens: false }));
  t.not(await storage.findSession(kept), null);
  t.true(await provider.users.setPassword(alice.id, 'yet another long passphrase'));
  t.is(await storage.findSession(kept), null);
});
