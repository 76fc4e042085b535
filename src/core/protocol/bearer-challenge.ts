import { errorText } from './error-text.js';

/**
 * The `WWW-Authenticate: Bearer` challenge of a protected resource (RFC 6750 §3), with the
 * `resource_metadata` parameter of RFC 9728 §5.1. Parameters come in a fixed order, realm first and
 * `resource_metadata` last, so that a challenge without the latter reads as it always has; the
 * order carries no meaning (RFC 9110 §11.2).
 */

/** What one challenge says. */
export interface BearerChallenge {
  realm: string;
  /** RFC 6750 §3.1 error code, with its description; absent when no credentials were presented. */
  error?: { code: string; description: string };
  /** The scope the resource requires (RFC 6750 §3); left out when empty. */
  scope?: readonly string[];
  /** The URL of the resource's metadata (RFC 9728 §5.1). */
  resourceMetadata?: string;
}

/** The header value for `challenge`: `Bearer realm="…", error="…", error_description="…", scope="…", resource_metadata="…"`. */
export function bearerChallenge(challenge: BearerChallenge): string {
  const parameters = [`realm=${quotedString(challenge.realm)}`];
  if (challenge.error !== undefined) {
    parameters.push(`error=${quotedString(errorText(challenge.error.code))}`);
    parameters.push(`error_description=${quotedString(errorText(challenge.error.description))}`);
  }
  if (challenge.scope !== undefined && challenge.scope.length > 0) parameters.push(`scope=${quotedString(errorText(challenge.scope.join(' ')))}`);
  if (challenge.resourceMetadata !== undefined) parameters.push(`resource_metadata=${quotedString(challenge.resourceMetadata)}`);
  return `Bearer ${parameters.join(', ')}`;
}

/**
 * An auth-param value as a quoted-string (RFC 9110 §5.6.4, §11.2): `"` and `\` escaped with a
 * backslash. Values come from checked configuration (a realm, a URL written as the URL parser
 * writes it), which holds no control character; one that did could not be sent in a header.
 */
function quotedString(value: string): string {
  if (/[\x00-\x08\x0A-\x1F\x7F]/.test(value)) throw new TypeError('a challenge parameter cannot hold control characters');
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
