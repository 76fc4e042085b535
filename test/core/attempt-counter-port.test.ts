/**
 * The optional attempt-counter port, as the provider takes it: all four methods or none, and
 * expired counters purged with the expired tokens and codes.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { OAuthProvider, type OAuthStorage } from '../../src/core/index.js';
import { ATTEMPT_COUNTER_METHODS } from '../../src/core/storage/attempt-counter-port.js';
import { MemoryStorage } from '../../src/testing/index.js';

const CHEAP_HASHING = { passwordHashCost: { N: 1024, r: 8, p: 1 } };

/** A MemoryStorage that lacks the methods `hidden`. */
function storageWithout(memory: MemoryStorage, hidden: readonly string[]): OAuthStorage {
  return new Proxy(memory, {
    get(target, property, receiver) {
      if (typeof property === 'string' && hidden.includes(property)) return undefined;
      const member: unknown = Reflect.get(target, property, receiver);
      // Called on the storage itself: its state is in private fields.
      return typeof member === 'function' ? member.bind(target) : member;
    },
  }) as OAuthStorage;
}

const digest = () => randomBytes(32).toString('hex');
const at = (iso: string) => new Date(iso);

test('a storage with some but not all attempt-counter methods is refused, with the missing ones named', (t) => {
  const storage = storageWithout(new MemoryStorage(), ['deleteAttemptCounter', 'purgeAttemptCounters']);
  const error = t.throws(() => new OAuthProvider(storage, CHEAP_HASHING), { instanceOf: TypeError });
  t.regex(error!.message, /deleteAttemptCounter, purgeAttemptCounters/);
  t.notRegex(error!.message, /addToAttemptCounter|findAttemptCounter/);
});

test('a storage without any attempt-counter method is accepted', (t) => {
  t.notThrows(() => new OAuthProvider(storageWithout(new MemoryStorage(), ATTEMPT_COUNTER_METHODS), CHEAP_HASHING));
});

test('purgeExpired deletes the expired attempt counters batch by batch, counts them, and keeps live ones', async (t) => {
  const memory = new MemoryStorage();
  const provider = new OAuthProvider(memory, CHEAP_HASHING);
  const now = at('2030-01-01T00:00:00.000Z');
  const longAgo = at('2000-01-01T00:00:00.000Z');
  for (let i = 0; i < 5; i++) await memory.addToAttemptCounter(digest(), 1, new Date(Date.UTC(2029, 0, 1 + i)), false, longAgo);
  const live = digest();
  await memory.addToAttemptCounter(live, 3, at('2030-01-01T00:01:00.000Z'), false, longAgo);

  t.deepEqual(await provider.purgeExpired({ batchSize: 2, now }), { tokens: 0, codes: 0, attemptCounters: 5, signingKeys: 0, sessions: 0 });
  t.is((await memory.findAttemptCounter(live, now))?.points, 3);
  t.deepEqual(await provider.purgeExpired({ batchSize: 2, now }), { tokens: 0, codes: 0, attemptCounters: 0, signingKeys: 0, sessions: 0 });
});

test('purgeExpired on a storage without attempt counters reports none purged', async (t) => {
  const provider = new OAuthProvider(storageWithout(new MemoryStorage(), ATTEMPT_COUNTER_METHODS), CHEAP_HASHING);
  t.deepEqual(await provider.purgeExpired(), { tokens: 0, codes: 0, attemptCounters: 0, signingKeys: 0, sessions: 0 });
});
