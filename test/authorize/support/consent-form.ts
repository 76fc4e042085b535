/**
 * Drives the sign-in/consent page over plain HTTP the way a browser would: GET the authorize URL,
 * keep the cookie, post the form's hidden fields back with the user's input. Also the client's
 * side: PKCE pairs and the code exchange.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthorizationServer } from './authorization-server.js';

/** The page as a browser received it. */
export interface ShownPage {
  status: number;
  headers: Headers;
  html: string;
  /** `name=value` of the form-binding cookie the response set, if any. */
  cookie: string | undefined;
  /** The form's hidden fields, in order, unescaped. */
  hiddenFields: Array<[string, string]>;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** The hidden inputs of a page, as `[name, value]` pairs. */
export function hiddenFieldsOf(html: string): Array<[string, string]> {
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(
    ([, name, value]) => [unescapeHtml(name ?? ''), unescapeHtml(value ?? '')] as [string, string],
  );
}

/** GETs a URL (the authorize URL) without following redirects, as a browser holding `cookie`. */
export async function openPage(url: string, cookie?: string): Promise<ShownPage> {
  const response = await fetch(url, { redirect: 'manual', headers: cookie === undefined ? {} : { cookie } });
  const html = await response.text();
  const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('oauth2kit-form='));
  return {
    status: response.status,
    headers: response.headers,
    html,
    cookie: setCookie?.split(';')[0] ?? cookie,
    hiddenFields: hiddenFieldsOf(html),
  };
}

/** Options of {@link submitPage}. */
export interface SubmitOptions {
  /** The cookie to send; default the page's. `null` sends none. */
  cookie?: string | null;
  /** Hidden fields to replace (or add) before posting. */
  replace?: Record<string, string>;
  /** The router prefix the page is under. Default `/auth`. */
  prefix?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** Posts the page's form with the user's fields (e.g. `{ username, password, decision }`). */
export async function submitPage(
  server: AuthorizationServer,
  page: ShownPage,
  userFields: Record<string, string>,
  options: SubmitOptions = {},
): Promise<Response> {
  const replace = options.replace ?? {};
  const fields = page.hiddenFields.map(([name, value]): [string, string] => [name, replace[name] ?? value]);
  for (const [name, value] of Object.entries(replace)) if (!fields.some(([shown]) => shown === name)) fields.push([name, value]);
  const body = new URLSearchParams([...fields, ...Object.entries(userFields)]);
  const cookie = options.cookie === undefined ? page.cookie : options.cookie;
  return fetch(`${server.origin}${options.prefix ?? '/auth'}/authorize`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { ...options.headers, ...(cookie === null || cookie === undefined ? {} : { cookie }) },
  });
}

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1–4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A valid authorization request of the public client, with `overrides` applied. */
export function spaRequest(server: AuthorizationServer, challenge: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    client_id: server.spa.id,
    redirect_uri: server.redirectUri,
    scope: 'read',
    state: 'xyz-state',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
}

/** The query of a redirect's `Location`, with the URL it points at (without query). */
export function redirectOf(response: { headers: Headers }): { target: string; query: URLSearchParams } {
  const location = response.headers.get('location');
  if (location === null) throw new Error('expected a redirect, got no Location');
  const url = new URL(location);
  return { target: `${url.origin}${url.pathname}`, query: url.searchParams };
}

/** Signs `server.user` in on the page for `parameters` and approves; returns the redirect's query. */
export async function approveAs(server: AuthorizationServer, parameters: Record<string, string>): Promise<URLSearchParams> {
  const page = await openPage(server.authorizeUrl(parameters));
  if (page.status !== 200) throw new Error(`the authorize page answered ${page.status}`);
  const response = await submitPage(server, page, {
    username: server.user.username,
    password: server.user.password,
    decision: 'approve',
  });
  return redirectOf(response).query;
}

/** POSTs to the token endpoint; returns status and parsed JSON. */
export async function tokenRequest(
  server: AuthorizationServer,
  parameters: Record<string, string>,
  authorization?: string,
): Promise<{ status: number; json: Record<string, any> }> {
  const response = await fetch(`${server.origin}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams(parameters),
    headers: authorization === undefined ? {} : { authorization },
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

/** The public client's code exchange (RFC 6749 §4.1.3 with RFC 7636 §4.5). */
export function exchangeSpaCode(
  server: AuthorizationServer,
  code: string,
  verifier: string,
  overrides: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, any> }> {
  return tokenRequest(server, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: server.redirectUri,
    client_id: server.spa.id,
    code_verifier: verifier,
    ...overrides,
  });
}

/** GET /api/me with a bearer token. */
export async function me(server: AuthorizationServer, accessToken: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, json: response.status === 200 ? await response.json() : null };
}
