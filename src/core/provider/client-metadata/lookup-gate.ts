import { busyRefusal, type ClientMetadataError } from './client-metadata-error.js';

/**
 * Lookups of one resolver in flight at once, at most. Node's `dns.lookup` (the default resolver)
 * runs getaddrinfo on libuv's threadpool, four threads by default, which password hashing (scrypt)
 * and file access share, and a lookup cannot be cancelled: a host whose name servers never answer
 * holds its thread for the system resolver's own time-outs, long after the fetch gave up. Two leave
 * the pool at least half free, whatever names are asked.
 */
export const MAX_LOOKUPS_IN_FLIGHT = 2;

/**
 * The lookups of one resolver in flight in this process. A slot is held until the lookup itself
 * settles, not until whoever awaits it stops waiting (the fetch's time-out); with none free, no
 * lookup starts.
 */
export class LookupGate {
  #inFlight = 0;

  /** Whether every slot is taken. */
  get full(): boolean {
    return this.#inFlight >= MAX_LOOKUPS_IN_FLIGHT;
  }

  /** `lookup` started in a slot, or null when none is free. */
  start<T>(lookup: () => Promise<T>): Promise<T> | null {
    if (this.full) return null;
    this.#inFlight += 1;
    let running: Promise<T>;
    try {
      running = Promise.resolve(lookup());
    } catch (error) {
      running = Promise.reject(error);
    }
    const release = () => {
      this.#inFlight -= 1;
    };
    running.then(release, release);
    return running;
  }
}

/** The refusal of a fetch while every lookup slot is taken: the busy answer, retried in a moment. */
export function lookupsBusy(url: URL): ClientMetadataError {
  return busyRefusal(url, `${MAX_LOOKUPS_IN_FLIGHT} host names are being looked up already`);
}

/** A resolver, as the gates know it: only its identity matters. */
type Resolver = (hostname: string) => unknown;

const gates = new WeakMap<Resolver, LookupGate>();

/**
 * The gate of `lookup`: one per resolver function in the process, so that every provider on the
 * default resolver shares one bound, as they share the threadpool.
 */
export function lookupGateOf(lookup: Resolver): LookupGate {
  let gate = gates.get(lookup);
  if (gate === undefined) {
    gate = new LookupGate();
    gates.set(lookup, gate);
  }
  return gate;
}
