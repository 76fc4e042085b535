/**
 * `serveProtectedResourceMetadata` serves a protected resource's metadata (RFC 9728 §3) from a Koa
 * application that is no authorization server: only the document, at its well-known URL, to any
 * origin, with GET and HEAD; every other request goes on to the application's own routes.
 */
import { get as httpGet } from 'node:http';
import test from 'ava';
import Koa from 'koa';
import { protectedResourceMetadata } from '../../src/core/index.js';
import { serveProtectedResourceMetadata } from '../../src/koa/index.js';
import { serve, type ServedApp } from './support/http-server.js';

const AUTH = ['https://auth.example.com'];
const MCP = protectedResourceMetadata({
  resource: 'https://api.example.com/mcp',
  authorizationServers: AUTH,
  scopesSupported: ['mcp:tools'],
  resourceName: 'Example MCP server',
});
const ROOT = protectedResourceMetadata({ resource: 'https://api.example.com', authorizationServers: AUTH });
const FILES = protectedResourceMetadata({ resource: 'https://api.example.com/files/', authorizationServers: AUTH });
const TENANT = protectedResourceMetadata({ resource: 'https://api.example.com/tenant?name=a', authorizationServers: AUTH });
const CAFE = protectedResourceMetadata({ resource: 'https://api.example.com/caf%C3%A9', authorizationServers: AUTH });
const BRIEF = protectedResourceMetadata({ resource: 'https://api.example.com/brief', authorizationServers: AUTH });

let served: ServedApp;

test.before(async () => {
  const app = new Koa();
  for (const resource of [MCP, ROOT, FILES, TENANT, CAFE]) app.use(serveProtectedResourceMetadata(resource));
  app.use(serveProtectedResourceMetadata(BRIEF, { maxAgeSeconds: 30 }));
  app.use(async (ctx) => {
    if (ctx.path === '/next') ctx.body = { downstream: true };
  });
  served = await serve(app);
});

test.after.always(() => served?.close());

const at = (path: string, init?: RequestInit) => fetch(`${served.origin}${path}`, init);
const MCP_PATH = '/.well-known/oauth-protected-resource/mcp';

test('RFC 9728 §3.2 — GET at the well-known URL answers 200 application/json with the document', async (t) => {
  const response = await at(MCP_PATH);
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'application/json');
  t.deepEqual(await response.json(), {
    resource: 'https://api.example.com/mcp',
    authorization_servers: ['https://auth.example.com'],
    scopes_supported: ['mcp:tools'],
    bearer_methods_supported: ['header'],
    resource_name: 'Example MCP server',
  });
});

test('RFC 9728 §3.1 — a resource without a path is served at /.well-known/oauth-protected-resource', async (t) => {
  const response = await at('/.well-known/oauth-protected-resource');
  t.is(response.status, 200);
  t.is(((await response.json()) as { resource: string }).resource, 'https://api.example.com');
});

test('RFC 9728 §3.1 — a resource with a path is served at its own well-known URL only: another suffix is not its', async (t) => {
  t.is((await at('/.well-known/oauth-protected-resource/mcp/tools')).status, 404);
  t.is((await at('/.well-known/oauth-protected-resource/MCP')).status, 404);
});

test('RFC 9728 §3.1 — a resource whose path ends with "/" is served there, and without the "/" that some clients drop', async (t) => {
  for (const path of ['/.well-known/oauth-protected-resource/files/', '/.well-known/oauth-protected-resource/files']) {
    const response = await at(path);
    t.is(response.status, 200, path);
    t.is(((await response.json()) as { resource: string }).resource, 'https://api.example.com/files/', path);
  }
});

test('RFC 9728 §3.1 — a resource with a query is served at its well-known URL with that query only', async (t) => {
  t.is((await at('/.well-known/oauth-protected-resource/tenant?name=a')).status, 200);
  t.is((await at('/.well-known/oauth-protected-resource/tenant')).status, 404);
  t.is((await at('/.well-known/oauth-protected-resource/tenant?name=b')).status, 404);
});

