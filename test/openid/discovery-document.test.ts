/**
 * OpenID Provider Metadata (OIDC Discovery 1.0 §3, §4) over real HTTP: where it is served, what it
 * announces, and that it is the RFC 8414 document with the OpenID members added.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import Koa from 'koa';
import { randomBytes } from 'node:crypto';
import { createAuthController, createOpenIdDiscovery, createUserInfoEndpoint, generateSigningKeyEncryptionKey } from '../../src/core/index.js';
import { createOAuthRouter } from '../../src/koa/index.js';
import { serve } from '../koa/support/http-server.js';
import { closeUserInfoDatabase, ISSUER, startUserInfoServer, type UserInfoServer } from './support/userinfo-server.js';

test.after.always(closeUserInfoDatabase);

type Started = Parameters<typeof startUserInfoServer>[0];

/** The router's authorization endpoint, so that the metadata names it (its behaviour is not under test here). */
const AUTHORIZE = { get: async () => {} };

async function started(t: { teardown(fn: () => Promise<void>): void }, options: Started = {}): Promise<UserInfoServer> {
  const server = await startUserInfoServer({ ...options, router: { authorize: AUTHORIZE, ...options.router } });
  t.teardown(() => server.close());
  return server;
}

async function document(server: UserInfoServer, path = '/.well-known/openid-configuration'): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.origin}${path}`);
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

test.serial("OIDC Discovery §4.2 — /.well-known/openid-configuration answers 200 JSON whose issuer is the provider's", async (t) => {
  const server = await started(t);
  const response = await fetch(`${server.origin}/.well-known/openid-configuration`);
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^application\/json/);
  t.is(((await response.json()) as { issuer: string }).issuer, ISSUER);
});

test.serial('OIDC Discovery §3 — the endpoints are named under the issuer: authorization, token, userinfo, jwks, end session', async (t) => {
  const metadata = await document(await started(t));
  t.is(metadata['authorization_endpoint'], `${ISSUER}/auth/authorize`);
  t.is(metadata['token_endpoint'], `${ISSUER}/auth/token`);
  t.is(metadata['userinfo_endpoint'], `${ISSUER}/auth/userinfo`);
  t.is(metadata['jwks_uri'], `${ISSUER}/auth/jwks`);
  t.is(metadata['end_session_endpoint'], `${ISSUER}/auth/logout`);
});

test.serial('OIDC Discovery §3 — registration_endpoint is named when the provider offers dynamic registration', async (t) => {
  const metadata = await document(await started(t, { provider: { dynamicRegistration: { policy: 'public-clients' } } }));
  t.is(metadata['registration_endpoint'], `${ISSUER}/auth/register`);
});

test.serial('OIDC Discovery §3 — scopes_supported lists openid, first, beside the configured scopes', async (t) => {
  const metadata = await document(await started(t, { router: { scopesSupported: ['read', 'openid', 'profile'] } }));
  t.deepEqual(metadata['scopes_supported'], ['openid', 'read', 'profile']);
});

test.serial('OIDC Discovery §3 — scopes_supported lists openid even when the router was given no scopes', async (t) => {
  const metadata = await document(await started(t));
  t.deepEqual(metadata['scopes_supported'], ['openid']);
});

test.serial('OIDC Discovery §3 — the code flow only: response_types_supported is [code], response_modes_supported [query]', async (t) => {
  const metadata = await document(await started(t));
  t.deepEqual(metadata['response_types_supported'], ['code']);
  t.deepEqual(metadata['response_modes_supported'], ['query']);
});

test.serial('OIDC Discovery §3 — subject_types_supported is [public] without a pairwise secret', async (t) => {
  const metadata = await document(await started(t));
  t.deepEqual(metadata['subject_types_supported'], ['public']);
});

test.serial('OIDC Discovery §3 — subject_types_supported adds pairwise when a pairwise secret is configured (OIDC Core §8)', async (t) => {
  const metadata = await document(await started(t, { provider: { openid: { pairwiseSecret: randomBytes(32).toString('base64url') } } }));
  t.deepEqual(metadata['subject_types_supported'], ['public', 'pairwise']);
});

test.serial('OIDC Discovery §3 — id_token_signing_alg_values_supported names the default algorithm and RS256', async (t) => {
  const metadata = await document(await started(t));
  t.deepEqual(metadata['id_token_signing_alg_values_supported'], ['ES256', 'RS256']);
});

test.serial('OIDC Discovery §3 — id_token_signing_alg_values_supported starts with the configured idTokenSigningAlgorithm, then every algorithm the provider keeps keys for', async (t) => {
  const metadata = await document(await started(t, { provider: { openid: { idTokenSigningAlgorithm: 'EdDSA' } } }));
  t.deepEqual(metadata['id_token_signing_alg_values_supported'], ['EdDSA', 'RS256', 'ES256']);
});

test.serial('OIDC Discovery §3 — id_token_signing_alg_values_supported names the algorithms added with signingKeys.algorithms', async (t) => {
  const metadata = await document(
    await started(t, { provider: { signingKeys: { encryptionKey: generateSigningKeyEncryptionKey(), algorithms: ['EdDSA'] } } }),
  );
  t.deepEqual(metadata['id_token_signing_alg_values_supported'], ['ES256', 'RS256', 'EdDSA']);
});

test.serial('OIDC Discovery §3 — the claims, request and request_uri parameters are announced as unsupported', async (t) => {
  const metadata = await document(await started(t));
  t.is(metadata['claims_parameter_supported'], false);
  t.is(metadata['request_parameter_supported'], false);
  t.is(metadata['request_uri_parameter_supported'], false);
});

test.serial('OIDC Discovery §3 — without a claims hook, claims_supported names sub, the ID token claims and preferred_username', async (t) => {
  const metadata = await document(await started(t));
  t.deepEqual(metadata['claims_supported'], ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'preferred_username']);
});

test.serial('OIDC Discovery §3 — with a claims hook, claims_supported names every standard claim (OIDC Core §5.1)', async (t) => {
  const metadata = await document(await started(t, { provider: { openid: { claims: () => ({}) } } }));
  const claims = metadata['claims_supported'] as string[];
  for (const claim of ['sub', 'name', 'email', 'email_verified', 'address', 'phone_number', 'phone_number_verified', 'updated_at']) t.true(claims.includes(claim), claim);
});

test.serial('OIDC Discovery §3 — prompt_values_supported is none, login and consent; PKCE is S256', async (t) => {
  const metadata = await document(await started(t));
  t.deepEqual(metadata['prompt_values_supported'], ['none', 'login', 'consent']);
  t.deepEqual(metadata['code_challenge_methods_supported'], ['S256']);
});

test.serial('OIDC Discovery §3 — grant_types_supported and token_endpoint_auth_methods_supported are those of the token endpoint', async (t) => {
  const metadata = await document(await started(t));
  t.deepEqual(metadata['grant_types_supported'], ['authorization_code', 'client_credentials', 'password', 'refresh_token']);
  t.deepEqual(metadata['token_endpoint_auth_methods_supported'], ['client_secret_basic', 'client_secret_post', 'none']);
});

test.serial('OIDC Discovery §4.1 — an issuer with a path has its document under that path', async (t) => {
  const issuer = `${ISSUER}/tenant`;
  const server = await started(t, { provider: { issuer } });
  const metadata = await document(server, '/tenant/.well-known/openid-configuration');
  t.is(metadata['issuer'], issuer);
  t.is((await fetch(`${server.origin}/.well-known/openid-configuration`)).status, 404);
});

test.serial('RFC 8414 §5 — an issuer with a path has its OpenID document also where the RFC 8414 rule puts it', async (t) => {
  const issuer = `${ISSUER}/tenant`;
  const server = await started(t, { provider: { issuer } });
  t.deepEqual(await document(server, '/.well-known/openid-configuration/tenant'), await document(server, '/tenant/.well-known/openid-configuration'));
});

test.serial('OIDC Discovery §4.2 — the document is cacheable like the RFC 8414 one, and readable from any origin', async (t) => {
  const server = await started(t);
  const response = await fetch(`${server.origin}/.well-known/openid-configuration`, { headers: { origin: 'https://spa.example' } });
  t.is(response.headers.get('cache-control'), 'public, max-age=600');
  t.is(response.headers.get('access-control-allow-origin'), '*');
});

test.serial('OIDC Discovery §4 — a provider built without openid serves no OpenID document (404)', async (t) => {
  const server = await started(t, { provider: { openid: null } });
  t.is((await fetch(`${server.origin}/.well-known/openid-configuration`)).status, 404);
});

test.serial('RFC 8414 §2 — without openid, the authorization server metadata has no OpenID members', async (t) => {
  const metadata = await document(await started(t, { provider: { openid: null } }), '/.well-known/oauth-authorization-server');
  for (const member of ['userinfo_endpoint', 'end_session_endpoint', 'subject_types_supported', 'id_token_signing_alg_values_supported']) t.false(member in metadata, member);
});

test.serial('OIDC Discovery §3 — a router given prebuilt OpenID interactors serves the document, naming no end_session_endpoint when it serves no logout route', async (t) => {
  const server = await started(t);
  const { provider } = server;
  const router = createOAuthRouter({
    issuer: ISSUER,
    authController: createAuthController({ provider, server: new OAuth2Server({ model: provider.clientModel() }) }),
    userinfo: createUserInfoEndpoint({ provider }),
    openIdDiscovery: createOpenIdDiscovery({ provider }),
  });
  const app = new Koa();
  app.use(router.routes());
  const prebuilt = await serve(app);
  t.teardown(() => prebuilt.close());
  const response = await fetch(`${prebuilt.origin}/.well-known/openid-configuration`);
  t.is(response.status, 200);
  const metadata = (await response.json()) as Record<string, unknown>;
  t.is(metadata['userinfo_endpoint'], `${ISSUER}/auth/userinfo`);
  t.false('end_session_endpoint' in metadata);
});
