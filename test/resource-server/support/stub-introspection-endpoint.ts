/**
 * An introspection endpoint (RFC 7662) on a loopback port that knows no token: it answers every
 * request `{ "active": false }`, or holds it unanswered while told to, as an authorization server
 * that is slow or hangs does. For what a guard sends an endpoint it cannot see the end of.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeldRequests } from './held-requests.js';

export interface StubIntrospectionEndpoint {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** The endpoint's URL. */
  url: string;
  requests: HeldRequests;
  close(): Promise<void>;
}

export async function startStubIntrospectionEndpoint(): Promise<StubIntrospectionEndpoint> {
  const requests = new HeldRequests();
  const server = createServer((request, response) => {
    request.resume();
    requests.handle(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ active: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/introspect`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        requests.release();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
