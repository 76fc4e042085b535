/**
 * Browser-based clients (an MCP client running in a page, a single-page app) call the metadata,
 * registration, token and revocation endpoints from another origin: a real browser (headless
 * Chromium) on a page served from 127.0.0.2 reads their answers, errors included, while
 * introspection, which is for resource servers, stays closed to pages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { browserUnavailableReason, launchChromium } from '../authorize/support/browser.js';
import { ISSUER } from '../authorize/support/authorization-server.js';
import { publicClientMetadata, startRegistrationServer, type RegistrationServer } from '../registration/support/registration-server.js';

const unavailable = browserUnavailableReason();
if (unavailable !== null) console.warn(`[koa/cors-in-a-browser] browser tests skipped: ${unavailable}`);
const browserTest = unavailable === null ? test : test.skip;

let server: RegistrationServer;
let pageServer: Server;
let pageOrigin: string;
let browser: Browser;

test.before(async () => {
  if (unavailable !== null) return;
  server = await startRegistrationServer();
  // Another origin than the authorization server's (127.0.0.1): another loopback address.
  pageServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>client</title>');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.2', resolve));
  pageOrigin = `http://127.0.0.2:${(pageServer.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

test.after.always(async () => {
  await browser?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
  await server?.close();
});

async function clientPage(t: { teardown(fn: () => Promise<void>): void }): Promise<Page> {
  const context = await browser.newContext();
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(`${pageOrigin}/`);
  return page;
}

/** What the page's fetch saw: status and JSON body, or the TypeError of a response CORS withholds. */
type Seen = { status: number; body: Record<string, unknown> } | { blocked: string };

async function fetchFromPage(page: Page, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Seen> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const response = await fetch(url, init);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      } catch (error) {
        return { blocked: String(error) };
      }
    },
    { url, init },
  );
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

browserTest('RFC 8414 §3 — a page on another origin reads the authorization-server metadata', async (t) => {
  const page = await clientPage(t);
  const seen = await fetchFromPage(page, `${server.origin}/.well-known/oauth-authorization-server`, { headers: { 'mcp-protocol-version': '2025-11-25' } });
  t.like(seen, { status: 200, body: { issuer: ISSUER, registration_endpoint: `${ISSUER}/auth/register` } });
});

browserTest('RFC 7591 §3 — a page on another origin registers a client with a JSON body, after the preflight it needs', async (t) => {
  const page = await clientPage(t);
  const metadata = publicClientMetadata(server, { client_name: 'Browser client' });
  const seen = await fetchFromPage(page, server.registrationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(metadata),
  });
  t.like(seen, { status: 201, body: { client_name: 'Browser client' } });
  if ('body' in seen) t.regex(String(seen.body['client_id']), /^dcr_/);
});

browserTest("RFC 6749 §5.2 — a page on another origin reads the token endpoint's error answer, its WWW-Authenticate challenge included", async (t) => {
  const page = await clientPage(t);
  const seen = await page.evaluate(async (url) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic Zm9yZ2VkOnNlY3JldA==' },
      body: 'grant_type=authorization_code&code=unknown&redirect_uri=https%3A%2F%2Fexample.com%2Fcb',
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, challenge: response.headers.get('www-authenticate') };
  }, `${server.origin}/auth/token`);
  t.like(seen, { status: 401, body: { error: 'invalid_client' } });
  t.regex(seen.challenge ?? '', /^Basic/);
});

browserTest('RFC 7009 §2.2 — a page on another origin revokes a token and reads the answer', async (t) => {
  const page = await clientPage(t);
  const registered = await fetchFromPage(page, server.registrationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(publicClientMetadata(server)),
  });
  t.like(registered, { status: 201 });
  const clientId = 'body' in registered ? String(registered.body['client_id']) : '';
  const seen = await page.evaluate(
    async ({ url, body }) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).status,
    { url: `${server.origin}/auth/revoke`, body: `token=unknown-token&client_id=${encodeURIComponent(clientId)}` },
  );
  t.is(seen, 200);
});

browserTest('RFC 7662 §4 — introspection, for resource servers, is not readable by a page on another origin', async (t) => {
  const page = await clientPage(t);
  const seen = await fetchFromPage(page, `${server.origin}/auth/introspect`, { method: 'POST', headers: FORM, body: 'token=unknown' });
  t.true('blocked' in seen, JSON.stringify(seen));
});
