/**
 * Keys that reach the storage port are keys a row could hold: the core checks them once, for every
 * storage (src/core/storage/key-checks.ts), and answers "not found" itself. A storage therefore
 * never sees a NUL character (PostgreSQL refuses it with an error) or a malformed digest.
 */
import test from 'ava';
import { OAuthProvider, type OAuthStorage } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

/** A memory storage that records every argument any of its methods receives. */
function recordingStorage(): { storage: OAuthStorage; seen: unknown[][] } {
  const memory = new MemoryStorage();
  const seen: unknown[][] = [];
  const storage = new Proxy(memory, {
    get(target, property) {
      const member: unknown = Reflect.get(target, property);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        seen.push([property, ...args]);
        return member.apply(target, args);
      };
    },
  });
  return { storage, seen };
}

const NUL = 'a\u0000b';

test('a client id with a NUL character is answered "not found" without a storage call', async (t) => {
  const { storage, seen } = recordingStorage();
  const provider = new OAuthProvider(storage);
  t.is(await provider.clients.get(NUL), null);
  t.is(await provider.clients.delete(NUL), false);
  t.is(await provider.scopes.delete(NUL), false);
  t.deepEqual(seen, []);
});

test('a username or user id with a NUL character is answered "not found" without a storage call', async (t) => {
  const { storage, seen } = recordingStorage();
  const provider = new OAuthProvider(storage, { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  t.is(await provider.users.verifyPassword(NUL, 'password'), null);
  t.is(await provider.users.get(NUL), null);
  t.is(await provider.users.delete(NUL), false);
  t.is(await provider.users.setPassword(NUL, 'a new password'), false);
  t.false(seen.some((call) => call.slice(1).some((argument) => JSON.stringify(argument).includes('\\u0000'))));
});

test('every digest a storage receives is 64 hex digits, whatever token a request presents', async (t) => {
  const { storage, seen } = recordingStorage();
  const provider = new OAuthProvider(storage);
  for (const token of ['', NUL, "' OR '1'='1", 'x'.repeat(100_000), 'A'.repeat(43)]) {
    t.is(await provider.clientModel().getAccessToken(token), null);
  }
  const digests = seen.filter(([method]) => method === 'findAccessTokens').flatMap(([, hashes]) => hashes as string[]);
  t.true(digests.length > 0);
  t.true(digests.every((digest) => /^[0-9a-f]{64}$/.test(digest)));
});

test('a storage that lacks required methods is refused when the provider is built, naming every one', (t) => {
  const { findAccessTokens: _lookups, insertTokens: _inserts, ...partial } = Object.fromEntries(
    Object.getOwnPropertyNames(MemoryStorage.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => [name, () => undefined]),
  );
  const error = t.throws(() => new OAuthProvider(partial as unknown as OAuthStorage), { instanceOf: TypeError });
  t.regex(error.message, /findAccessTokens, insertTokens/);
});

test('a storage with part of the user store is refused; one with none of it is accepted', (t) => {
  const methods = Object.fromEntries(
    Object.getOwnPropertyNames(MemoryStorage.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => [name, () => undefined]),
  );
  const { insertUser: _insert, findUserByUsername: _byName, findUserById: _byId, updateUserPassword: _update, deleteUser: _delete, listUsers: _list, ...withoutUsers } = methods;
  t.notThrows(() => new OAuthProvider(withoutUsers as unknown as OAuthStorage));
  const { deleteUser: _onlyDelete, ...partial } = methods;
  t.throws(() => new OAuthProvider(partial as unknown as OAuthStorage), { message: /deleteUser/ });
});

test('without a user store, the default user store says what is missing instead of failing obscurely', async (t) => {
  const { insertUser: _i, findUserByUsername: _n, findUserById: _d, updateUserPassword: _u, deleteUser: _x, listUsers: _l, ...withoutUsers } = (() => {
    const memory = new MemoryStorage();
    return Object.fromEntries(
      Object.getOwnPropertyNames(MemoryStorage.prototype)
        .filter((name) => name !== 'constructor')
        .map((name) => [name, (memory as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!.bind(memory)]),
    );
  })();
  const provider = new OAuthProvider(withoutUsers as unknown as OAuthStorage);
  await t.throwsAsync(provider.users.create({ username: 'alice', password: 'correct horse battery' }), { message: /no user store/ });
});
