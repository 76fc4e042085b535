/**
 * A client's web server over real HTTPS on 127.0.0.1, with a certificate from the tests' CA for
 * the names the tests resolve to it: it serves Client ID Metadata Documents (or misbehaves, as a
 * test asks) and counts the requests each path received.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestFn } from 'ava';
import { createTestCa, type TestCa } from './test-ca.js';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface DocumentServer {
  port: number;
  /** `https://<host>:<port><path>`; the host defaults to the server's first name. */
  url(path: string, host?: string): string;
  /** Answers `path` with `handler` from now on. */
  route(path: string, handler: Handler): void;
  /** Requests `path` received so far. */
  hits(path: string): number;
  /** The `Host` header of every request `path` received, in order. */
  hostsOf(path: string): string[];
  close(): Promise<void>;
}

/** Serves `body` as JSON with these headers (default: no caching headers at all). */
export function json(body: unknown, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

/** Answers with a redirect to `location`. */
export function redirect(location: string, status = 302): Handler {
  return (_request, response) => {
    response.writeHead(status, { location });
    response.end();
  };
}

/**
 * A test CA and a document server for `names`, started before the file's tests and closed after
 * them: `const served = serveDocuments(test, ['app.test'])`, then `served.ca`, `served.server`; a
 * `before` hook of the file that needs them awaits `served.ready` (ava runs hooks concurrently).
 */
export function serveDocuments(test: TestFn, names: string[]): { readonly ca: TestCa; readonly server: DocumentServer; readonly ready: Promise<void> } {
  let ca: TestCa | undefined;
  let server: DocumentServer | undefined;
  const ready = (async () => {
    ca = await createTestCa();
    server = await startDocumentServer(ca, names);
  })();
  // Failures surface in the hook, not as an unhandled rejection.
  ready.catch(() => {});
  test.before(() => ready);
  test.after.always(() => server?.close());
  return {
    ready,
    get ca() {
      if (ca === undefined) throw new Error('the document server is not started yet');
      return ca;
    },
    get server() {
      if (server === undefined) throw new Error('the document server is not started yet');
      return server;
    },
  };
}

export async function startDocumentServer(ca: TestCa, names: string[]): Promise<DocumentServer> {
  const { cert, key } = await ca.issue(names, ['127.0.0.1']);
  const routes = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const hosts = new Map<string, string[]>();
  const server: Server = createServer({ cert, key }, (request, response) => {
    const path = new URL(request.url ?? '/', 'https://server.invalid').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    hosts.set(path, [...(hosts.get(path) ?? []), request.headers.host ?? '']);
    const handler = routes.get(path);
    if (handler) return handler(request, response);
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path, host = names[0] ?? '127.0.0.1') => `https://${host}:${port}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    hits: (path) => counts.get(path) ?? 0,
    hostsOf: (path) => hosts.get(path) ?? [],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A resolver for `clientMetadataDocuments.lookup`, the one stand-in of these tests: the DNS
 * answers each name gets, in turn (the last answer repeats). Names it does not know fail as
 * unknown hosts do. `calls` records every name asked.
 */
export function fakeDns(answers: Record<string, string[] | string[][]>): {
  lookup: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
  calls: string[];
} {
  const calls: string[] = [];
  const asked = new Map<string, number>();
  return {
    calls,
    async lookup(hostname) {
      calls.push(hostname);
      const known = answers[hostname];
      if (known === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      const turn = asked.get(hostname) ?? 0;
      asked.set(hostname, turn + 1);
      const rounds = (Array.isArray(known[0]) ? known : [known]) as string[][];
      const addresses = rounds[Math.min(turn, rounds.length - 1)] ?? [];
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
  };
}
