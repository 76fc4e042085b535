/**
 * An authorization server with OpenID Connect on, for the authorization-endpoint tests:
 * OAuthSqlProvider on a fresh PGlite database (sessions and consent grants kept there), a clock
 * the tests move, the real oauth2-server and the Koa router with the built-in page, served on a
 * loopback port. The redirect URI is on another origin (`localhost`) than the server (`127.0.0.1`).
 *
 * Browsers are cookie jars ({@link CookieJar}): two jars are two browsers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { PGlite } from '@electric-sql/pglite';
import Koa from 'koa';
import { generateSigningKeyEncryptionKey, type OAuthProvider, type OAuthProviderOptions } from '../../../src/core/index.js';
import { authorizationPage, createOAuthRouter, type AuthorizationPageOptions } from '../../../src/koa/index.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../../src/providers/sql/index.js';
import { createTestClock } from '../../../src/testing/index.js';
import { provisionPGlite } from '../../support/databases.js';
import { hiddenFieldsOf } from '../../authorize/support/consent-form.js';

export const ISSUER = 'https://login.example';
/** The session cookie's name over plain HTTP (`__Host-` is for HTTPS). */
export const SESSION_COOKIE = 'oauth2kit-session';

export interface OpenIdPageServer {
  origin: string;
  redirectUri: string;
  provider: OAuthProvider;
  pglite: PGlite;
  /** Two users of the default store. */
  alice: { id: string; username: string; password: string };
  bob: { id: string; username: string; password: string };
  /** `${origin}/auth/authorize?…` for the public client `rp` (openid, profile, read, write), with `overrides`. */
  authorizeUrl(overrides?: Record<string, string>): string;
  advanceClock(seconds: number): void;
  close(): Promise<void>;
}

export interface OpenIdPageServerOptions {
  page?: (provider: OAuthProvider) => Omit<AuthorizationPageOptions, 'provider'>;
  providerOptions?: OAuthProviderOptions;
}

export async function startOpenIdPageServer(options: OpenIdPageServerOptions = {}): Promise<OpenIdPageServer> {
  const database = await provisionPGlite();
  const clock = createTestClock();
  const provider = new OAuthSqlProvider(pgliteAdapter(database.pglite), {
    issuer: ISSUER,
    signingKeys: { encryptionKey: generateSigningKeyEncryptionKey() },
    openid: {},
    ...options.providerOptions,
    now: clock.now,
    passwordHashCost: { N: 2, r: 1, p: 1 },
  });
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) } as OAuth2Server.ServerOptions);
  const router = createOAuthRouter({
    provider,
    server,
    issuer: ISSUER,
    authorize: authorizationPage({ provider, ...(options.page?.(provider) ?? {}) }),
  });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const http = createServer(app.callback());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  // A public web client (a single-page app): remembered consent may approve it without a page.
  const redirectUri = 'https://rp.example/callback';

  for (const [name, description] of [
    ['openid', 'Sign you in'],
    ['profile', 'Know your name'],
    ['read', 'Read your notes'],
    ['write', 'Change your notes'],
  ] as const) {
    await provider.scopes.define(name, description);
  }
  await provider.clients.create({
    id: 'rp',
    name: 'Relying Party',
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: [redirectUri],
    scopes: ['openid', 'profile', 'read', 'write'],
    confidential: false,
  });
  const alice = { username: 'alice', password: 'alice password 1' };
  const bob = { username: 'bob', password: 'bob password 2' };
  const aliceId = (await provider.users.create(alice)).id;
  const bobId = (await provider.users.create(bob)).id;

  return {
    origin,
    redirectUri,
    provider,
    pglite: database.pglite,
    alice: { id: aliceId, ...alice },
    bob: { id: bobId, ...bob },
    authorizeUrl: (overrides = {}) =>
      `${origin}/auth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'rp',
        redirect_uri: redirectUri,
        scope: 'openid read',
        state: 'st-1',
        code_challenge: createHash('sha256').update(VERIFIER).digest('base64url'),
        code_challenge_method: 'S256',
        ...overrides,
      })}`,
    advanceClock: (seconds) => clock.advance(seconds),
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve, reject) => http.close((error) => (error ? reject(error) : resolve())));
      await database.close();
    },
  };
}

/** The PKCE verifier of every request {@link OpenIdPageServer.authorizeUrl} builds. */
export const VERIFIER = randomBytes(32).toString('base64url');

/** One Set-Cookie line, parsed. */
export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case, with their values ('' for flags). */
  attributes: Map<string, string>;
}

