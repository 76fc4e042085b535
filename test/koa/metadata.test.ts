/** The RFC 8414 authorization server metadata document. */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import Koa from 'koa';
import { createAuthController, OAuthProvider, type OAuthProviderOptions } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { createOAuthRouter, type OAuthRouterOptions } from '../../src/koa/index.js';
import { echoAuthController } from './support/echo-interactors.js';
import { getWithHeaders, serve } from './support/http-server.js';

type Metadata = Record<string, unknown>;

async function metadataOf(options: Partial<OAuthRouterOptions>, path = '/.well-known/oauth-authorization-server') {
  const app = new Koa();
  // Interactors of the router's own making when given a provider and server, else a stand-in.
  const router = createOAuthRouter(('provider' in options ? options : { authController: echoAuthController(), ...options }) as OAuthRouterOptions);
  app.use(router.routes()).use(router.allowedMethods());
  const served = await serve(app);
  try {
    const response = await fetch(`${served.origin}${path}`);
    const body = response.status === 200 ? ((await response.json()) as Metadata) : undefined;
    return { status: response.status, headers: response.headers, body, origin: served.origin };
  } finally {
    await served.close();
  }
}

/** The metadata as served to a request carrying a `Host` header of the caller's choosing. */
async function metadataForHost(options: Partial<OAuthRouterOptions>, host: string) {
  const app = new Koa();
  const router = createOAuthRouter({ authController: echoAuthController(), ...options });
  app.use(router.routes());
  const served = await serve(app);
  try {
    return await getWithHeaders(`${served.origin}/.well-known/oauth-authorization-server`, { host });
  } finally {
    await served.close();
  }
}

const noopHandler = async () => {};

test('RFC 8414 §2 — the document names the configured issuer and the endpoints under its origin', async (t) => {
  const { body, headers } = await metadataOf({ issuer: 'https://login.example.com', prefix: '/oauth' });
  t.regex(headers.get('content-type') ?? '', /^application\/json/);
  t.is(body?.issuer, 'https://login.example.com');
  t.is(body?.token_endpoint, 'https://login.example.com/oauth/token');
  t.is(body?.revocation_endpoint, 'https://login.example.com/oauth/revoke');
  t.is(body?.introspection_endpoint, 'https://login.example.com/oauth/introspect');
});

