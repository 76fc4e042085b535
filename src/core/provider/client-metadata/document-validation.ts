import { MAX_SELF_REGISTERED_REDIRECT_URIS, selfRegisteredRedirectUriFault, validateName } from '../client-input.js';
import { readOpenIdMetadata, type OpenIdClientMetadata } from '../openid-registration-metadata.js';
import { parseScope } from '../scope.js';
import type { GrantType } from '../../storage/records.js';
import { ClientMetadataError } from './client-metadata-error.js';

/** What a valid Client ID Metadata Document says about its client, as this server uses it. */
export interface ClientMetadataDocument {
  /** The `client_id`: the document's URL. */
  clientId: string;
  /** `client_name`, or the URL's host when the document names none. Self-asserted either way. */
  name: string;
  /** `redirect_uris`, in the document's order. */
  redirectUris: string[];
  /** `grant_types`: `authorization_code` and optionally `refresh_token`. */
  grants: GrantType[];
  /** The `scope` the document declares, or null when it declares none. */
  scope: string[] | null;
  /** Its OpenID Connect metadata (`post_logout_redirect_uris`, `id_token_signed_response_alg`, `subject_type: public`). */
  openid: OpenIdClientMetadata;
  /** The document as JSON, for the client's registration row. */
  metadata: string;
}

/** Grants such a client may declare: it is public (RFC 6749 §2.1), so none that needs a secret. */
const GRANTS: readonly GrantType[] = ['authorization_code', 'refresh_token'];
/** Authentication methods built on a shared secret, which a document cannot establish (draft §4.1). */
const SHARED_SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);

/**
 * Checks a fetched document against draft-ietf-oauth-client-id-metadata-document-01 §4.1 and this
 * server's rules for public clients, and reads what the server keeps of it. Throws
 * {@link ClientMetadataError} `client_metadata_invalid` naming the first rule broken.
 *
 * - `client_id` equals the URL the document was fetched for, by simple string comparison (§4.1).
 * - `redirect_uris` is present, at most as many as a client registering itself may list, each
 *   valid by the rules of every client nobody vetted (absolute, no fragment, no executable scheme,
 *   RFC 6749 §3.1.2; `http` only on the loopback interface, RFC 6749 §3.1.2.1 and RFC 8252 §8.3):
 *   authorization requests must name one of them (§4.5).
 * - No `client_secret` or `client_secret_expires_at`, and no `token_endpoint_auth_method` built on
 *   a shared secret (§4.1). `private_key_jwt` (§6.2) is not supported by this server, so the only
 *   method accepted is `none`; absent means `none` too (the RFC 7591 default, `client_secret_basic`,
 *   is impossible here).
 * - `grant_types` within `authorization_code` and `refresh_token`, including `authorization_code`
 *   (default: `authorization_code`, RFC 7591 §2); `response_types`, when given, only `code`.
 * - The OpenID Connect metadata of a client registering itself (openid-registration-metadata.ts:
 *   `post_logout_redirect_uris` by the same rules as `redirect_uris`, RP-Initiated Logout §3.1),
 *   except `subject_type: pairwise`: such a client's subjects are public.
 */
export function validateDocument(clientId: string, host: string, body: string): ClientMetadataDocument {
  const refuse = (reason: string) => new ClientMetadataError('client_metadata_invalid', `the client metadata document of ${clientId} ${reason}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw refuse('is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refuse('is not a JSON object');
  const document = parsed as Record<string, unknown>;

  if (document['client_id'] !== clientId) {
    throw refuse(`names client_id ${JSON.stringify(document['client_id'] ?? null)}; it must be the document's URL exactly (draft §4.1)`);
  }
  for (const field of ['client_secret', 'client_secret_expires_at']) {
    if (field in document) throw refuse(`has ${field}; such a client has no shared secret (draft §4.1)`);
  }
  const method = document['token_endpoint_auth_method'] ?? 'none';
  if (method !== 'none') {
    if (typeof method === 'string' && SHARED_SECRET_METHODS.has(method)) {
      throw refuse(`asks for token_endpoint_auth_method ${method}, which needs a shared secret that such a client cannot have (draft §4.1)`);
    }
    throw refuse(`asks for token_endpoint_auth_method ${JSON.stringify(method)}; this server accepts only public clients ("none") by metadata document`);
  }

  const redirectUris = document['redirect_uris'];
  if (!Array.isArray(redirectUris) || redirectUris.length === 0) throw refuse('has no redirect_uris (a non-empty array of URIs)');
  if (redirectUris.length > MAX_SELF_REGISTERED_REDIRECT_URIS) throw refuse(`lists more than ${MAX_SELF_REGISTERED_REDIRECT_URIS} redirect_uris`);
  redirectUris.forEach((uri, index) => {
    const fault = selfRegisteredRedirectUriFault(uri);
    if (fault !== null) throw refuse(`has redirect_uris[${index}] ${JSON.stringify(uri)}, which ${fault}`);
  });
  if (new Set(redirectUris).size !== redirectUris.length) throw refuse('repeats a redirect URI');

  const grantTypes = document['grant_types'] ?? ['authorization_code'];
  if (!Array.isArray(grantTypes)) throw refuse('has grant_types that is not an array');
  const unsupported = grantTypes.find((grant) => !GRANTS.includes(grant as GrantType));
  if (unsupported !== undefined) throw refuse(`asks for grant type ${JSON.stringify(unsupported)}; such a client may use authorization_code and refresh_token only`);
  if (!grantTypes.includes('authorization_code')) throw refuse('does not include authorization_code in grant_types');

  const responseTypes = document['response_types'];
  if (responseTypes !== undefined && (!Array.isArray(responseTypes) || responseTypes.some((type) => type !== 'code'))) {
    throw refuse('asks for response types other than "code"');
  }

  const scope = document['scope'] === undefined ? undefined : parseScope(document['scope']);
  if (scope === false) throw refuse('has a scope that is not a space-separated list of scope tokens (RFC 6749 §3.3)');

  if (document['subject_type'] === 'pairwise') {
    throw refuse('asks for subject_type pairwise, which this server does not offer to clients known by their metadata document (OIDC Core §8)');
  }
  // No OpenID settings: pairwise was refused above, and the default algorithm is the client's (metadata-document-clients.ts).
  const openid = readOpenIdMetadata(document, redirectUris as string[], null);
  if ('fault' in openid) throw refuse(`is refused: ${openid.fault}`);

  const clientName = document['client_name'];
  let name = host;
  if (clientName !== undefined) {
    try {
      name = validateName(clientName);
    } catch {
      throw refuse('has a client_name that is not 1–255 printable characters');
    }
  }
  return {
    clientId,
    name,
    redirectUris: redirectUris as string[],
    grants: GRANTS.filter((grant) => grantTypes.includes(grant)),
    scope: scope ?? null,
    openid: openid.metadata,
    metadata: JSON.stringify(document),
  };
}