test('RFC 3986 §6.2.2.1 — a percent-encoded path matches whichever case its hex digits are written in', async (t) => {
  for (const path of ['/.well-known/oauth-protected-resource/caf%C3%A9', '/.well-known/oauth-protected-resource/caf%c3%a9']) {
    t.is((await at(path)).status, 200, path);
  }
});

test('RFC 9728 §7.10 — the document may be cached by anyone for ten minutes', async (t) => {
  t.is((await at(MCP_PATH)).headers.get('cache-control'), 'public, max-age=600');
});

test('RFC 9728 §7.10 — maxAgeSeconds sets how long the document may be cached', async (t) => {
  t.is((await at('/.well-known/oauth-protected-resource/brief')).headers.get('cache-control'), 'public, max-age=30');
});

/** A GET through `node:http`: `fetch` adds `Cache-Control: no-cache` to a conditional request, which asks for the full answer. */
function conditionalGet(path: string, etag: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpGet(`${served.origin}${path}`, { headers: { 'if-none-match': etag } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('RFC 9110 §13.1.2 — a client revalidating with the document’s ETag gets 304 without a body', async (t) => {
  const etag = (await at(MCP_PATH)).headers.get('etag');
  t.regex(etag ?? '', /^"[A-Za-z0-9_-]+"$/);
  t.deepEqual(await conditionalGet(MCP_PATH, etag ?? ''), { status: 304, body: '' });
});

test('RFC 9110 §13.1.2 — a client holding another ETag gets the document', async (t) => {
  t.is((await conditionalGet(MCP_PATH, '"something-else"')).status, 200);
});

test('RFC 9110 §9.3.2 — HEAD answers the headers of GET without the body', async (t) => {
  const [get, head] = await Promise.all([at(MCP_PATH), at(MCP_PATH, { method: 'HEAD' })]);
  t.is(head.status, 200);
  t.is(head.headers.get('content-type'), 'application/json');
  t.is(head.headers.get('content-length'), get.headers.get('content-length'));
  t.is(await head.text(), '');
});

test('CORS — the document may be read by a page of any origin', async (t) => {
  const response = await at(MCP_PATH, { headers: { origin: 'https://client.example' } });
  t.is(response.headers.get('access-control-allow-origin'), '*');
  t.is(response.headers.get('access-control-allow-credentials'), null);
});

test('CORS — a preflight for a GET with an MCP header is granted: 204 with the methods and the headers asked for', async (t) => {
  const response = await at(MCP_PATH, {
    method: 'OPTIONS',
    headers: { origin: 'https://client.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'mcp-protocol-version' },
  });
  t.is(response.status, 204);
  t.is(response.headers.get('access-control-allow-origin'), '*');
  t.is(response.headers.get('access-control-allow-methods'), 'GET, HEAD');
  t.is(response.headers.get('access-control-allow-headers'), 'mcp-protocol-version');
  t.is(response.headers.get('allow'), 'GET, HEAD, OPTIONS');
});

for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
  test(`RFC 9110 §15.5.6 — ${method} at the well-known URL is refused 405 naming the methods served`, async (t) => {
    const response = await at(MCP_PATH, { method, body: method === 'DELETE' ? null : '{}' });
    t.is(response.status, 405);
    t.is(response.headers.get('allow'), 'GET, HEAD, OPTIONS');
    t.is(response.headers.get('access-control-allow-origin'), '*');
  });
}

test('every other request goes on to the application’s own middleware', async (t) => {
  const response = await at('/next');
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { downstream: true });
  t.is(response.headers.get('access-control-allow-origin'), null);
});

test('the middleware takes a description from protectedResourceMetadata(), and says so when given its options instead', (t) => {
  const options = { resource: 'https://api.example.com/mcp', authorizationServers: AUTH };
  t.throws(() => serveProtectedResourceMetadata(options as never), { instanceOf: TypeError, message: /protectedResourceMetadata\(/ });
});

test('maxAgeSeconds must be a whole number of seconds ≥ 0', (t) => {
  for (const maxAgeSeconds of [-1, 1.5, Number.NaN]) {
    t.throws(() => serveProtectedResourceMetadata(MCP, { maxAgeSeconds }), { instanceOf: TypeError, message: /maxAgeSeconds/ }, String(maxAgeSeconds));
  }
});
