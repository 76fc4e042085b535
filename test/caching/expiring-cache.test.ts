/** The bounded, expiring map under both read caches. */
import test from 'ava';
import { ExpiringCache } from '../../src/core/runtime/expiring-cache.js';

test('an entry is served until maxAgeMs after its read started, and not from then on', (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v', cache.ticket(5000));
  t.is(cache.get('k', 5999), 'v');
  t.is(cache.get('k', 6000), undefined);
});

test('an entry stamped in the future (the clock went back) is not served', (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v', cache.ticket(5000));
  t.is(cache.get('k', 4999), undefined);
});

test('a read that started before an invalidation cannot put its result back', (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  const ticket = cache.ticket(0);
  cache.delete('k');
  cache.set('k', 'stale', ticket);
  t.is(cache.get('k', 1), undefined);
});

test('a read that started after an invalidation is kept', (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.clear();
  cache.set('k', 'fresh', cache.ticket(0));
  t.is(cache.get('k', 1), 'fresh');
});

test('beyond maxEntries the oldest entry goes first', (t) => {
  const cache = new ExpiringCache<string>(2, 1000);
  cache.set('a', '1', cache.ticket(0));
  cache.set('b', '2', cache.ticket(0));
  cache.set('c', '3', cache.ticket(0));
  t.is(cache.size, 2);
  t.is(cache.get('a', 1), undefined);
  t.is(cache.get('b', 1), '2');
  t.is(cache.get('c', 1), '3');
});

test('an entry can be removed by its secondary key', (t) => {
  const cache = new ExpiringCache<{ id: string }>(10, 1000, (value) => value.id);
  cache.set('digest', { id: 'row-1' }, cache.ticket(0));
  cache.deleteBySecondary('row-1');
  t.is(cache.get('digest', 1), undefined);
});

test('removal by predicate leaves the entries it does not match', (t) => {
  const cache = new ExpiringCache<{ user: string }>(10, 1000);
  cache.set('a', { user: 'alice' }, cache.ticket(0));
  cache.set('b', { user: 'bob' }, cache.ticket(0));
  cache.deleteWhere((value) => value.user === 'alice');
  t.is(cache.get('a', 1), undefined);
  t.deepEqual(cache.get('b', 1), { user: 'bob' });
});

test('callers that miss while a read of the same key is in flight share that read', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  let reads = 0;
  let finish: (value: string) => void = () => {};
  const load = () => {
    reads += 1;
    return new Promise<string>((resolve) => (finish = resolve));
  };
  const first = cache.through('k', 0, load, () => true);
  const second = cache.through('k', 10, load, () => true);
  finish('v');
  t.deepEqual(await Promise.all([first, second]), ['v', 'v']);
  t.is(reads, 1);
});

test('a read in flight is not shared after an invalidation', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  let reads = 0;
  const finishers: Array<(value: string) => void> = [];
  const load = () => {
    reads += 1;
    return new Promise<string>((resolve) => finishers.push(resolve));
  };
  const before = cache.through('k', 0, load, () => true);
  cache.delete('k');
  const after = cache.through('k', 10, load, () => true);
  finishers[0]!('stale');
  finishers[1]!('fresh');
  t.is(await before, 'stale');
  t.is(await after, 'fresh');
  t.is(reads, 2);
  t.is(cache.get('k', 20), 'fresh');
});

test('a read in flight is not shared once it is older than the bound', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  let reads = 0;
  const load = () => {
    reads += 1;
    return new Promise<string>(() => {});
  };
  void cache.through('k', 0, load, () => true);
  void cache.through('k', 1000, load, () => true);
  t.is(reads, 2);
});

test('a hit past half the bound is served at once and refreshes the entry in the background', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v1', cache.ticket(0));
  let loads = 0;
  const load = async () => `v${++loads + 1}`;
  t.is(await cache.through('k', 400, load, () => true), 'v1');
  t.is(loads, 0, 'young entries are not refreshed');
  t.is(await cache.through('k', 600, load, () => true), 'v1', 'served from the cache, not the refresh');
  t.is(loads, 1);
  await new Promise((resolve) => setImmediate(resolve));
  // Stamped with the refresh's start (600): served until 1600, where the old entry ended at 1000.
  t.is(cache.get('k', 1500), 'v2');
  t.is(cache.get('k', 1600), undefined);
});

test('one refresh at a time per key', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v1', cache.ticket(0));
  let loads = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const load = async () => {
    loads += 1;
    await gate;
    return 'v2';
  };
  for (const now of [600, 700, 800]) t.is(await cache.through('k', now, load, () => true), 'v1');
  t.is(loads, 1);
  release();
});

test('a refresh that finds the value no longer kept drops the entry at once', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'active', cache.ticket(0));
  t.is(await cache.through('k', 600, async () => 'revoked', (value) => value === 'active'), 'active');
  await new Promise((resolve) => setImmediate(resolve));
  t.is(cache.get('k', 601), undefined);
});

test('a failed refresh leaves the entry to age out as it would have', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v1', cache.ticket(0));
  t.is(await cache.through('k', 600, () => Promise.reject(new Error('database down')), () => true), 'v1');
  await new Promise((resolve) => setImmediate(resolve));
  t.is(cache.get('k', 999), 'v1');
  t.is(cache.get('k', 1000), undefined);
});

