import CachePolicy from 'http-cache-semantics';
import type { IncomingHttpHeaders } from 'node:http';
import { DocumentCache } from './document-cache.js';
import { fetchDocument } from './document-fetch.js';
import type { FetchAdmission } from './fetch-admission.js';
import { validateDocument, type ClientMetadataDocument } from './document-validation.js';
import type { ClientMetadataSettings } from './metadata-document-options.js';

/** A valid document as cached, and whether the client's stored rows were brought in line with it. */
export interface SourcedDocument {
  document: ClientMetadataDocument;
  /** Set once the client and its registration were written from this document (by this process). */
  synced: boolean;
}

/**
 * How long a fetched document is kept at least, unless its headers forbid storing it (`no-store`):
 * one sign-in reads the client's document at every step (the page, the form's post, the approval,
 * the code exchange), and a document whose headers give it no freshness would be fetched at each,
 * four fetches or more per sign-in, every one counted against the user's source (`throttle`).
 * Draft §4.4 lets the server set its own lower bound; a minute covers a sign-in and still shows a
 * changed document soon. Never beyond `maxCacheSeconds` (0 keeps nothing).
 */
const MIN_CACHE_MS = 60_000;

/**
 * Client metadata documents by client_id: from the cache while their caching headers allow
 * (RFC 9111), at least {@link MIN_CACHE_MS} unless they say `no-store`, at most `maxCacheSeconds`
 * (draft §4.4), else fetched — when the admission lets the fetch go out — and validated. Only
 * valid documents are cached (§4.4: "MUST NOT cache documents which are invalid or malformed").
 */
export class DocumentSource {
  readonly #cache: DocumentCache<SourcedDocument>;

  constructor(
    private readonly settings: ClientMetadataSettings,
    private readonly admission: FetchAdmission,
    now: () => number,
  ) {
    this.#cache = new DocumentCache(settings.maxCacheEntries, now);
  }

  /**
   * The document `url` (the client_id, parsed) names; throws `ClientMetadataError` when it cannot
   * be used. A fetch counts against `source`, the key of the request that asked for it.
   */
  get(clientId: string, url: URL, source: string | null): Promise<SourcedDocument> {
    return this.#cache.get(clientId, async () => {
      const fetched = await this.admission.run(url, source, () => fetchDocument(url, this.settings));
      const document = validateDocument(clientId, url.host, fetched.body);
      return { value: { document, synced: false }, lifetimeMs: this.#lifetimeMs(fetched.url, fetched.headers) };
    });
  }

  /**
   * How long the response may be reused: what its headers allow a private cache (the document is
   * public and fetched without credentials, so `private` does not forbid it), without heuristic
   * freshness, but {@link MIN_CACHE_MS} at least — also when they give none, or say `no-cache` or
   * `max-age=0` — unless they forbid storing it (`no-store`: never kept); never beyond
   * `maxCacheSeconds`.
   */
  #lifetimeMs(url: URL, headers: IncomingHttpHeaders): number {
    const policy = new CachePolicy(
      { url: url.pathname + url.search, method: 'GET', headers: { host: url.host, accept: 'application/json' } },
      { status: 200, headers: headers as CachePolicy.Headers },
      { shared: false, cacheHeuristic: 0, immutableMinTimeToLive: 0 },
    );
    if (!policy.storable()) return 0;
    return Math.min(Math.max(policy.timeToLive(), MIN_CACHE_MS), this.settings.maxCacheMs);
  }
}
