/**
 * An OpenID provider for the ID-token tests: OAuthProvider with OpenID Connect on, on the in-memory
 * storage, with a test clock, the real oauth2-server and the Koa router, served over loopback HTTP.
 * Codes are made as the authorization endpoint makes them once the user approved
 * (`issueAuthorizationCode`, with the request's nonce and the sign-in's authentication), and
 * exchanged and refreshed at the token endpoint; ID tokens are verified with `jose` against the
 * router's JWKS, at the provider's clock.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { generateSigningKeyEncryptionKey, OAuthProvider, type Authentication, type ClientOpenIdInput, type OAuthProviderOptions } from '../../../src/core/index.js';
import { credentialsOf } from '../../../src/core/provider/provider-link.js';
import { createOAuthRouter } from '../../../src/koa/index.js';
import { createTestClock, MemoryStorage, type TestClock } from '../../../src/testing/index.js';
import { basic, serve, type ServedApp } from '../../koa/support/http-server.js';

export const ISSUER = 'https://login.example';
export const REDIRECT_URI = 'https://rp.example/callback';

/** A token endpoint's answer: its status and JSON body. */
export interface TokenAnswer {
  status: number;
  json: Record<string, unknown>;
}

export interface IdTokenServer extends ServedApp {
  provider: OAuthProvider;
  storage: MemoryStorage;
  clock: TestClock;
  /** A confidential client with the code and refresh grants, allowed `openid` and `read`. */
  client: { id: string; secret: string };
  user: { id: string; username: string; password: string };
  /** Registers a confidential client like {@link client}, with OpenID Connect settings of its own. */
  createClient(id: string, settings?: ClientOpenIdInput): Promise<{ id: string; secret: string }>;
  /** A code for the user, as the authorization endpoint stores it once the user approved. */
  issueCode(options?: { client?: { id: string }; scope?: string[]; audience?: string[]; nonce?: string | null; authentication?: Authentication }): Promise<string>;
  /** Exchanges a code at the token endpoint (RFC 6749 §4.1.3). */
  exchange(code: string, client?: { id: string; secret: string }): Promise<TokenAnswer>;
  /** Exchanges a refresh token (RFC 6749 §6). */
  refresh(refreshToken: string, client?: { id: string; secret: string }): Promise<TokenAnswer>;
  /** Any other grant's request, authenticated as `client`. */
  token(parameters: Record<string, string>, client?: { id: string; secret: string }): Promise<TokenAnswer>;
  /** Verifies an ID token against the JWKS at the provider's clock; throws when it does not verify. */
  verify(idToken: string, options?: { audience?: string; algorithms?: string[] }): Promise<{ payload: JWTPayload; protectedHeader: ProtectedHeaderParameters }>;
}

/** When the user signed in, in the tests: an hour before the clock's start. */
export const SIGNED_IN: Authentication = { authTime: new Date('2029-12-31T23:00:00.000Z'), acr: 'urn:example:loa:2', amr: 'pwd otp' };

export async function startIdTokenServer(providerOptions: OAuthProviderOptions = {}): Promise<IdTokenServer> {
  const clock = createTestClock();
  const storage = new MemoryStorage();
  const provider = new OAuthProvider(storage, {
    issuer: ISSUER,
    signingKeys: { encryptionKey: generateSigningKeyEncryptionKey() },
    openid: {},
    allowPasswordGrant: true,
    passwordHashCost: { N: 2, r: 1, p: 1 },
    now: clock.now,
    ...providerOptions,
  });
  const router = createOAuthRouter({
    provider,
    server: new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) }),
    issuer: ISSUER,
  });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const served = await serve(app);

  await provider.scopes.define('openid', 'Sign you in');
  await provider.scopes.define('read', 'Read your notes');
  const createClient = async (id: string, settings: ClientOpenIdInput = {}) => {
    const created = await provider.clients.create({
      id,
      name: `Relying party ${id}`,
      grants: ['authorization_code', 'refresh_token', 'client_credentials', 'password'],
      redirectUris: [REDIRECT_URI],
      scopes: ['openid', 'read'],
      ...settings,
    });
    return { id, secret: created.clientSecret ?? '' };
  };
  const client = await createClient('rp');
  const password = 'correct horse battery staple';
  const user = await provider.users.create({ username: 'alice', password });
  const credentials = credentialsOf(provider);
  const jwks = createRemoteJWKSet(new URL(`${served.origin}/auth/jwks`));

  const token = async (parameters: Record<string, string>, as = client): Promise<TokenAnswer> => {
    const response = await fetch(`${served.origin}/auth/token`, {
      method: 'POST',
      headers: { authorization: basic(as.id, as.secret) },
      body: new URLSearchParams(parameters),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  return {
    ...served,
    provider,
    storage,
    clock,
    client,
    user: { id: user.id, username: user.username, password },
    createClient,
    async issueCode(options = {}) {
      const record = await storage.findClient(options.client?.id ?? client.id);
      if (record === null) throw new Error('no such client');
      const issued = await credentials.issueAuthorizationCode({
        client: record,
        userId: user.id,
        redirectUri: REDIRECT_URI,
        scope: options.scope ?? ['openid', 'read'],
        ...(options.audience ? { audience: options.audience } : {}),
        codeChallenge: null,
        codeChallengeMethod: null,
        nonce: options.nonce ?? null,
        authentication: options.authentication ?? SIGNED_IN,
      });
      return issued.code;
    },
    exchange: (code, as = client) => token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, as),
    refresh: (refreshToken, as = client) => token({ grant_type: 'refresh_token', refresh_token: refreshToken }, as),
    token,
    verify: (idToken, options = {}) =>
      jwtVerify(idToken, jwks, {
        issuer: ISSUER,
        audience: options.audience ?? client.id,
        currentDate: clock.now(),
        ...(options.algorithms ? { algorithms: options.algorithms } : {}),
      }),
  };
}

/** The ID token of an answer, failing loudly when there is none. */
export function idTokenOf(answer: TokenAnswer): string {
  const idToken = answer.json['id_token'];
  if (typeof idToken !== 'string') throw new Error(`no id_token: ${answer.status} ${JSON.stringify(answer.json)}`);
  return idToken;
}
