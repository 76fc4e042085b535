/**
 * An OpenID provider for the RP-Initiated Logout tests: OAuthSqlProvider with OpenID Connect on, on
 * a fresh migrated PGlite database, a test clock, and the Koa router (which serves
 * `{prefix}/logout` because `openid` is on), over loopback HTTP. Browsers are cookie jars; a
 * browser signs in as the authorization page does it (`credentials.sessions.begin`), and ID tokens
 * are signed with the provider's own signing key, as the token endpoint signs them.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import OAuth2Server from '@node-oauth/oauth2-server';
import { SignJWT, type JWTPayload } from 'jose';
import Koa from 'koa';
import { generateSigningKeyEncryptionKey, type OAuthProvider, type OAuthProviderOptions } from '../../../src/core/index.js';
import { credentialsOf } from '../../../src/core/provider/provider-link.js';
import { createOAuthRouter } from '../../../src/koa/index.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../../src/providers/sql/index.js';
import { createTestClock, type TestClock } from '../../../src/testing/index.js';
import { provisionPGlite } from '../../support/databases.js';
import { serve, type ServedApp } from '../../koa/support/http-server.js';

export const ISSUER = 'https://login.example';
/** The relying party `rp`'s registered post-logout redirect URIs. */
export const SIGNED_OUT_URI = 'https://rp.example/signed-out';
export const SIGNED_OUT_WITH_QUERY = 'https://rp.example/bye?from=op';
/** The other relying party's. */
export const OTHER_SIGNED_OUT_URI = 'https://other.example/signed-out';
/** The session cookie's name over plain HTTP. */
export const SESSION_COOKIE = 'oauth2kit-session';
/** 32 bytes, base64url: the provider's pairwise secret. */
const PAIRWISE_SECRET = Buffer.alloc(32, 7).toString('base64url');

