import { lookup as dnsLookup } from 'node:dns/promises';
import { rootCertificates } from 'node:tls';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../../errors.js';
import type { AttemptLimiterFactory } from '../../runtime/attempt-throttle.js';
import { validateScopes } from '../client-input.js';
import { lookupGateOf, type LookupGate } from './lookup-gate.js';

/**
 * Resolves a host name to every address it has, as `dns.lookup(name, { all: true })` does. Each
 * address it returns is checked; the fetch connects to the first one.
 */
export type HostLookup = (hostname: string) => Promise<ReadonlyArray<{ address: string; family?: number }>>;

/**
 * Clients known by their Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document):
 * a `client_id` that is an https URL names the JSON document describing the client, which the
 * server fetches. Every field is optional; `{}` turns the feature on with the defaults.
 */
export interface ClientMetadataDocumentOptions {
  /**
   * Host names or IP addresses exempt from the address rules, for development: a document may be
   * fetched from a private, loopback or link-local address when its URL's host, as written, is
   * listed (`['localhost', '127.0.0.1']`: `https://localhost:8443/client.json` and
   * `https://127.0.0.1:8443/client.json`). A listed address exempts URLs written with that address,
   * never a name that resolves to it: anyone can point a name at 127.0.0.1. Never list hosts that
   * others control. Default none.
   */
  allowHosts?: string[];
  /**
   * Trust roots added to Node's own for the fetch (PEM): a private PKI, or a test CA. Default
   * none: Node's bundled roots only.
   */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Milliseconds the whole fetch (resolve, connect, read, redirects) may take. Default 3000; 100–30 000. */
  timeoutMs?: number;
  /** Largest document accepted, in bytes, counted as it arrives. Default 5120 (draft §6.6: 5 kB); 256–65 536. */
  maxBytes?: number;
  /**
   * Redirects followed, to the same origin only (https, same host and port), each target checked
   * like the first. Default 0: the draft (§4) says the server "MUST NOT automatically follow HTTP
   * redirects"; raise it only for documents you know move within their origin. At most 3.
   */
  maxRedirects?: number;
  /**
   * The most such a client may be granted: it gets these scopes (intersected with the `scope` its
   * document declares, when it declares one). Default every scope of the catalogue, read when the
   * document is fetched. Users still consent to each request on the authorization page.
   */
  scopes?: string[];
  /**
   * Scopes granted when a request of such a client names none (RFC 6749 §3.3), within its scopes,
   * for a client whose document declares no `scope`. A client whose document declares one gets
   * that scope (within {@link scopes}) as its default instead. Default none: a request naming no
   * scope, from a client whose document declares none, is refused `invalid_scope`.
   */
  defaultScopes?: string[];
  /** Documents kept in the in-process cache at most; the oldest goes first. Default 1000. */
  maxCacheEntries?: number;
  /**
   * Longest time a fetched document is reused, in seconds, whatever its caching headers allow
   * (draft §4.4 lets the server bound them). A document is also kept 60 s at least, even when its
   * headers give no freshness (none, `no-cache`, `max-age=0`), unless they say `no-store`: a sign-in
   * reads it at several steps, each fetch counted against the user's `throttle`. Default 86 400
   * (24 h); 0 disables caching, the 60 s floor included.
   */
  maxCacheSeconds?: number;
  /**
   * How host names are resolved. Default `dns.lookup` with `all: true`. At most 2 lookups of one
   * resolver are in flight in the process, each until it settles, even past `timeoutMs`; beyond
   * them a request that needs a fetch is refused as when `maxConcurrentFetches` are in flight.
   */
  lookup?: HostLookup;
  /**
   * Fetches one source address (the request's, as the binding trusts it) may cause per window:
   * every fetch counts, failed ones included, and a document served from the cache never does, so
   * a client whose document allows caching is not held back by it. Past the limit, a request
   * naming a document that is not cached is answered 429 with `Retry-After`, and nobody else is.
   * Without it anyone could make the server fetch any number of URLs on their behalf (draft §6.5),
   * the excess consumption draft §6.6 guards against. Counted where the provider's
   * failed-attempt throttle counts (its `throttle.store`: the storage's attempt-counter table by
   * default). Requests of no known source (an `OAuthHttpRequest` without `sourceAddress`, which
   * the Koa binding always sets) all count as one source. Default 30 per 3600 s; `false` for none.
   */
  throttle?: ClientMetadataThrottleOptions | false;
  /**
   * Fetches in flight at once in this process, at most; beyond it a request that needs a fetch is
   * refused at once (`client_metadata_busy`, answered 503 with `Retry-After`), so that a flood of
   * slow documents cannot hold every socket and time-out. Default 16; 1–1 000.
   */
  maxConcurrentFetches?: number;
}

/** How many document fetches one source address may cause. */
export interface ClientMetadataThrottleOptions {
  /** Fetches allowed per window from one source. 1–10 000. */
  maxFetches: number;
  /** The window, in seconds. 1–86 400. */
  windowSeconds: number;
}

