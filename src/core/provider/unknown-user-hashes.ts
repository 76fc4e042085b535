import { unmatchableHash, type ScryptCost } from './password-hashing.js';

/**
 * What an unknown username's password is checked against, so that the check costs what a real
 * user's does and the answer's timing does not tell whether the username exists.
 *
 * Hashes keep the cost they were made with until their user signs in again, so after the
 * configured cost is raised most stored hashes are still at the old one: a dummy at the configured
 * cost would make unknown usernames the slow ones. So the dummy takes the cost most of the
 * recently checked real users have — each of the last {@link RECENT_USERS} distinct users counts
 * once, at the cost of the hash last checked for them — and the configured cost before any was
 * checked. Nobody chooses it: it is read only from hashes the store holds (bounded like every
 * stored hash, see password-hashing.ts), never from a request, and checking one account again and
 * again counts once, so moving it takes checks of most of the recent distinct users.
 *
 * While stored hashes differ in cost, no single dummy cost can match them all; as users sign in,
 * their hashes move to the configured cost and the dummy follows.
 */

/** Distinct users whose hash costs are remembered. */
const RECENT_USERS = 32;
/** Dummy hashes kept, one per cost; costs seen rarely are made again when needed (no hashing: cheap). */
const MAX_DUMMY_HASHES = 4;

const keyOf = (cost: ScryptCost) => `${cost.N}$${cost.r}$${cost.p}`;

/** One per user store. */
export class UnknownUserHashes {
  /** User id → the cost of the hash last checked for them, least recently checked first. */
  readonly #recent = new Map<string, ScryptCost>();
  /** Cost key → dummy hash, oldest first. */
  readonly #dummies = new Map<string, string>();

  constructor(private readonly configured: ScryptCost) {}

  /** Remembers that a real user's hash of this cost was checked. */
  observe(userId: string, cost: ScryptCost): void {
    this.#recent.delete(userId);
    this.#recent.set(userId, { N: cost.N, r: cost.r, p: cost.p });
    if (this.#recent.size > RECENT_USERS) this.#recent.delete(this.#recent.keys().next().value!);
  }

  /**
   * The cost an unknown username is checked at: the one most recent distinct users' hashes have;
   * between equally common costs the slower (an unknown username never answers sooner than the
   * slower of them); the configured cost when no user was checked yet.
   */
  cost(): ScryptCost {
    const counts = new Map<string, { cost: ScryptCost; users: number }>();
    for (const cost of this.#recent.values()) {
      const entry = counts.get(keyOf(cost)) ?? { cost, users: 0 };
      entry.users += 1;
      counts.set(keyOf(cost), entry);
    }
    let best: { cost: ScryptCost; users: number } | undefined;
    for (const entry of counts.values()) {
      if (best === undefined || entry.users > best.users || (entry.users === best.users && work(entry.cost) > work(best.cost))) {
        best = entry;
      }
    }
    return best?.cost ?? this.configured;
  }

  /** A hash at {@link UnknownUserHashes.cost} that no password matches. */
  hash(): string {
    const cost = this.cost();
    const key = keyOf(cost);
    let dummy = this.#dummies.get(key);
    if (dummy === undefined) {
      dummy = unmatchableHash(cost);
      this.#dummies.set(key, dummy);
      if (this.#dummies.size > MAX_DUMMY_HASHES) this.#dummies.delete(this.#dummies.keys().next().value!);
    }
    return dummy;
  }
}

/** The time one derivation takes, up to a constant: what "slower" compares. */
function work(cost: ScryptCost): number {
  return cost.N * cost.r * cost.p;
}