/** A browser's cookies, kept across requests the way a browser keeps them (for one host). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** The `Cookie` header to send, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  /** Takes in a response's `Set-Cookie` lines: an expired or emptied cookie is removed. */
  absorb(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const equals = pair.indexOf('=');
      const name = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      const expires = attributes.find((attribute) => attribute.toLowerCase().startsWith('expires='));
      const expired = expires !== undefined && new Date(expires.slice('expires='.length)).getTime() <= Date.now();
      if (value === '' || expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}

/** A response as a browser received it. */
export interface Answer {
  status: number;
  headers: Headers;
  html: string;
  /** `Location`, or null when the answer is no redirect. */
  location: string | null;
  /** The `Set-Cookie` lines. */
  setCookies: string[];
}

export interface LogoutServer extends ServedApp {
  provider: OAuthProvider;
  clock: TestClock;
  users: { alice: string; bob: string };
  /** `${origin}/auth/logout`, with `parameters` as the query. */
  logoutUrl(parameters?: Record<string, string>): string;
  /** A browser in which `userId` has signed in: its jar holds the session cookie; the session's id. */
  signIn(userId: string, jar?: CookieJar): Promise<{ jar: CookieJar; sessionId: string }>;
  /**
   * An ID token for `sub` at client `aud`, signed with the provider's signing key as the token
   * endpoint signs them; `claims` and `header` override the defaults, `key` replaces the key.
   */
  idToken(options: { sub: string; aud?: string | string[]; claims?: JWTPayload; header?: Record<string, unknown>; key?: SigningKey }): Promise<string>;
  /** GETs `url` as the browser `jar`, without following redirects. */
  get(url: string, jar?: CookieJar): Promise<Answer>;
  /** POSTs a form to the logout endpoint as the browser `jar`. */
  post(fields: Array<[string, string]> | Record<string, string>, jar?: CookieJar): Promise<Answer>;
  /** The provider's signing key, as the token endpoint signs with it. */
  providerKey(): Promise<SigningKey>;
  /** The sign-in sessions in the database: id and user. */
  sessionRows(): Promise<Array<{ id: string; user_id: string }>>;
}

/** Starts the server, with more provider options when given. */
export async function startLogoutServer(options: { providerOptions?: OAuthProviderOptions } = {}): Promise<LogoutServer> {
  const database = await provisionPGlite();
  const clock = createTestClock();
  const provider = new OAuthSqlProvider(pgliteAdapter(database.pglite), {
    issuer: ISSUER,
    signingKeys: { encryptionKey: generateSigningKeyEncryptionKey() },
    openid: { pairwiseSecret: PAIRWISE_SECRET },
    passwordHashCost: { N: 2, r: 1, p: 1 },
    now: clock.now,
    ...options.providerOptions,
  });
  const router = createOAuthRouter({
    provider,
    server: new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) }),
    issuer: ISSUER,
  });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const served = await serve(app);

  const credentials = credentialsOf(provider);
  await provider.scopes.define('openid', 'Sign you in');
  const register = async (id: string, redirectUri: string, postLogoutRedirectUris: string[], subjectType: 'public' | 'pairwise' = 'public') => {
    await provider.clients.create({ id, name: `Relying party ${id}`, grants: ['authorization_code'], redirectUris: [redirectUri], scopes: ['openid'] });
    // The OpenID client settings go through the storage: the management API may not take them yet.
    await credentials.storage.management.updateClient(id, { postLogoutRedirectUris, subjectType }, clock.now());
  };
  await register('rp', 'https://rp.example/callback', [SIGNED_OUT_URI, SIGNED_OUT_WITH_QUERY]);
  await register('other', 'https://other.example/callback', [OTHER_SIGNED_OUT_URI]);
  await register('pairwise-rp', 'https://pairwise.example/callback', ['https://pairwise.example/signed-out'], 'pairwise');
  const alice = await provider.users.create({ username: 'alice', password: 'correct horse battery staple' });
  const bob = await provider.users.create({ username: 'bob', password: 'correct horse battery staple' });

  const providerKey = async (): Promise<SigningKey> => {
    const { key, privateKey } = await credentials.keyRing!.signingKey(clock.now());
    return { privateKey, alg: key.publicJwk.alg, kid: key.record.id };
  };
  const answer = async (response: Response, jar: CookieJar | undefined): Promise<Answer> => {
    jar?.absorb(response);
    return {
      status: response.status,
      headers: response.headers,
      html: await response.text(),
      location: response.headers.get('location'),
      setCookies: response.headers.getSetCookie(),
    };
  };
  const cookieHeader = (jar: CookieJar | undefined): Record<string, string> => {
    const header = jar?.header();
    return header === undefined ? {} : { cookie: header };
  };

  return {
    ...served,
    provider,
    clock,
    users: { alice: alice.id, bob: bob.id },
    providerKey,
    logoutUrl: (parameters = {}) => `${served.origin}/auth/logout${Object.keys(parameters).length === 0 ? '' : `?${new URLSearchParams(parameters)}`}`,
    async signIn(userId, jar = new CookieJar()) {
      const begun = await credentials.sessions.begin(userId, { amr: ['pwd'] });
      if (begun === null) throw new Error('the provider keeps no sessions');
      jar.set(SESSION_COOKIE, begun.secret);
      return { jar, sessionId: begun.session.id };
    },
    async idToken({ sub, aud = 'rp', claims = {}, header = {}, key }) {
      const now = Math.floor(clock.now().getTime() / 1000);
      const signing = key ?? (await providerKey());
      return new SignJWT({ iss: ISSUER, sub, aud, iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ alg: signing.alg, typ: 'JWT', ...(signing.kid === undefined ? {} : { kid: signing.kid }), ...header })
        .sign(signing.privateKey);
    },
    get: async (url, jar) => answer(await fetch(url, { redirect: 'manual', headers: cookieHeader(jar) }), jar),
    post: async (fields, jar) =>
      answer(await fetch(`${served.origin}/auth/logout`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual', headers: cookieHeader(jar) }), jar),
    async sessionRows() {
      const result = await database.pglite.query<{ id: string; user_id: string }>('SELECT id, user_id FROM oauth_sessions ORDER BY id');
      return result.rows;
    },
    async close() {
      await served.close();
      await database.close();
    },
  };
}

/** A key to sign a test's ID token with, and the `kid` to name (none when undefined). */
export interface SigningKey {
  privateKey: KeyObject;
  alg: string;
  kid?: string;
}

/** An ES256 key pair the provider never saw. */
export function foreignKey(): SigningKey {
  return { privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, alg: 'ES256' };
}

/** The hidden fields of a page's form, unescaped. */
export function hiddenFieldsOf(html: string): Array<[string, string]> {
  const unescape = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" })[entity] ?? entity);
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(([, name, value]) => [unescape(name ?? ''), unescape(value ?? '')]);
}
