/**
 * A bounded in-process map whose entries expire a fixed time after the storage read that produced
 * them. The building block of the opt-in read caches (docs/scaling.md):
 *
 * - Bounded: at most `maxEntries`; inserting beyond evicts the oldest entry (entries die young
 *   anyway, so insertion order is as good as recency and costs nothing on a hit).
 * - Expiring: an entry is served only while `now - readStartedAt < maxAgeMs`, judged on the
 *   caller's clock. An entry stamped in the future (the clock went back) is not served either, so a
 *   clock step can shorten the bound but never stretch it.
 * - Race-free invalidation: a read that started before an invalidation must not put its (possibly
 *   stale) result back afterwards. Every invalidation advances a generation; a fill carries the
 *   generation seen before its storage read and is dropped if that has moved on.
 * - Coalesced misses ({@link ExpiringCache.through}): callers that miss while a read of the same key
 *   is in flight share it, as long as it could have been cached — started less than `maxAgeMs` ago
 *   and not invalidated since — so a burst of requests with one new token costs one read.
 * - Refreshed ahead ({@link ExpiringCache.through}): a hit on an entry past half its age starts one
 *   background read that replaces it, so that a key in steady use never expires under its callers
 *   and none of them waits for storage (a wait that otherwise lands on one request per key per
 *   `maxAgeMs`, and makes the latency tail). What is served stays within the bound: every entry is
 *   still judged by when its own read started. A refresh that finds the value gone or no longer
 *   kept drops the entry at once. A refresh may be given its own loader (one that gathers reads
 *   nobody waits on); it is never shared with callers who must wait, and it lands only while the
 *   entry it refreshes is still the one held, which no invalidation or drop of that key leaves
 *   true. A refresh that reads the same values restamps the entry in hand.
 */

import { sameRecord } from './same-record.js';

/** Proof of when a storage read started, taken before the read with {@link ExpiringCache.ticket}. */
export interface FillTicket {
  readonly generation: number;
  readonly startedAt: number;
}

interface Entry<V> {
  readonly value: V;
  storedAt: number;
  secondary: string | undefined;
}

interface PendingRead<V> {
  ticket: FillTicket;
  read: Promise<V | null>;
  /**
   * The entry a read ahead of need refreshes. Such a read may gather with others before it is sent,
   * so a caller who must wait for the key does not wait on it but reads on its own.
   */
  refreshes: Entry<V> | undefined;
}

