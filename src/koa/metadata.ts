/** The facts the RFC 8414 metadata document is made from. */
export interface MetadataFacts {
  issuer: string;
  /** Origin the endpoint paths are appended to (the issuer's, or the request's). */
  origin: string;
  /** Paths of the endpoints as the router serves them. */
  paths: { token: string; revocation: string; introspection: string; authorization?: string; registration?: string; jwks?: string };
  grantTypes: readonly string[];
  codeChallengeMethods: readonly string[];
  scopes?: readonly string[];
  /** Whether a `client_id` may be the URL of the client's metadata document. */
  clientIdMetadataDocuments?: boolean;
}

/** How clients may authenticate at the token and revocation endpoints (`none`: public clients). */
const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
/** Introspection answers confidential clients only: a public client proves nothing (RFC 7662 §2.1). */
const INTROSPECTION_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;

/**
 * The OAuth 2.0 Authorization Server Metadata document (RFC 8414 §2). `authorization_endpoint`
 * the `code` response type and RFC 9207 `iss` support are listed only when the authorization
 * endpoint is served.
 */
export function authorizationServerMetadata(facts: MetadataFacts): Record<string, unknown> {
  const url = (path: string) => new URL(path, facts.origin).href;
  return {
    issuer: facts.issuer,
    // RFC 8414 §2: the keys JWT access tokens (RFC 9068 §4) are verified with, when the server signs any.
    ...(facts.paths.jwks === undefined ? {} : { jwks_uri: url(facts.paths.jwks) }),
    ...(facts.paths.authorization === undefined ? {} : { authorization_endpoint: url(facts.paths.authorization) }),
    token_endpoint: url(facts.paths.token),
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    revocation_endpoint: url(facts.paths.revocation),
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    introspection_endpoint: url(facts.paths.introspection),
    introspection_endpoint_auth_methods_supported: [...INTROSPECTION_AUTH_METHODS],
    // RFC 8414 §2: where clients register themselves (RFC 7591 §3), when the server lets them.
    ...(facts.paths.registration === undefined ? {} : { registration_endpoint: url(facts.paths.registration) }),
    grant_types_supported: [...facts.grantTypes],
    response_types_supported: facts.paths.authorization === undefined ? [] : ['code'],
    response_modes_supported: facts.paths.authorization === undefined ? [] : ['query'],
    code_challenge_methods_supported: [...facts.codeChallengeMethods],
    // RFC 9207 §3: authorization responses carry `iss` (the page adds it; custom handlers are handed
    // the issuer for the same purpose), which lets clients detect mix-up attacks.
    ...(facts.paths.authorization === undefined ? {} : { authorization_response_iss_parameter_supported: true }),
    ...(facts.scopes === undefined ? {} : { scopes_supported: [...facts.scopes] }),
    // draft-ietf-oauth-client-id-metadata-document-01 §5: clients learn they need not register.
    ...(facts.clientIdMetadataDocuments === true ? { client_id_metadata_document_supported: true } : {}),
  };
}
