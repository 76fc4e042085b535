/**
 * Where OpenID Provider Metadata is served for an issuer: its path followed by
 * `/.well-known/openid-configuration` (OIDC Discovery §4.1, `https://h/t` →
 * `/t/.well-known/openid-configuration`), and, for an issuer with a path, also with the well-known
 * segment inserted before it as RFC 8414 §3.1 places its own (`/.well-known/openid-configuration/t`),
 * which clients that apply RFC 8414's rule to OpenID's suffix try (RFC 8414 §5, MCP's discovery).
 */
export function openIdConfigurationPaths(issuer: URL | undefined): string[] {
  const path = issuer === undefined ? '' : issuer.pathname.replace(/\/+$/, '');
  const appended = `${path}/.well-known/openid-configuration`;
  return path === '' ? [appended] : [appended, `/.well-known/openid-configuration${path}`];
}
