/** What a resource server could not get from its authorization server. */
export type IssuerUnavailableCode =
  /** The RFC 8414 metadata document (to find `jwks_uri` or `introspection_endpoint`). */
  | 'metadata_unavailable'
  /** The JSON Web Key Set the access tokens are verified with (RFC 7517 §5). */
  | 'jwks_unavailable'
  /** An answer of the introspection endpoint (RFC 7662). */
  | 'introspection_unavailable'
  /** The introspection endpoint was not asked: as many requests as `introspection.maxInFlight` allows were in flight. */
  | 'introspection_busy';

/**
 * A JWT guard could not reach, or could not use, what its authorization server publishes: its
 * metadata, its keys, or its introspection endpoint (or did not ask it: `introspection_busy`). The
 * guard answers `503` (a token it cannot judge is neither admitted nor refused as invalid) and
 * reports this error, whose message names the URL and the cause, e.g. `JWKS
 * https://auth.example.com/jwks could not be fetched: connect ECONNREFUSED 10.0.0.5:443`. `code` is
 * stable; `url` is the URL that failed.
 */
export class IssuerUnavailableError extends Error {
  override readonly name = 'IssuerUnavailableError';
  constructor(
    readonly code: IssuerUnavailableCode,
    /** The URL that could not be fetched or used. */
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
