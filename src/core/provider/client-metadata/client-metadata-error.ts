/**
 * Why a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document-01) could not be
 * used: a stable code for programs, one per cause.
 */
export type ClientMetadataErrorCode =
  /** The `client_id` URL is not `https` (draft §3). */
  | 'client_metadata_not_https'
  /** The `client_id` URL breaks another rule of draft §3 (path, fragment, userinfo, dot segments), or is too long to be stored. */
  | 'client_metadata_invalid_url'
  /** The host did not resolve. */
  | 'client_metadata_dns_failed'
  /** The host resolves to an address the server will not connect to (draft §6.5). */
  | 'client_metadata_forbidden_address'
  /** The connection or the TLS handshake failed. */
  | 'client_metadata_unreachable'
  /** Resolving, connecting and reading took longer than `timeoutMs`. */
  | 'client_metadata_timeout'
  /** The document is larger than `maxBytes` (draft §6.6). */
  | 'client_metadata_too_large'
  /** The server answered with a redirect the fetch does not follow (draft §4). */
  | 'client_metadata_redirect'
  /** The server answered with a status other than 200 (draft §4). */
  | 'client_metadata_http_status'
  /** The response is not JSON (`application/json` or `application/*+json`, draft §4.1). */
  | 'client_metadata_content_type'
  /** The document is not valid JSON, or breaks a rule of draft §4.1 or of this server. */
  | 'client_metadata_invalid'
  /** The request's source caused too many fetches lately (`throttle`): not fetched; `retryAfterSeconds` says when to retry. */
  | 'client_metadata_throttled'
  /** Too many fetches (`maxConcurrentFetches`), or host-name lookups, are in flight in this process: not fetched; retry in a moment. */
  | 'client_metadata_busy';

/** The codes of a document that could not be fetched from a public address: their message is one sentence, whatever the cause. */
export type UnfetchedDocumentCode = 'client_metadata_dns_failed' | 'client_metadata_forbidden_address' | 'client_metadata_unreachable';

/**
 * A Client ID Metadata Document could not be fetched or is not acceptable. The message is what the
 * client is told — the authorization endpoint shows it and the token endpoint answers it as
 * `invalid_client`, except when the document was not fetched at all (`client_metadata_throttled`:
 * 429, `client_metadata_busy`: 503, both with `Retry-After`). It names the URL and, for a document
 * that was served, what is wrong with it (the document is public). Why a host could not be reached
 * is another matter: the addresses a name resolves to, the resolver's error and the socket's tell
 * whoever names URLs what the server's network holds (draft-ietf-oauth-client-id-metadata-document-01
 * §6.5), so `client_metadata_dns_failed`, `client_metadata_forbidden_address` and
 * `client_metadata_unreachable` all say the same sentence, and the cause is in {@link detail}.
 */
export class ClientMetadataError extends Error {
  override readonly name = 'ClientMetadataError';
  /**
   * Seconds after which the same request may succeed, for a document that was not fetched at all
   * (`client_metadata_throttled`, `client_metadata_busy`): answered as `Retry-After`. Undefined for
   * every other code.
   */
  readonly retryAfterSeconds: number | undefined;
  /**
   * For the operator's log, never for the client: the precise cause the message leaves out (the
   * address a host resolves to and why it is refused, the resolver's or the connection's error).
   * Set for `client_metadata_dns_failed`, `client_metadata_forbidden_address` and
   * `client_metadata_unreachable`; the token endpoint tells its `onError` an error of the same
   * code whose message this is.
   */
  readonly detail: string | undefined;
  constructor(
    readonly code: ClientMetadataErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number; detail?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.detail = options?.detail;
  }
}

/** What a refused fetch tells the client to wait when the process is busy: a moment. */
const BUSY_RETRY_SECONDS = 1;

/** The refusal of a fetch that this process has no room for now (`client_metadata_busy`): `why` says which room. */
export function busyRefusal(url: URL, why: string): ClientMetadataError {
  return new ClientMetadataError('client_metadata_busy', `${url.href} was not fetched: ${why}; retry in a moment`, {
    retryAfterSeconds: BUSY_RETRY_SECONDS,
  });
}

/**
 * The refusal of a document that could not be fetched from a public address, however that came
 * about: one message for every cause, the cause in `detail` (and `cause`) for the operator.
 */
export function unfetchedDocument(code: UnfetchedDocumentCode, url: URL, detail: string, cause?: unknown): ClientMetadataError {
  return new ClientMetadataError(code, `the client metadata document ${url.href} could not be fetched from a public address`, {
    detail: `${url.href}: ${detail}`,
    cause,
  });
}
