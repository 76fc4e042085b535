/**
 * oauth2-kit's authorization server on its own loopback origin, as a resource server elsewhere
 * meets it: its RFC 8414 metadata, its JWKS, its token, revocation and introspection endpoints,
 * over HTTP. It signs JWT access tokens (RFC 9068) for the resources defined with the jwt format
 * and issues opaque tokens for the others; it counts the requests to its JWKS and introspection
 * endpoints.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import { generateSigningKeyEncryptionKey, OAuthProvider, type SigningAlgorithm } from '../../../src/core/index.js';
import { createOAuthRouter } from '../../../src/koa/index.js';
import { MemoryStorage, type TestClock } from '../../../src/testing/index.js';
import { basic, type ServedApp } from '../../koa/support/http-server.js';
import { serveAtOwnOrigin } from '../../koa/support/own-origin.js';

/** A resource whose tokens are JWTs. */
export const NOTES = 'https://notes.example.com/api';
/** Another resource whose tokens are JWTs, of the same issuer. */
export const BILLING = 'https://billing.example.com/api';
/** A resource whose tokens are opaque. */
export const LEGACY = 'https://legacy.example.com/api';
/** Another resource whose tokens are opaque, of the same issuer. */
export const ARCHIVE = 'https://archive.example.com/api';

export interface Credentials {
  id: string;
  secret: string;
}

export interface IssuingServer extends ServedApp {
  provider: OAuthProvider;
  /** The issuer identifier: the server's origin. */
  issuer: string;
  /** A confidential client with client_credentials and password grants, scopes notes:read and notes:write. */
  app: Credentials;
  /** The resource server's own client, allowed to introspect every client's tokens (RFC 7662 §4). */
  resourceServer: Credentials;
  /** The user of the password grant. */
  user: { id: string; username: string; password: string };
  jwksRequests(): number;
  introspections(): number;
  /** An access token of `app` for `resource`, on its own behalf (client_credentials). */
  clientToken(resource: string, scope?: string): Promise<string>;
  /** An access token of `app` for `resource`, for the user (password grant). */
  userToken(resource: string, scope?: string): Promise<string>;
  revoke(token: string): Promise<void>;
}

/** Starts the server; `clock` (a test clock) is its provider's, the wall clock otherwise. */
export async function startIssuingServer(options: { clock?: TestClock; algorithm?: SigningAlgorithm } = {}): Promise<IssuingServer> {
  let provider: OAuthProvider | undefined;
  let jwksRequests = 0;
  let introspections = 0;
  const served = await serveAtOwnOrigin((origin) => {
    provider = new OAuthProvider(new MemoryStorage(), {
      issuer: origin,
      signingKeys: { encryptionKey: generateSigningKeyEncryptionKey(), ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm }) },
      allowPasswordGrant: true,
      passwordHashCost: { N: 1024, r: 8, p: 1 },
      ...(options.clock === undefined ? {} : { now: options.clock.now }),
    });
    const router = createOAuthRouter({
      provider,
      server: new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) }),
      issuer: origin,
    });
    const app = new Koa();
    app.use(async (ctx, next) => {
      if (ctx.path === '/auth/jwks') jwksRequests += 1;
      if (ctx.path === '/auth/introspect') introspections += 1;
      await next();
    });
    app.use(router.routes()).use(router.allowedMethods());
    return app;
  });
  const admin = provider!;
  await admin.scopes.define('notes:read');
  await admin.scopes.define('notes:write');
  await admin.resources.define({ id: NOTES, name: 'Notes', tokenFormat: 'jwt' });
  await admin.resources.define({ id: BILLING, name: 'Billing', tokenFormat: 'jwt' });
  await admin.resources.define({ id: LEGACY, name: 'Legacy' });
  await admin.resources.define({ id: ARCHIVE, name: 'Archive' });
  const app = await admin.clients.create({ id: 'app', name: 'App', grants: ['client_credentials', 'password'], scopes: ['notes:read', 'notes:write'] });
  const resourceServer = await admin.clients.create({ id: 'notes-api', name: 'Notes API', grants: ['client_credentials'], allowIntrospection: true });
  const user = { username: 'alice', password: 'correct horse battery staple' };
  const created = await admin.users.create(user);
  const appAuthorization = { authorization: basic(app.client.id, app.clientSecret ?? '') };

  const token = async (parameters: Record<string, string>): Promise<string> => {
    const response = await fetch(`${served.origin}/auth/token`, { method: 'POST', headers: appAuthorization, body: new URLSearchParams(parameters) });
    const json = (await response.json()) as { access_token?: string };
    if (json.access_token === undefined) throw new Error(`no token: ${response.status} ${JSON.stringify(json)}`);
    return json.access_token;
  };

  return {
    ...served,
    provider: admin,
    issuer: served.origin,
    app: { id: app.client.id, secret: app.clientSecret ?? '' },
    resourceServer: { id: resourceServer.client.id, secret: resourceServer.clientSecret ?? '' },
    user: { id: created.id, ...user },
    jwksRequests: () => jwksRequests,
    introspections: () => introspections,
    clientToken: (resource, scope = 'notes:read') => token({ grant_type: 'client_credentials', scope, resource }),
    userToken: (resource, scope = 'notes:read') => token({ grant_type: 'password', username: user.username, password: user.password, scope, resource }),
    async revoke(revoked) {
      const response = await fetch(`${served.origin}/auth/revoke`, { method: 'POST', headers: appAuthorization, body: new URLSearchParams({ token: revoked }) });
      if (response.status !== 200) throw new Error(`revocation answered ${response.status}`);
    },
  };
}