test('a refresh ahead reads with its own loader when one is given, a miss with load', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  const calls: string[] = [];
  const load = async () => (calls.push('load'), 'v');
  const refresh = async () => (calls.push('refresh'), 'v');
  await cache.through('k', 0, load, () => true, refresh);
  await cache.through('k', 600, load, () => true, refresh);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(calls, ['load', 'refresh']);
});

test('a value read again unchanged keeps its entry, restamped with the new read, and behind every younger entry for eviction', (t) => {
  const cache = new ExpiringCache<{ id: string; at: Date; scopes: string[] }>(2, 1000);
  const first = { id: 'a', at: new Date(0), scopes: ['read'] };
  cache.set('a', first, cache.ticket(0));
  cache.set('b', { id: 'b', at: new Date(0), scopes: [] }, cache.ticket(100));
  cache.set('a', { id: 'a', at: new Date(0), scopes: ['read'] }, cache.ticket(600));
  cache.set('c', { id: 'c', at: new Date(0), scopes: [] }, cache.ticket(700));
  t.is(cache.get('b', 701), undefined, 'the entry not read again is evicted first');
  t.is(cache.get('a', 1500), first, 'the entry in hand, served until 1 000 ms after the new read');
  t.is(cache.get('a', 1600), undefined);
});

test('a value read again changed replaces its entry', (t) => {
  const cache = new ExpiringCache<{ id: string; at: Date | null }>(10, 1000);
  cache.set('k', { id: 'a', at: null }, cache.ticket(0));
  const revoked = { id: 'a', at: new Date(500) };
  cache.set('k', revoked, cache.ticket(600));
  t.is(cache.get('k', 700), revoked);
});

/** A read whose answer the test gives when it likes. */
function heldRead<V>(): { load: () => Promise<V | null>; answer(value: V | null): void; calls: number } {
  const held = {
    calls: 0,
    answers: [] as Array<(value: V | null) => void>,
    load: () => {
      held.calls += 1;
      return new Promise<V | null>((resolve) => held.answers.push(resolve));
    },
    answer: (value: V | null) => held.answers.shift()?.(value),
  };
  return held;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('a caller who misses while a refresh of the key is in flight reads on its own, not waiting on the refresh', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v', cache.ticket(0));
  const refresh = heldRead<string>();
  const load = async () => 'fresh';
  t.is(await cache.through('k', 600, load, () => true, refresh.load), 'v');
  t.is(refresh.calls, 1, 'refresh in flight, unanswered');
  t.is(await cache.through('k', 1100, load, () => true, refresh.load), 'fresh', 'the expired entry is read again at once');
});

test('a refresh lands though other keys were invalidated while it was in flight', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v', cache.ticket(0));
  const refresh = heldRead<string>();
  await cache.through('k', 600, async () => 'x', () => true, refresh.load);
  cache.delete('other');
  refresh.answer('v');
  await turn();
  t.is(cache.get('k', 1500), 'v', 'served for a whole bound from the refresh');
});

test('a refresh cannot put back an entry invalidated while it was in flight', async (t) => {
  const cache = new ExpiringCache<{ id: string }>(10, 1000, (value) => value.id);
  cache.set('k', { id: 'row' }, cache.ticket(0));
  const refresh = heldRead<{ id: string }>();
  await cache.through('k', 600, async () => null, () => true, refresh.load);
  cache.deleteBySecondary('row');
  refresh.answer({ id: 'row' });
  await turn();
  t.is(cache.get('k', 700), undefined);
});

test('a refresh cannot put back an entry that a later read found gone', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v', cache.ticket(0));
  const refresh = heldRead<string>();
  await cache.through('k', 600, async () => 'x', () => true, refresh.load);
  // Past the bound, a caller reads on its own and finds the value gone (revoked elsewhere).
  t.is(await cache.through('k', 1100, async () => null, () => true), null);
  refresh.answer('v');
  await turn();
  t.is(cache.get('k', 1200), undefined);
});

test('a refresh cannot replace an entry filled anew after its own was invalidated', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'old', cache.ticket(0));
  const refresh = heldRead<string>();
  await cache.through('k', 600, async () => 'x', () => true, refresh.load);
  cache.delete('k');
  cache.set('k', 'new', cache.ticket(650));
  refresh.answer('stale');
  await turn();
  t.is(cache.get('k', 700), 'new');
});

test('peekRefreshing serves a live entry at once, and one past half its age also starts its refresh', async (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v', cache.ticket(0));
  const refresh = heldRead<string>();
  t.is(cache.peekRefreshing('k', 400, refresh.load, () => true), 'v');
  t.is(refresh.calls, 0, 'first half: no refresh');
  t.is(cache.peekRefreshing('k', 600, refresh.load, () => true), 'v');
  t.is(cache.peekRefreshing('k', 700, refresh.load, () => true), 'v');
  t.is(refresh.calls, 1, 'one refresh at a time');
  refresh.answer('v');
  await turn();
  t.is(cache.peekRefreshing('k', 1500, refresh.load, () => true), 'v', 'served a whole bound from the refresh');
});

test('peekRefreshing leaves an expired or missing entry to the caller who can wait', (t) => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set('k', 'v', cache.ticket(0));
  const refresh = heldRead<string>();
  t.is(cache.peekRefreshing('k', 1000, refresh.load, () => true), undefined);
  t.is(cache.peekRefreshing('other', 10, refresh.load, () => true), undefined);
  t.is(refresh.calls, 0);
});
