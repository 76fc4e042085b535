/**
 * A reverse proxy that publishes a protected MCP server to a client that cannot authenticate: it
 * adds `Authorization: Bearer <token>` to every request and passes everything else through, bodies
 * and streams (SSE) included. The MCP conformance suite's server scenarios connect without OAuth;
 * through this proxy they reach the example's `/mcp` past its guard, with a token the kit issued.
 *
 * The `Host` a client sends for the proxy's own address becomes the upstream's, as any reverse
 * proxy publishing a server under another address does; any other `Host` is passed on as sent, so
 * that the server's DNS-rebinding check still sees a foreign one.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerProxy {
  /** `http://localhost:<port>`: the proxy's origin, to use in place of the upstream's. */
  origin: string;
  close(): Promise<void>;
}

/** Proxies `http://localhost:<port>/…` to `upstream` (an origin), adding the bearer `token`. */
export async function startBearerProxy(upstream: string, token: string): Promise<BearerProxy> {
  const target = new URL(upstream);
  const server = createServer((incoming, outgoing) => {
    const { port } = server.address() as AddressInfo;
    const ownHosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`]);
    const headers: IncomingHttpHeaders = { ...incoming.headers, authorization: `Bearer ${token}` };
    if (headers.host === undefined || ownHosts.has(headers.host)) headers.host = target.host;
    const forwarded = request(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    outgoing.on('close', () => forwarded.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
