/**
 * Serves a Koa application on a loopback port for the duration of a test file, so that the tests
 * speak real HTTP through Node's `fetch`.
 */
import { createServer, get as httpGet, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

export interface ServedApp {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  /** Errors the application emitted (`app.on('error')`), in order. */
  emittedErrors: unknown[];
  close(): Promise<void>;
}

export async function serve(app: Koa): Promise<ServedApp> {
  const emittedErrors: unknown[] = [];
  // Replaces Koa's default logger so that expected 500s do not clutter the test output.
  app.on('error', (error: unknown) => emittedErrors.push(error));
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    emittedErrors,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A form-encoded body (`application/x-www-form-urlencoded`), repeated names kept in order. */
export function form(parameters: Record<string, string> | Array<[string, string]>): URLSearchParams {
  return new URLSearchParams(parameters);
}

/** An HTTP Basic `Authorization` value (RFC 6749 §2.3.1: both parts form-encoded first). */
export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/**
 * A GET through `node:http`, for the headers `fetch` will not send: a chosen `Host`, or a header
 * repeated on separate lines (an array value).
 * Resolves with the status and the body parsed as JSON.
 */
export function getWithHeaders(url: string, headers: OutgoingHttpHeaders): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', reject);
  });
}