test('RFC 8414 §2 — the document lists the client authentication methods of every endpoint', async (t) => {
  const { body } = await metadataOf({ issuer: 'https://login.example.com' });
  const methods = ['client_secret_basic', 'client_secret_post', 'none'];
  t.deepEqual(body?.token_endpoint_auth_methods_supported, methods);
  t.deepEqual(body?.revocation_endpoint_auth_methods_supported, methods);
  t.deepEqual(body?.introspection_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post']);
});

test('RFC 8414 §2 — without an authorize handler the document has no authorization endpoint and no response type', async (t) => {
  const { body } = await metadataOf({ issuer: 'https://login.example.com' });
  t.false('authorization_endpoint' in (body ?? {}));
  t.deepEqual(body?.response_types_supported, []);
  t.deepEqual(body?.grant_types_supported, ['client_credentials', 'refresh_token']);
  t.false('authorization_response_iss_parameter_supported' in (body ?? {}));
});

test('RFC 8414 §2 — with an authorize handler the document offers the code flow with S256 PKCE', async (t) => {
  const { body } = await metadataOf({ issuer: 'https://login.example.com', authorize: { get: noopHandler } });
  t.is(body?.authorization_endpoint, 'https://login.example.com/auth/authorize');
  t.deepEqual(body?.response_types_supported, ['code']);
  t.deepEqual(body?.grant_types_supported, ['authorization_code', 'client_credentials', 'refresh_token']);
  t.deepEqual(body?.code_challenge_methods_supported, ['S256']);
  t.is(body?.authorization_response_iss_parameter_supported, true, 'RFC 9207 §3');
});

/** The pieces of a real token endpoint on a provider with `options`. */
function realEndpoint(options: OAuthProviderOptions = {}) {
  const provider = new OAuthProvider(new MemoryStorage(), options);
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  return { provider, server };
}

test('RFC 9700 §2.4 — the metadata does not advertise the password grant of a provider without allowPasswordGrant', async (t) => {
  const { provider, server } = realEndpoint();
  const built = await metadataOf({ issuer: 'https://login.example.com', provider, server } as Partial<OAuthRouterOptions>);
  t.deepEqual(built.body?.grant_types_supported, ['client_credentials', 'refresh_token']);
  const prebuilt = await metadataOf({ issuer: 'https://login.example.com', authController: createAuthController({ provider, server }) });
  t.deepEqual(prebuilt.body?.grant_types_supported, ['client_credentials', 'refresh_token']);
});

test('RFC 8414 §2 — the metadata advertises the password grant of a provider with allowPasswordGrant', async (t) => {
  const { provider, server } = realEndpoint({ allowPasswordGrant: true });
  const { body } = await metadataOf({
    issuer: 'https://login.example.com',
    authController: createAuthController({ provider, server }),
    authorize: { get: noopHandler },
  });
  t.deepEqual(body?.grant_types_supported, ['authorization_code', 'client_credentials', 'password', 'refresh_token']);
});

test('RFC 9700 §2.4 — grantTypesSupported naming the password grant is refused when the token endpoint does not offer it', (t) => {
  const { provider, server } = realEndpoint();
  const authController = createAuthController({ provider, server });
  t.throws(() => createOAuthRouter({ authController, grantTypesSupported: ['client_credentials', 'password'] }), {
    instanceOf: TypeError,
    message: /allowPasswordGrant: true/,
  });
});

test('configured grant types, PKCE methods and scopes replace the defaults', async (t) => {
  const { body } = await metadataOf({
    issuer: 'https://login.example.com',
    grantTypesSupported: ['client_credentials'],
    codeChallengeMethodsSupported: ['S256', 'plain'],
    scopesSupported: ['read', 'write'],
  });
  t.deepEqual(body?.grant_types_supported, ['client_credentials']);
  t.deepEqual(body?.code_challenge_methods_supported, ['S256', 'plain']);
  t.deepEqual(body?.scopes_supported, ['read', 'write']);
});

test('scopes_supported is omitted when no scopes are configured', async (t) => {
  const { body } = await metadataOf({ issuer: 'https://login.example.com' });
  t.false('scopes_supported' in (body ?? {}));
});

test('RFC 8414 §3 — an issuer with a path is served at the well-known path followed by that path', async (t) => {
  const at = await metadataOf({ issuer: 'https://login.example.com/tenant-a' }, '/.well-known/oauth-authorization-server/tenant-a');
  t.is(at.body?.issuer, 'https://login.example.com/tenant-a');
  const bare = await metadataOf({ issuer: 'https://login.example.com/tenant-a' });
  t.is(bare.status, 404);
});

test('without a configured issuer the issuer is the request origin and the document is not cacheable', async (t) => {
  const { body, headers, origin } = await metadataOf({});
  t.is(body?.issuer, origin);
  t.is(body?.token_endpoint, `${origin}/auth/token`);
  t.is(headers.get('cache-control'), 'no-store');
});

test('a derived issuer follows the Host header the caller sends', async (t) => {
  const { json } = await metadataForHost({}, 'attacker.example');
  t.is((json as Metadata).issuer, 'http://attacker.example');
});

test('a configured issuer ignores the Host header the caller sends', async (t) => {
  const { json } = await metadataForHost({ issuer: 'https://login.example.com' }, 'attacker.example');
  t.is((json as Metadata).issuer, 'https://login.example.com');
  t.is((json as Metadata).token_endpoint, 'https://login.example.com/auth/token');
});

test('a Host header that makes no origin is answered 400 when the issuer is derived', async (t) => {
  const { status, json } = await metadataForHost({}, 'bad host');
  t.is(status, 400);
  t.is((json as Metadata).error, 'invalid_request');
});

test('RFC 8414 §2 — an issuer that is not an https URL without query or fragment is refused at construction', (t) => {
  for (const issuer of ['login.example.com', 'http://login.example.com', 'https://login.example.com/?a=b', 'https://login.example.com#x', 'https://u:p@login.example.com']) {
    t.throws(() => createOAuthRouter({ authController: echoAuthController(), issuer }), { instanceOf: TypeError }, issuer);
  }
});

test('a loopback issuer may use http, for development', (t) => {
  t.notThrows(() => createOAuthRouter({ authController: echoAuthController(), issuer: 'http://127.0.0.1:3000' }));
});
