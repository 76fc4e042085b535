import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { attemptLimiter, countForSource } from '../../runtime/attempt-throttle.js';
import type { OAuthAttemptCounterStorage } from '../../storage/attempt-counter-port.js';
import { busyRefusal, ClientMetadataError } from './client-metadata-error.js';
import { lookupsBusy, type LookupGate } from './lookup-gate.js';
import type { ClientMetadataSettings } from './metadata-document-options.js';

/**
 * The key every fetch of no known source is counted under (no address is spelt so): an
 * application that calls the endpoints without a request's source address still has a bound, shared by
 * all its requests, instead of none.
 */
const UNKNOWN_SOURCE = 'unknown source';

/**
 * Which document fetches may go out. A fetch is the server making a request on behalf of whoever
 * named the URL (draft-ietf-oauth-client-id-metadata-document-01 §6.5) and, for a new URL, a stored
 * client (the consumption §6.6 guards against): so each source address may cause `throttle`
 * fetches per window, counted in the throttle's store where every process sees them, and past it is
 * refused (`client_metadata_throttled`) while every other source is not; and at most
 * `maxConcurrentFetches` are in flight in this process, beyond which a fetch is refused at once
 * (`client_metadata_busy`) rather than queued behind slow servers — as it is while the resolver's
 * lookups are all in flight (lookup-gate.ts), before it is counted. Only fetches come here: a
 * document served from the cache costs nothing of either.
 */
export class FetchAdmission {
  readonly #limiter: RateLimiterAbstract | null;
  readonly #maxInFlight: number;
  readonly #lookups: LookupGate;
  #inFlight = 0;

  constructor(settings: ClientMetadataSettings, counters: OAuthAttemptCounterStorage | null) {
    const { throttle } = settings;
    this.#limiter =
      throttle === false
        ? null
        : attemptLimiter(settings.store, counters, {
            keyPrefix: 'oauth2kit:source-metadata-fetch',
            points: throttle.maxFetches,
            duration: throttle.windowSeconds,
          });
    this.#maxInFlight = settings.maxConcurrentFetches;
    this.#lookups = settings.lookups;
  }

  /**
   * Runs `fetch` when `source` (a key of runtime/attempt-source.ts, null when unknown) and the
   * process have room for it; otherwise throws {@link ClientMetadataError}.
   */
  async run<T>(url: URL, source: string | null, fetch: () => Promise<T>): Promise<T> {
    // Refused before the counter is read: a flood at the cap costs no storage call.
    this.#assertRoom(url);
    await this.#count(url, source);
    this.#assertRoom(url);
    this.#inFlight += 1;
    try {
      return await fetch();
    } finally {
      this.#inFlight -= 1;
    }
  }

  #assertRoom(url: URL): void {
    if (this.#inFlight >= this.#maxInFlight) throw busyRefusal(url, `${this.#maxInFlight} client metadata documents are being fetched already`);
    // Checked again when the lookup starts (host-vetting.ts); here, so that a refusal is not counted.
    if (this.#lookups.full) throw lookupsBusy(url);
  }

  /** Counts one fetch for `source` (or for all unknown ones together); throws when it is past its limit. */
  async #count(url: URL, source: string | null): Promise<void> {
    if (this.#limiter === null) return;
    const seconds = await countForSource(this.#limiter, source, UNKNOWN_SOURCE);
    if (seconds === 0) return;
    throw new ClientMetadataError(
      'client_metadata_throttled',
      `${url.href} was not fetched: too many client metadata documents were fetched for this address lately; retry in ${seconds} s`,
      { retryAfterSeconds: seconds },
    );
  }
}
