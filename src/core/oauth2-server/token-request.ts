import OAuth2Server from '@node-oauth/oauth2-server';
import { modelForRequest } from './token-request-facts.js';

const { InvalidGrantError, InvalidRequestError } = OAuth2Server;

/** Client credentials the kit read from HTTP Basic and decoded (RFC 6749 §2.3.1). */
export interface BasicClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** What the kit knows of a token request beyond its parameters. */
export interface TokenRequestContext {
  /** Read from HTTP Basic by the caller, when the request used it. */
  basicCredentials?: BasicClientCredentials | undefined;
  /** The `resource` parameters (RFC 8707 §2.2), well-formed and without repeats. */
  resources?: readonly string[] | undefined;
  /** The request's source address, for the throttle; null or absent when unknown. */
  sourceAddress?: string | null | undefined;
}

/**
 * Runs oauth2-server's token handler (`server.token()`) on a request whose parameters the binding
 * already parsed, and returns the body it answers with (RFC 6749 §5.1).
 *
 * Work-arounds, each pinned by test/oauth2-server/library-seam.test.ts against the installed
 * version:
 * - The handler insists on `request.is('application/x-www-form-urlencoded')`, which reads the
 *   `content-type` header and, for "has a body", a `content-length` or `transfer-encoding`
 *   (lib/handlers/token-handler.js, 5.3). The kit also accepts JSON bodies and parses bodies
 *   itself, so the request handed to the library says what the parsed parameters are: a form of
 *   that length. The library reads only `request.body`, never the bytes.
 * - The handler parses HTTP Basic itself (`basic-auth`) and does not form-urlencoded-decode the
 *   id and secret, as RFC 6749 §2.3.1 requires: `demo%2Dclient` would be looked up as such. The
 *   caller reads and decodes the `Authorization` header as Basic (`basicCredentials`, refusing
 *   other schemes); the library is handed them as the `client_id`/`client_secret` body parameters,
 *   which its `getClientCredentials` reads when there is no Basic header, and no `Authorization`
 *   header, so that it does not parse Basic again. The 401 and Basic
 *   challenge of a refused client are the kit's (protocol/error-responses.ts), whatever the header.
 * - The library is handed no query string. RFC 6749 §3.2: the token endpoint's URI may carry a
 *   query component of its own, and the grant parameters are entity-body parameters (§4.1.3,
 *   §4.3.2, §4.4.2, §6; §2.3.1 forbids credentials in the URI). The code grant falls back to
 *   `request.query.redirect_uri` (lib/grant-types/authorization-code-grant-type.js); without a query,
 *   every grant parameter is read from the body alone.
 * - The code grant answers a `redirect_uri` that differs from the authorization request's with
 *   `invalid_request`; RFC 6749 §5.2 makes that `invalid_grant` ("does not match the redirection
 *   URI used in the authorization request"), and §4.1.3 requires the identical value. Restated
 *   here by the library's messages; an absent `redirect_uri` stays `invalid_request`, a required
 *   parameter missing.
 * - The library refuses an empty or blank `scope` as malformed (lib/utils/scope-util.js). The kit
 *   reads it as no scope named, as the authorization endpoint does: the request then gets the
 *   client's default scope (RFC 6749 §3.3), or the refresh grant keeps the original scope (§6).
 * - The library knows no `resource` parameter (RFC 8707 §2.2) and hands the model no request. The
 *   caller reads `resource` itself (it may be repeated, which the library's body would not
 *   carry); the handler runs with a model made for the request (`modelForRequest`), whose
 *   methods read the resources, whether a scope was named and the source address from `this`.
 * - The library derives `expires_in` from `accessTokenExpiresAt` and its own `new Date()`
 *   (lib/utils/date-util.js): one clock tick late it says 3599 for an hour, and for a provider with
 *   a clock of its own (the `now` option) it says nonsense. `expires_in` is the lifetime as the
 *   provider's clock measures it.
 */
export async function runTokenHandler(
  server: OAuth2Server,
  now: () => Date,
  method: string,
  headers: Record<string, string>,
  body: Record<string, string>,
  context: TokenRequestContext = {},
): Promise<unknown> {
  const { basicCredentials, resources } = context;
  const {
    'transfer-encoding': _chunked,
    'content-length': _length,
    'content-type': _type,
    authorization: _authorization,
    ...rest
  } = headers;
  const parameters: Record<string, string> = { ...body };
  if (parameters['scope'] !== undefined && /^ *$/.test(parameters['scope'])) delete parameters['scope'];
  if (basicCredentials) {
    parameters['client_id'] = basicCredentials.clientId;
    // An empty secret is no secret: the library then applies `requireClientAuthentication`.
    if (basicCredentials.clientSecret !== '') parameters['client_secret'] = basicCredentials.clientSecret;
  }
  const request = new OAuth2Server.Request({
    method,
    headers: {
      ...rest,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(new URLSearchParams(parameters).toString())),
    },
    query: {},
    body: parameters,
  });
  const response = new OAuth2Server.Response({ headers: {} });
  let token: OAuth2Server.Token;
  try {
    const facts = { resources, scopeNamed: parameters['scope'] !== undefined, sourceAddress: context.sourceAddress ?? null };
    const model = modelForRequest(server.options.model, facts);
    // The library merges per-call options over the server's, the model among them (lib/server.js,
    // 5.3), though its types list no `model` there.
    token = await server.token(request, response, { model } as OAuth2Server.TokenOptions);
  } catch (error) {
    throw restated(error, parameters);
  }
  const answer = response.body as { expires_in?: number; id_token?: string } | undefined;
  if (answer && typeof answer.expires_in === 'number' && token.accessTokenExpiresAt instanceof Date) {
    answer.expires_in = Math.round((token.accessTokenExpiresAt.getTime() - now().getTime()) / 1000);
  }
  // OIDC Core §3.1.3.3: the ID token the model minted rides on the token it saved; the library
  // copies only the members it knows into the body (without allowExtendedTokenAttributes).
  if (answer && typeof token['id_token'] === 'string') answer.id_token = token['id_token'];
  return answer;
}

/** The library's messages for a `redirect_uri` check of the code grant (5.3). */
export const LIBRARY_REDIRECT_URI_MISMATCH = 'Invalid request: `redirect_uri` is invalid';
export const LIBRARY_REDIRECT_URI_NOT_A_URI = 'Invalid request: `redirect_uri` is not a valid URI';

/** RFC 6749 §5.2: a `redirect_uri` that differs from the authorization request's is `invalid_grant`. */
function restated(error: unknown, parameters: Record<string, string>): unknown {
  if (!(error instanceof InvalidRequestError) || parameters['grant_type'] !== 'authorization_code') return error;
  const presented = parameters['redirect_uri'];
  if (error.message === LIBRARY_REDIRECT_URI_MISMATCH || (error.message === LIBRARY_REDIRECT_URI_NOT_A_URI && presented)) {
    return new InvalidGrantError('Invalid grant: `redirect_uri` does not match the authorization request');
  }
  if (error.message === LIBRARY_REDIRECT_URI_NOT_A_URI) {
    return new InvalidRequestError('Missing parameter: `redirect_uri`');
  }
  return error;
}
