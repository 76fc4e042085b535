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
 */

/** Proof of when a storage read started, taken before the read with {@link ExpiringCache.ticket}. */
export interface FillTicket {
  readonly generation: number;
  readonly startedAt: number;
}

interface Entry<V> {
  value: V;
  storedAt: number;
  secondary: string | undefined;
}

export class ExpiringCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
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
    const previous = this.#entries.get(key);
    if (previous !== undefined) this.#remove(key, previous);
    while (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.entries().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest[0], oldest[1]);
    }
    const secondary = this.secondaryKeyOf?.(value);
    this.#entries.set(key, { value, storedAt: ticket.startedAt, secondary });
    if (secondary !== undefined) this.#bySecondary.set(secondary, key);
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
