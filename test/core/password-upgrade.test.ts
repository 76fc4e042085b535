/**
 * Hashes are upgraded at sign-in: a right password whose stored hash is below the configured cost
 * (`passwordHashCost`) is hashed again at that cost and stored, the one moment the password is
 * known. A failure to store it never fails the sign-in; it goes to the provider's `onError`.
 */
import test from 'ava';
import { OAuthProvider, type OAuthProviderOptions, type OAuthStorage } from '../../src/core/index.js';
import { costOf } from '../../src/core/provider/password-hashing.js';
import { MemoryStorage } from '../../src/testing/index.js';

const LOW = { N: 1024, r: 8, p: 1 };
const RAISED = { N: 2048, r: 8, p: 2 };

/** A user created when the cost was `cost`, and a provider on the same storage configured with `options`. */
async function userHashedAt(cost: typeof LOW, options: OAuthProviderOptions, storage: OAuthStorage = new MemoryStorage()) {
  const before = new OAuthProvider(storage, { passwordHashCost: cost });
  const user = await before.users.create({ username: 'alice', password: 'alice password' });
  const provider = new OAuthProvider(storage, options);
  const storedHash = async () => (await (storage as MemoryStorage).findUserById(user.id))!.passwordHash;
  return { user, provider, storedHash };
}

test('a right password whose hash is below the configured cost is rehashed at that cost on sign-in', async (t) => {
  const { user, provider, storedHash } = await userHashedAt(LOW, { passwordHashCost: RAISED });
  t.deepEqual(await provider.users.verifyPassword('alice', 'alice password'), { id: user.id, username: 'alice' });
  t.deepEqual(costOf(await storedHash()), RAISED);
  t.deepEqual(await provider.users.verifyPassword('alice', 'alice password'), { id: user.id, username: 'alice' });
  t.is(await provider.users.verifyPassword('alice', 'wrong password'), null);
});

test('any one of N, r and p below the configured cost is enough to rehash', async (t) => {
  for (const [stored, configured] of [
    [{ N: 1024, r: 8, p: 2 }, { N: 2048, r: 8, p: 1 }],
    [{ N: 2048, r: 4, p: 2 }, { N: 1024, r: 8, p: 1 }],
    [{ N: 2048, r: 8, p: 1 }, { N: 1024, r: 8, p: 2 }],
  ] as const) {
    const { provider, storedHash } = await userHashedAt(stored, { passwordHashCost: configured });
    await provider.users.verifyPassword('alice', 'alice password');
    t.deepEqual(costOf(await storedHash()), configured, JSON.stringify({ stored, configured }));
  }
});

test('a hash at or above the configured cost is kept as it is', async (t) => {
  for (const configured of [RAISED, LOW]) {
    const { provider, storedHash } = await userHashedAt(RAISED, { passwordHashCost: configured });
    const hash = await storedHash();
    await provider.users.verifyPassword('alice', 'alice password');
    t.is(await storedHash(), hash, JSON.stringify(configured));
  }
});

test('a wrong password never rewrites the hash', async (t) => {
  const { provider, storedHash } = await userHashedAt(LOW, { passwordHashCost: RAISED });
  const hash = await storedHash();
  t.is(await provider.users.verifyPassword('alice', 'wrong password'), null);
  t.is(await storedHash(), hash);
});

test('the upgrade records when the row changed', async (t) => {
  const later = new Date('2031-05-06T07:08:09.010Z');
  const { user, provider } = await userHashedAt(LOW, { passwordHashCost: RAISED, now: () => later });
  await provider.users.verifyPassword('alice', 'alice password');
  const stored = await provider.users.get(user.id);
  t.is(stored?.updatedAt.toISOString(), later.toISOString());
  t.is(stored?.createdAt.toISOString(), user.createdAt.toISOString());
});

test('a failed upgrade does not fail the sign-in: it is reported to onError, and the hash stays as it was', async (t) => {
  const memory = new MemoryStorage();
  const failing = new Proxy(memory, {
    get(target, property, receiver) {
      if (property === 'updateUserPassword') return () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:5432'));
      const member: unknown = Reflect.get(target, property, receiver);
      return typeof member === 'function' ? member.bind(target) : member;
    },
  });
  const reported: unknown[] = [];
  const { user, provider, storedHash } = await userHashedAt(LOW, { passwordHashCost: RAISED, onError: (error) => reported.push(error) }, failing);
  const hash = await storedHash();
  t.deepEqual(await provider.users.verifyPassword('alice', 'alice password'), { id: user.id, username: 'alice' });
  t.is(await storedHash(), hash);
  t.is(reported.length, 1);
  const message = (reported[0] as Error).message;
  t.regex(message, new RegExp(`password hash of user "${user.id}" was not upgraded to the configured cost: the OAuth storage is unavailable`));
  t.false(message.includes('alice password'));
});

test('without onError, a failed upgrade is a process warning', async (t) => {
  const memory = new MemoryStorage();
  const failing = new Proxy(memory, {
    get(target, property, receiver) {
      if (property === 'updateUserPassword') return () => Promise.reject(new Error('disk full'));
      const member: unknown = Reflect.get(target, property, receiver);
      return typeof member === 'function' ? member.bind(target) : member;
    },
  });
  const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
  const { provider } = await userHashedAt(LOW, { passwordHashCost: RAISED }, failing);
  t.truthy(await provider.users.verifyPassword('alice', 'alice password'));
  const warning = await warned;
  t.regex(warning.message, /was not upgraded to the configured cost/);
  t.is((warning as Error & { code?: string }).code, 'OAUTH2KIT_UNANSWERED_FAILURE');
});

test('an upgrade never overwrites a password set while the old one was being checked', async (t) => {
  const memory = new MemoryStorage();
  const racing = new Proxy(memory, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function') return member;
      if (property !== 'updateUserPassword') return member.bind(target);
      // An administrator's setPassword lands between the check and the upgrade's write.
      return async (id: string, hash: string, at: Date, replacing?: string) => {
        if (replacing !== undefined) await target.updateUserPassword(id, 'scrypt$2048$8$2$set-by-the-administrator', at);
        return target.updateUserPassword(id, hash, at, replacing);
      };
    },
  });
  const { user, provider, storedHash } = await userHashedAt(LOW, { passwordHashCost: RAISED }, racing);
  t.deepEqual(await provider.users.verifyPassword('alice', 'alice password'), { id: user.id, username: 'alice' });
  t.is(await storedHash(), 'scrypt$2048$8$2$set-by-the-administrator');
});

test('an onError that is not a function is refused at construction', (t) => {
  t.throws(() => new OAuthProvider(new MemoryStorage(), { onError: 'log' as never }), { message: /onError/ });
});