export function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';');
  const at = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const [name = '', ...value] = part.trim().split('=');
    attributes.set(name.toLowerCase(), value.join('='));
  }
  return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim(), attributes };
}

/** A browser's cookies for the server: what it sends, updated from every response. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();
  /** The Set-Cookie lines of the last response, parsed. */
  lastSetCookies: SetCookie[] = [];

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  header(): Record<string, string> {
    const pairs = [...this.#cookies].map(([name, value]) => `${name}=${value}`);
    return pairs.length === 0 ? {} : { cookie: pairs.join('; ') };
  }

  take(response: Response): void {
    this.lastSetCookies = response.headers.getSetCookie().map(parseSetCookie);
    for (const cookie of this.lastSetCookies) {
      const expires = cookie.attributes.get('expires');
      if (cookie.value === '' || (expires !== undefined && new Date(expires).getTime() <= Date.now())) this.#cookies.delete(cookie.name);
      else this.#cookies.set(cookie.name, cookie.value);
    }
  }
}

/** The page or redirect a browser got. */
export interface Visit {
  status: number;
  html: string;
  /** The redirect's query, when it was a redirect. */
  redirect: URLSearchParams | null;
  hiddenFields: Array<[string, string]>;
}

async function visit(jar: CookieJar, response: Response): Promise<Visit> {
  jar.take(response);
  const html = await response.text();
  const location = response.headers.get('location');
  return { status: response.status, html, redirect: location === null ? null : new URL(location).searchParams, hiddenFields: hiddenFieldsOf(html) };
}

/** GETs the authorize URL as the browser `jar`, without following redirects. */
export async function open(jar: CookieJar, url: string): Promise<Visit> {
  return visit(jar, await fetch(url, { redirect: 'manual', headers: jar.header() }));
}

/** Posts the shown form (its hidden fields, `replace`d) with the user's fields, as the browser `jar`. */
export async function submit(
  server: OpenIdPageServer,
  jar: CookieJar,
  page: Visit,
  fields: Record<string, string>,
  replace: Record<string, string> = {},
): Promise<Visit> {
  const hidden = page.hiddenFields.map(([name, value]): [string, string] => [name, replace[name] ?? value]);
  const body = new URLSearchParams([...hidden, ...Object.entries(fields)]);
  return visit(jar, await fetch(`${server.origin}/auth/authorize`, { method: 'POST', body, redirect: 'manual', headers: jar.header() }));
}

/** Opens the page for `url` and signs `user` in with the password, approving. */
export async function signInAndApprove(
  server: OpenIdPageServer,
  jar: CookieJar,
  user: { username: string; password: string },
  url = server.authorizeUrl(),
): Promise<Visit> {
  const page = await open(jar, url);
  if (page.status !== 200) throw new Error(`expected the page, got ${page.status}`);
  return submit(server, jar, page, { username: user.username, password: user.password, decision: 'approve' });
}

/** What the database keeps of an authorization code. */
export interface CodeRow {
  user_id: string;
  nonce: string | null;
  auth_time: Date | null;
  amr: string | null;
  scope: string | null;
}

/** The database row of the code a redirect carried (found by its digest, as the server finds it). */
export async function codeOf(server: OpenIdPageServer, code: string | null | undefined): Promise<CodeRow | undefined> {
  if (code === null || code === undefined) return undefined;
  const result = await server.pglite.query<CodeRow>(
    'SELECT user_id, nonce, auth_time, amr, scope FROM oauth_authorization_codes WHERE code_hash = $1',
    [createHash('sha256').update(code).digest('hex')],
  );
  return result.rows[0];
}

/** How many authorization codes the database holds. */
export async function codeCount(server: OpenIdPageServer): Promise<number> {
  const result = await server.pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM oauth_authorization_codes');
  return result.rows[0]?.n ?? 0;
}

/** The sign-in sessions in the database. */
export async function sessionRows(server: OpenIdPageServer): Promise<Array<{ id: string; secret_hash: string; user_id: string; amr: string | null }>> {
  const result = await server.pglite.query<{ id: string; secret_hash: string; user_id: string; amr: string | null }>(
    'SELECT id, secret_hash, user_id, amr FROM oauth_sessions ORDER BY created_at, id',
  );
  return result.rows;
}

/** The consent grants in the database. */
export async function consentRows(server: OpenIdPageServer): Promise<Array<{ user_id: string; client_id: string; scope: string | null }>> {
  const result = await server.pglite.query<{ user_id: string; client_id: string; scope: string | null }>(
    'SELECT user_id, client_id, scope FROM oauth_consent_grants ORDER BY user_id',
  );
  return result.rows;
}
