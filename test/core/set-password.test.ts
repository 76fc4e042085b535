/**
 * `users.setPassword`: a new password, validated like a new user's, hashed at the configured cost;
 * the user's tokens are revoked unless asked not to (the conformance suite checks that part on
 * every storage).
 */
import test from 'ava';
import { OAuthProvider, ValidationError } from '../../src/core/index.js';
import { costOf } from '../../src/core/provider/password-hashing.js';
import { MAX_PASSWORD_LENGTH } from '../../src/core/provider/input-limits.js';
import { MemoryStorage } from '../../src/testing/index.js';

const LOW = { N: 1024, r: 8, p: 1 };
const RAISED = { N: 2048, r: 8, p: 2 };

test('setPassword hashes at the configured cost, whatever the cost of the hash it replaces', async (t) => {
  const storage = new MemoryStorage();
  const user = await new OAuthProvider(storage, { passwordHashCost: LOW }).users.create({ username: 'alice', password: 'old password' });
  const provider = new OAuthProvider(storage, { passwordHashCost: RAISED });
  t.true(await provider.users.setPassword(user.id, 'new password'));
  t.deepEqual(costOf((await storage.findUserById(user.id))!.passwordHash), RAISED);
});

test('setPassword stamps updatedAt with the provider clock and leaves the rest of the user alone', async (t) => {
  let now = new Date('2030-01-01T00:00:00.000Z');
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: LOW, now: () => now });
  const user = await provider.users.create({ username: 'alice', password: 'old password' });
  now = new Date('2030-06-01T12:00:00.000Z');
  await provider.users.setPassword(user.id, 'new password');
  t.deepEqual(await provider.users.get(user.id), { ...user, updatedAt: now });
});

test(`the longest password set or checked is ${MAX_PASSWORD_LENGTH} UTF-16 code units`, async (t) => {
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: LOW });
  const longest = 'p'.repeat(MAX_PASSWORD_LENGTH);
  const user = await provider.users.create({ username: 'alice', password: 'old password' });
  t.true(await provider.users.setPassword(user.id, longest));
  t.deepEqual(await provider.users.verifyPassword('alice', longest), { id: user.id, username: 'alice' });
  await t.throwsAsync(provider.users.setPassword(user.id, `${longest}p`), { instanceOf: ValidationError, message: /password: must be 8–1024 characters/ });
  t.is(await provider.users.verifyPassword('alice', `${longest}p`), null);
});

test('setPassword refuses something that is neither a user id nor a user', async (t) => {
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: LOW });
  for (const idOrUser of [undefined, null, 42, {}]) {
    await t.throwsAsync(provider.users.setPassword(idOrUser as never, 'new password'), { instanceOf: ValidationError }, String(idOrUser));
  }
});
