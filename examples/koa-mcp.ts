import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Context, Middleware } from 'koa';

/**
 * Serves an MCP server of `@modelcontextprotocol/sdk` over its Streamable HTTP transport from a Koa
 * route, behind whatever middleware runs before it (the OAuth guard).
 *
 * Why glue is needed at all: the SDK's transport works on Node's own request and response. It reads
 * and parses the body itself (JSON-RPC, with its own size cap and JSON-RPC errors for bad input, so
 * no Koa body parser runs before it) and writes the answer itself, a JSON body or an SSE stream. So
 * Koa must step aside for this route: `ctx.respond = false`, and the transport gets `ctx.req` and
 * `ctx.res`.
 *
 * Stateless (no `Mcp-Session-Id`): each POST gets a new server and transport, as the SDK requires
 * (it refuses to reuse a stateless transport), both closed when the response is over. With no
 * session there is nothing to stream outside a request and nothing to end, so GET and DELETE are
 * answered 405, which the MCP transport specification allows for both (2025-11-25, "Listening for
 * Messages from the Server" and "Session Management").
 *
 * `allowedHosts` makes the transport refuse, 403, a request whose `Host` is not the server's own: a
 * browser tricked by DNS rebinding names the attacker's host (MCP 2025-11-25, transports, security
 * warning).
 */
export function mcpEndpoint(build: (ctx: Context) => McpServer, options: { allowedHosts: string[] }): Middleware {
  const allowedHosts = [...options.allowedHosts];
  return async function mcp(ctx) {
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      ctx.status = 405;
      return;
    }
    const server = build(ctx);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableDnsRebindingProtection: true, allowedHosts });
    ctx.res.once('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    ctx.respond = false;
    await transport.handleRequest(ctx.req, ctx.res);
  };
}
