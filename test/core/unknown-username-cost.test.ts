/**
 * An unknown username's password check costs what real users' checks cost, so that timing does not
 * tell which usernames exist, also while stored hashes are still at a cost lower than the
 * configured one. What is checked here is the scrypt parameters each check derives at (recorded
 * from node:crypto), never time.
 */
import crypto, { type ScryptOptions } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import test from 'ava';
import { OAuthProvider } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

const LOW = { N: 1024, r: 8, p: 1 };
const RAISED = { N: 2048, r: 8, p: 2 };

/** The cost of every scrypt derivation made since the last `take()`. */
const derivations: Array<{ N: number; r: number; p: number }> = [];
const originalScrypt = crypto.scrypt;
crypto.scrypt = ((password: crypto.BinaryLike, salt: crypto.BinaryLike, keylen: number, options: ScryptOptions, callback: (error: Error | null, key: Buffer) => void) => {
  derivations.push({ N: options.N!, r: options.r!, p: options.p! });
  return originalScrypt(password, salt, keylen, options, callback);
}) as typeof crypto.scrypt;
syncBuiltinESMExports();
const take = () => derivations.splice(0);

/** Users created when the cost was `cost`, and a provider on the same storage configured with RAISED. */
async function usersHashedAt(cost: typeof LOW, usernames: string[], storage = new MemoryStorage()) {
  const before = new OAuthProvider(storage, { passwordHashCost: cost });
  for (const username of usernames) await before.users.create({ username, password: `${username} password` });
  return new OAuthProvider(storage, { passwordHashCost: RAISED });
}

// Serial: the recorded derivations are the whole process's.

test.serial('an unknown username is checked at the cost of the real hashes just checked, not at the raised configured cost', async (t) => {
  const provider = await usersHashedAt(LOW, ['alice', 'bob']);
  take();
  t.is(await provider.users.verifyPassword('alice', 'wrong password'), null);
  t.is(await provider.users.verifyPassword('bob', 'wrong password'), null);
  t.is(await provider.users.verifyPassword('nobody', 'wrong password'), null);
  const [alice, bob, nobody] = take();
  t.deepEqual(alice, LOW);
  t.deepEqual(bob, LOW);
  t.deepEqual(nobody, LOW);
});

test.serial('before any real user was checked, an unknown username is checked at the configured cost', async (t) => {
  const provider = await usersHashedAt(LOW, ['alice']);
  take();
  t.is(await provider.users.verifyPassword('nobody', 'any password'), null);
  t.deepEqual(take(), [RAISED]);
});

test.serial('an unknown username costs exactly one derivation, as a real user with a wrong password does', async (t) => {
  const provider = await usersHashedAt(LOW, ['alice']);
  await provider.users.verifyPassword('alice', 'wrong password');
  take();
  for (let i = 0; i < 3; i++) await provider.users.verifyPassword(`nobody-${i}`, 'any password');
  t.deepEqual(take(), [LOW, LOW, LOW]);
});

test.serial('a user checked again and again counts once: the cost most recent users have decides', async (t) => {
  const storage = new MemoryStorage();
  const provider = await usersHashedAt(LOW, ['old-timer'], storage);
  for (const username of ['carol', 'dave']) await provider.users.create({ username, password: `${username} password` });
  await provider.users.verifyPassword('carol', 'wrong password');
  await provider.users.verifyPassword('dave', 'wrong password');
  for (let i = 0; i < 10; i++) await provider.users.verifyPassword('old-timer', 'wrong password');
  take();
  await provider.users.verifyPassword('nobody', 'any password');
  t.deepEqual(take(), [RAISED]);
});

test.serial('as users sign in and their hashes are upgraded, unknown usernames follow them to the configured cost', async (t) => {
  const provider = await usersHashedAt(LOW, ['alice', 'bob', 'carol']);
  for (const username of ['alice', 'bob', 'carol']) await provider.users.verifyPassword(username, 'wrong password');
  take();
  await provider.users.verifyPassword('nobody', 'any password');
  t.deepEqual(take(), [LOW]);
  // Signing in upgrades each hash (a check at LOW, then a hash at RAISED); the next checks are at RAISED.
  for (const username of ['alice', 'bob', 'carol']) t.truthy(await provider.users.verifyPassword(username, `${username} password`));
  for (const username of ['alice', 'bob', 'carol']) await provider.users.verifyPassword(username, 'wrong password');
  take();
  await provider.users.verifyPassword('nobody', 'any password');
  t.deepEqual(take(), [RAISED]);
});

test.serial('a user whose stored hash is malformed is checked like an unknown username', async (t) => {
  const storage = new MemoryStorage();
  const provider = await usersHashedAt(LOW, ['alice'], storage);
  await storage.insertUser({ id: 'broken', username: 'broken', passwordHash: 'not-a-hash', createdAt: new Date(), updatedAt: new Date() });
  await provider.users.verifyPassword('alice', 'wrong password');
  take();
  t.is(await provider.users.verifyPassword('broken', 'not-a-hash'), null);
  t.deepEqual(take(), [LOW]);
});