/** The options, checked and defaulted. */
export interface ClientMetadataSettings {
  /** Allowed host names (lower case) and addresses (canonical). */
  allowHosts: ReadonlySet<string>;
  /** Node's roots plus the extra ones, or undefined for Node's roots alone. */
  ca: Array<string | Buffer> | undefined;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  scopes: readonly string[] | null;
  defaultScopes: readonly string[];
  maxCacheEntries: number;
  maxCacheMs: number;
  lookup: HostLookup;
  /** The lookups of `lookup` in flight in this process (shared by every provider using it). */
  lookups: LookupGate;
  throttle: ClientMetadataThrottleOptions | false;
  maxConcurrentFetches: number;
  /** Where the fetch counters live: the provider's throttle store. */
  store: 'storage' | 'memory' | AttemptLimiterFactory;
}

export const DEFAULT_FETCH_THROTTLE: Readonly<ClientMetadataThrottleOptions> = Object.freeze({ maxFetches: 30, windowSeconds: 3600 });

const FIELD = 'clientMetadataDocuments';

const defaultLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function wholeNumber(options: ClientMetadataDocumentOptions, key: keyof ClientMetadataDocumentOptions, fallback: number, min: number, max: number): number {
  const value = options[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${FIELD}.${key}`, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function resolveThrottle(value: unknown): ClientMetadataThrottleOptions | false {
  if (value === undefined) return { ...DEFAULT_FETCH_THROTTLE };
  if (value === false) return false;
  if (typeof value !== 'object' || value === null) throw new ValidationError(`${FIELD}.throttle`, 'must be { maxFetches, windowSeconds } or false');
  const given = value as Partial<ClientMetadataThrottleOptions>;
  const field = (key: keyof ClientMetadataThrottleOptions, max: number): number => {
    const number = given[key];
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > max) {
      throw new ValidationError(`${FIELD}.throttle.${key}`, `must be a whole number from 1 to ${max}`);
    }
    return number;
  };
  return { maxFetches: field('maxFetches', 10_000), windowSeconds: field('windowSeconds', 86_400) };
}

/** A scope list, refused under this option's name. */
function scopeList(value: unknown, key: 'scopes' | 'defaultScopes'): string[] {
  try {
    return validateScopes(value, key);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`${FIELD}.${error.field}`, error.message.slice(error.field.length + 2));
  }
}

/** A host name in lower case, or an address in the canonical form the fetch judges addresses in. */
export function canonicalHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (ipaddr.isValid(bare)) {
    const parsed = ipaddr.parse(bare);
    return parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress() ? parsed.toIPv4Address().toString() : parsed.toString();
  }
  return bare.toLowerCase();
}

/** Checks the option; null when the feature is off. Throws {@link ValidationError} naming the field. */
export function resolveClientMetadataOptions(
  options: ClientMetadataDocumentOptions | undefined,
  /** Where the fetch counters live: the provider's `throttle.store`. */
  store: ClientMetadataSettings['store'] = 'storage',
): ClientMetadataSettings | null {
  if (options === undefined) return null;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(FIELD, 'must be an object (`{}` for the defaults)');
  }
  const allowHosts = options.allowHosts ?? [];
  if (!Array.isArray(allowHosts) || !allowHosts.every((host) => typeof host === 'string' && host !== '' && !/[\s/]/.test(host))) {
    throw new ValidationError(`${FIELD}.allowHosts`, 'must be an array of host names or IP addresses');
  }
  const extraCa = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
  if (!extraCa.every((pem) => typeof pem === 'string' || Buffer.isBuffer(pem))) {
    throw new ValidationError(`${FIELD}.ca`, 'must be PEM text or a Buffer, or an array of them');
  }
  if (options.lookup !== undefined && typeof options.lookup !== 'function') {
    throw new ValidationError(`${FIELD}.lookup`, 'must be a function (hostname) => Promise<{ address, family }[]>');
  }
  const lookup = options.lookup ?? defaultLookup;
  const scopes = options.scopes === undefined ? null : scopeList(options.scopes, 'scopes');
  const defaultScopes = options.defaultScopes === undefined ? [] : scopeList(options.defaultScopes, 'defaultScopes');
  const outside = scopes === null ? undefined : defaultScopes.find((scope) => !scopes.includes(scope));
  if (outside !== undefined) throw new ValidationError(`${FIELD}.defaultScopes`, `"${outside}" is not one of clientMetadataDocuments.scopes`);
  return {
    allowHosts: new Set(allowHosts.map(canonicalHost)),
    ca: extraCa.length === 0 ? undefined : [...rootCertificates, ...extraCa],
    timeoutMs: wholeNumber(options, 'timeoutMs', 3000, 100, 30_000),
    maxBytes: wholeNumber(options, 'maxBytes', 5120, 256, 65_536),
    maxRedirects: wholeNumber(options, 'maxRedirects', 0, 0, 3),
    scopes,
    defaultScopes,
    maxCacheEntries: wholeNumber(options, 'maxCacheEntries', 1000, 1, 100_000),
    maxCacheMs: wholeNumber(options, 'maxCacheSeconds', 86_400, 0, 86_400) * 1000,
    lookup,
    lookups: lookupGateOf(lookup),
    throttle: resolveThrottle(options.throttle),
    maxConcurrentFetches: wholeNumber(options, 'maxConcurrentFetches', 16, 1, 1000),
    store,
  };
}
