/**
 * Adds the issuer to an authorization response (RFC 9207 §2): every response of the authorization
 * endpoint that goes back to the client, success or error, carries `iss`, so that a client talking
 * to several authorization servers can tell which one answered (mix-up attacks, RFC 9700 §4.4).
 * Without an issuer the URL is returned unchanged.
 */
export function withIssuer(redirectTo: string, issuer: string | undefined): string {
  if (issuer === undefined || issuer === '') return redirectTo;
  const url = new URL(redirectTo);
  url.searchParams.set('iss', issuer);
  return url.toString();
}
