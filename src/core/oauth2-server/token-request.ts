import OAuth2Server from '@node-oauth/oauth2-server';

/**
 * Runs oauth2-server's token handler (`server.token()`) on a request whose parameters the binding
 * already parsed, and returns the body it answers with (RFC 6749 §5.1).
 *
 * Two work-arounds, each pinned by test/oauth2-server/library-seam.test.ts against the installed
 * version:
 * - The handler insists on `request.is('application/x-www-form-urlencoded')`, which reads the
 *   `content-type` header and, for "has a body", a `content-length` or `transfer-encoding`
 *   (lib/handlers/token-handler.js, 5.3). The kit also accepts JSON bodies and parses bodies
 *   itself, so the request handed to the library says what the parsed parameters are: a form of
 *   that length. The library reads only `request.body`, never the bytes.
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
  query: Record<string, string>,
  body: Record<string, string>,
): Promise<unknown> {
  const { 'transfer-encoding': _chunked, 'content-length': _length, 'content-type': _type, ...rest } = headers;
  const request = new OAuth2Server.Request({
    method,
    headers: {
      ...rest,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(new URLSearchParams(body).toString())),
    },
    query,
    body,
  });
  const response = new OAuth2Server.Response({ headers: {} });
  const token = await server.token(request, response);
  const answer = response.body as { expires_in?: number } | undefined;
  if (answer && typeof answer.expires_in === 'number' && token.accessTokenExpiresAt instanceof Date) {
    answer.expires_in = Math.round((token.accessTokenExpiresAt.getTime() - now().getTime()) / 1000);
  }
  return answer;
}
