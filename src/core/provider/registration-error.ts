/**
 * The error codes of a refused registration (RFC 7591 §3.2.2), answered 400 with
 * `{ error, error_description }`.
 */
export type RegistrationErrorCode =
  /** "The value of one or more redirection URIs is invalid." */
  | 'invalid_redirect_uri'
  /** "The value of one of the client metadata fields is invalid and the server has rejected this request." */
  | 'invalid_client_metadata'
  /** "The software statement presented is invalid." */
  | 'invalid_software_statement'
  /** "The software statement presented is not approved for use by this authorization server." */
  | 'unapproved_software_statement';

/** The codes a registration policy may refuse with. */
export const REGISTRATION_ERROR_CODES: readonly RegistrationErrorCode[] = [
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'invalid_software_statement',
  'unapproved_software_statement',
];

/** A registration request (or update, RFC 7592 §2.2) refused for what it asked (RFC 7591 §3.2.2). */
export class RegistrationError extends Error {
  override readonly name = 'RegistrationError';
  constructor(
    readonly code: RegistrationErrorCode,
    /** Said to the client as `error_description`: printable ASCII, no secret. */
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }
}