export class ExpiringCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #pending = new Map<string, PendingRead<V>>();
  /** Secondary key → primary key, for removals by another identifier (a token's row id). */
  readonly #bySecondary = new Map<string, string>();
  #generation = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxAgeMs: number,
    private readonly secondaryKeyOf?: (value: V) => string,
  ) {}

  /** The live entry for `key`, or undefined (expired entries are dropped on the way). */
  get(key: string, nowMs: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const age = nowMs - entry.storedAt;
    if (age >= 0 && age < this.maxAgeMs) return entry.value;
    this.#remove(key, entry);
    return undefined;
  }

  /**
   * The live entry for `key` without waiting, or undefined: {@link through} for a caller that must
   * not wait. An entry past half its age is served and refreshed behind, with `refresh`, exactly as
   * {@link through} would; an expired or missing one is left to {@link through}.
   */
  peekRefreshing(key: string, nowMs: number, refresh: () => Promise<V | null>, keep: (value: V) => boolean): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const age = nowMs - entry.storedAt;
    if (age < 0 || age >= this.maxAgeMs) return undefined;
    if (age * 2 >= this.maxAgeMs && !this.#pending.has(key)) {
      // The refresh's failure is nobody's to report: the entry simply ages out as it would have.
      // Its ticket is taken now, before a refresh that gathers with others is sent: the entry it
      // stores is judged as if read now, never younger than it is.
      this.#read(key, nowMs, refresh, keep, entry).catch(() => undefined);
    }
    return entry.value;
  }

  /**
   * The value for `key`: the live entry (past half its age, also refreshed in the background, with
   * `refresh()` when given, else `load()`); else the result of a read of it already in flight that
   * is still fit to be cached; else the result of `load()`, remembered when `keep` accepts it.
   * Callers receive the shared value: copy whatever they hand on.
   */
  through(
    key: string,
    nowMs: number,
    load: () => Promise<V | null>,
    keep: (value: V) => boolean,
    refresh: () => Promise<V | null> = load,
  ): Promise<V | null> {
    const live = this.peekRefreshing(key, nowMs, refresh, keep);
    if (live !== undefined) return Promise.resolve(live);
    // Expired, or stamped in the future: dropped on the way.
    const stale = this.#entries.get(key);
    if (stale !== undefined) this.#remove(key, stale);
    const pending = this.#pending.get(key);
    if (pending !== undefined && pending.refreshes === undefined && this.#isCurrent(pending.ticket, nowMs)) return pending.read;
    return this.#read(key, nowMs, load, keep);
  }

  /**
   * Reads `key` from storage, registered as the read in flight for it, and caches what `keep`
   * accepts: as a fill ({@link set}), or as the refresh of the entry `refreshes`.
   */
  #read(key: string, nowMs: number, load: () => Promise<V | null>, keep: (value: V) => boolean, refreshes?: Entry<V>): Promise<V | null> {
    const ticket = this.ticket(nowMs);
    const read = load().then((value) => {
      if (value === null || !keep(value)) this.#dropOlderThan(key, ticket);
      else if (refreshes === undefined) this.set(key, value, ticket);
      else this.#refill(key, value, ticket, refreshes);
      return value;
    });
    const entry = { ticket, read, refreshes };
    this.#pending.set(key, entry);
    const settled = () => {
      if (this.#pending.get(key) === entry) this.#pending.delete(key);
    };
    read.then(settled, settled);
    return read;
  }

  /** Taken just before reading storage for a value that may then be {@link set}. */
  ticket(nowMs: number): FillTicket {
    return { generation: this.#generation, startedAt: nowMs };
  }

  /**
   * Remembers `value`, stamped with the time its read started. Ignored when an invalidation
   * happened since the ticket was taken: the value may predate it.
   */
  set(key: string, value: V, ticket: FillTicket): void {
    if (ticket.generation !== this.#generation) return;
    this.#store(key, this.#entries.get(key), value, ticket);
  }

  /** Stores `value` for `key` in place of `previous`, the entry held if any: that entry restamped when the value is unchanged. */
  #store(key: string, previous: Entry<V> | undefined, value: V, ticket: FillTicket): void {
    if (previous !== undefined && sameRecord(previous.value, value)) {
      this.#restamp(key, previous, ticket);
      return;
    }
    if (previous !== undefined) this.#remove(key, previous);
    this.#insert(key, value, ticket.startedAt);
  }

  /** A new entry for `key` (which holds none), the oldest entries evicted to make room. */
  #insert(key: string, value: V, storedAt: number): void {
    while (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.entries().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest[0], oldest[1]);
    }
    const secondary = this.secondaryKeyOf?.(value);
    this.#entries.set(key, { value, storedAt, secondary });
    if (secondary !== undefined) this.#bySecondary.set(secondary, key);
  }

  /**
   * Stores what the refresh of `refreshed` read, if that entry is still the one held for `key`. An
   * entry invalidated, dropped or evicted since is gone for good (a later fill makes a new one), so
   * a refresh sent before a change can never put back what the change took out; unlike a fill, it
   * need not be voided by invalidations of other keys, however many writes come in the meantime.
   */
  #refill(key: string, value: V, ticket: FillTicket, refreshed: Entry<V>): void {
    if (this.#entries.get(key) === refreshed) this.#store(key, refreshed, value, ticket);
  }

  /**
   * Marks `entry`, read again unchanged, as of the read of `ticket` (never older than it was), and
   * moves it behind the others for eviction. The entry in hand is kept and the new copy dies young:
   * replacing long-lived entries with new objects, a few thousand a second with many tokens in use,
   * fed the old generation and its collections.
   */
  #restamp(key: string, entry: Entry<V>, ticket: FillTicket): void {
    entry.storedAt = Math.max(entry.storedAt, ticket.startedAt);
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  /** Forgets `key` and voids fills in flight. */
  delete(key: string): void {
    this.#generation += 1;
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#remove(key, entry);
  }

  /** Forgets the entry whose secondary key is `secondary`, and voids fills in flight. */
  deleteBySecondary(secondary: string): void {
    this.#generation += 1;
    const key = this.#bySecondary.get(secondary);
    if (key !== undefined) this.delete(key);
  }

  /** Forgets every entry `matches` accepts, and voids fills in flight. */
  deleteWhere(matches: (value: V) => boolean): void {
    this.#generation += 1;
    for (const [key, entry] of this.#entries) {
      if (matches(entry.value)) this.#remove(key, entry);
    }
  }

  /** Forgets everything, and voids fills in flight. */
  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#bySecondary.clear();
  }

  /** Forgets `key` when its entry predates the read of `ticket`, which found it gone or not to keep. */
  #dropOlderThan(key: string, ticket: FillTicket): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.storedAt <= ticket.startedAt) this.#remove(key, entry);
  }

  /** Whether a read started with `ticket` could still fill the cache, and serve at `nowMs`. */
  #isCurrent(ticket: FillTicket, nowMs: number): boolean {
    const age = nowMs - ticket.startedAt;
    return ticket.generation === this.#generation && age >= 0 && age < this.maxAgeMs;
  }

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.#entries.size;
  }

  #remove(key: string, entry: Entry<V>): void {
    this.#entries.delete(key);
    if (entry.secondary !== undefined && this.#bySecondary.get(entry.secondary) === key) {
      this.#bySecondary.delete(entry.secondary);
    }
  }
}
