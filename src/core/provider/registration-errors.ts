/**
 * Why a registration endpoint request is refused before its metadata is looked at: no valid
 * Bearer token (an initial access token, RFC 7591 §3; a registration access token, RFC 7592 §3),
 * or too many registrations from its source.
 */

/**
 * No valid Bearer token: answered 401 with a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3.1),
 * `invalid_token` when one was presented. The same whether or not the client named exists
 * (RFC 7592 §2: an unknown client is answered 401 like a wrong token).
 */
export class RegistrationUnauthorizedError extends Error {
  override readonly name = 'RegistrationUnauthorizedError';
  constructor(
    /** Whether a Bearer token was presented at all. */
    readonly presented: boolean,
    readonly description: string,
  ) {
    super(description);
  }
}

/** The request's source has registered too often lately: answered 429 with `Retry-After`. */
export class TooManyRegistrationsError extends Error {
  override readonly name = 'TooManyRegistrationsError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many client registrations from this source; retry in ${retryAfterSeconds} s`);
  }
}
