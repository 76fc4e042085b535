/**
 * The JWKS endpoint (RFC 7517 §5) and `jwks_uri` (RFC 8414 §2) over real HTTP: a resource server
 * discovers the keys from the metadata, fetches them, and verifies the JWT access tokens (RFC 9068)
 * the token endpoint issues, as jose's remote key set does.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import Koa, { type Middleware } from 'koa';
import { createJwksEndpoint, type OAuthProvider } from '../../src/core/index.js';
import { createOAuthRouter, jwksController, type OAuthRouterOptions } from '../../src/koa/index.js';
import { closeSigningDatabase, RESOURCE, signingDatabase, signingOptions } from '../signing/support/signing-server.js';
import { basic, form, serve, type ServedApp } from './support/http-server.js';

test.after.always(closeSigningDatabase);

/**
 * An app served on a loopback port whose router is built once the port, hence the issuer
 * (`http://127.0.0.1:<port>`), is known.
 */
async function served(build: (issuer: string) => Middleware): Promise<ServedApp & { issuer: string }> {
  const app = new Koa();
  let inner: Middleware = async () => {};
  app.use((ctx, next) => inner(ctx, next));
  const app$ = await serve(app);
  inner = build(app$.origin);
  return { ...app$, issuer: app$.origin };
}

function routerOf(provider: OAuthProvider, extra: Partial<OAuthRouterOptions> = {}): Middleware {
  const router = createOAuthRouter({ provider, server: new OAuth2Server({ model: provider.clientModel() }), ...extra });
  // The router's composed middleware is typed for its own context; it runs on any Koa context.
  return router.routes() as unknown as Middleware;
}

test.serial('RFC 8414 §2 — the metadata names jwks_uri under the issuer, and it serves the JWK Set as application/jwk-set+json, public for 600 s, to any origin', async (t) => {
  const db = await signingDatabase();
  let provider: OAuthProvider | undefined;
  const app = await served((issuer) => routerOf((provider = db.provider(signingOptions(undefined, { issuer })))));
  t.teardown(() => app.close());
  const metadata = (await (await fetch(`${app.origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  t.is(metadata['issuer'], app.issuer, "the router announces the provider's issuer");
  t.is(metadata['jwks_uri'], `${app.issuer}/auth/jwks`);
  const response = await fetch(String(metadata['jwks_uri']), { headers: { origin: 'https://browser-app.example' } });
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'application/jwk-set+json');
  t.is(response.headers.get('cache-control'), 'public, max-age=600');
  t.is(response.headers.get('access-control-allow-origin'), '*');
  const set = (await response.json()) as { keys: Array<Record<string, unknown>> };
  const [listed] = await provider!.keys.list();
  t.deepEqual(set, { keys: [listed?.publicJwk] }, 'the first request finds the first key created: no verifier caches an empty set');
  t.deepEqual(Object.keys(set.keys[0] ?? {}).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
});

test.serial('RFC 9068 §4 — a resource server verifies a token from the token endpoint with the keys it fetches from jwks_uri', async (t) => {
  const db = await signingDatabase();
  const app = await served((issuer) => routerOf(db.provider(signingOptions(undefined, { issuer }))));
  t.teardown(() => app.close());
  const token = await fetch(`${app.origin}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic(db.client.id, db.client.secret) },
    body: form({ grant_type: 'client_credentials', resource: RESOURCE }),
  });
  t.is(token.status, 200);
  const { access_token: accessToken, token_type: tokenType } = (await token.json()) as { access_token: string; token_type: string };
  t.is(tokenType, 'Bearer');
  const metadata = (await (await fetch(`${app.origin}/.well-known/oauth-authorization-server`)).json()) as { jwks_uri: string; issuer: string };
  const { payload, protectedHeader } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(metadata.jwks_uri)), {
    issuer: metadata.issuer,
    audience: RESOURCE,
    typ: 'at+jwt',
    algorithms: ['ES256'],
    currentDate: db.clock.now(),
  });
  t.is(protectedHeader.typ, 'at+jwt');
  t.is(payload.client_id, db.client.id);
});

test.serial('a provider that cannot sign (no signingKeys) has no JWKS route and no jwks_uri', async (t) => {
  const db = await signingDatabase();
  const app = await served((issuer) => routerOf(db.provider({ issuer })));
  t.teardown(() => app.close());
  const metadata = (await (await fetch(`${app.origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  t.false('jwks_uri' in metadata);
  t.is((await fetch(`${app.origin}/auth/jwks`)).status, 404);
});

test.serial('a storage failure at the JWKS endpoint is answered 503 as JSON without its cause, and the cause reaches the application', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  const endpoint = createJwksEndpoint({ provider });
  const app = new Koa();
  app.use(jwksController(endpoint));
  const served$ = await serve(app);
  t.teardown(() => served$.close());
  await db.sql.query('ALTER TABLE oauth_signing_keys RENAME TO oauth_signing_keys_gone', []);
  t.teardown(() => db.sql.query('ALTER TABLE oauth_signing_keys_gone RENAME TO oauth_signing_keys', []));
  const response = await fetch(served$.origin);
  t.is(response.status, 503);
  t.deepEqual(await response.json(), { error: 'temporarily_unavailable', error_description: 'The authorization server is temporarily unavailable' });
  t.is(response.headers.get('cache-control'), 'no-store');
  t.regex(String((served$.emittedErrors[0] as Error | undefined)?.message), /oauth_signing_keys/);
});

test.serial('createOAuthRouter refuses an issuer that differs from the provider’s, naming both', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  t.throws(() => routerOf(provider, { issuer: 'https://other.example' }), {
    instanceOf: TypeError,
    message: /issuer "https:\/\/other\.example" differs from the provider's issuer "https:\/\/issuer\.example"/,
  });
});
