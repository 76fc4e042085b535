import { protectedResourceMetadata, type OAuthProvider, type ProtectedResource } from 'oauth2-kit';

/**
 * The demo's protected resources (RFC 8707, RFC 9728), served by the example server itself next to
 * its authorization server:
 *
 * - the MCP server at `/mcp`, which admits only tokens issued for it with the scope `mcp:tools`;
 * - the reports API at `/api/reports`, another resource, which refuses the MCP server's tokens
 *   (and the MCP server refuses its own): a token is good only where it was meant to go.
 *
 * Their identifiers are URLs on the issuer's origin, the address clients reach the server at
 * (`http://localhost:<port>` by default), since a client compares the identifier in the metadata
 * with the URL it called (RFC 9728 §3.3).
 */

export const MCP_SCOPE = 'mcp:tools';

/** The resources, described for their metadata documents and guards. */
export interface DemoResources {
  mcp: ProtectedResource;
  reports: ProtectedResource;
}

/** The demo's resources on the origin of `issuer`, whose authorization server issues their tokens. */
export function demoResources(issuer: string): DemoResources {
  const origin = new URL(issuer).origin;
  return {
    mcp: protectedResourceMetadata({
      resource: `${origin}/mcp`,
      authorizationServers: [issuer],
      scopesSupported: [MCP_SCOPE],
      resourceName: 'oauth2-kit demo MCP server',
    }),
    reports: protectedResourceMetadata({
      resource: `${origin}/api/reports`,
      authorizationServers: [issuer],
      resourceName: 'oauth2-kit demo reports API',
    }),
  };
}

/**
 * Registers the resources, and the scope the MCP server needs, at every start: their identifiers
 * follow the port and the issuer, which may change from one start to the next. Both are
 * idempotent (`define` replaces what is there).
 */
export async function registerDemoResources(provider: OAuthProvider, resources: DemoResources): Promise<void> {
  await provider.scopes.define(MCP_SCOPE, 'Use the tools of the demo MCP server');
  // JWTs (RFC 9068): the MCP server verifies them itself, as one running elsewhere would.
  await provider.resources.define({ id: resources.mcp.resource, name: 'oauth2-kit demo MCP server', scopes: [MCP_SCOPE], tokenFormat: 'jwt' });
  await provider.resources.define({ id: resources.reports.resource, name: 'oauth2-kit demo reports API' });
}
