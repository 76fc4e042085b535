/**
 * The authorization endpoint's hooks carrying a whole code flow with PKCE over HTTP: the handler
 * validates the request with the core's authorization endpoint and (standing in for a sign-in and
 * consent page) approves it for a fixed user; the client exchanges the code at the token endpoint.
 */
import { createHash, randomBytes } from 'node:crypto';
import test from 'ava';
import { createAuthorizationEndpoint, type OAuthProvider } from '../../src/core/index.js';
import type { AuthorizeHandlers } from '../../src/koa/index.js';
import { postTo, REDIRECT_URI, startE2eServer, type E2eFixture } from './support/oauth-server.js';

let server: E2eFixture;
let signedInUserId: string;

/** Approves every valid request for the signed-in user; shows errors that must not be redirected. */
function autoApprove(provider: OAuthProvider): AuthorizeHandlers {
  const endpoint = createAuthorizationEndpoint({ provider });
  return {
    get: async (ctx) => {
      const check = await endpoint.validate(ctx.query);
      if (!check.ok) {
        if (check.redirectTo === null) {
          ctx.status = 400;
          ctx.body = { error: check.error, error_description: check.errorDescription };
        } else {
          ctx.redirect(check.redirectTo);
        }
        return;
      }
      ctx.redirect((await endpoint.approve(check.request, { id: signedInUserId })).redirectTo);
    },
  };
}

test.before(async () => {
  server = await startE2eServer({ authorize: autoApprove });
  signedInUserId = server.user.id;
});

test.after.always(() => server.close());

function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(parameters: Record<string, string>): string {
  return `${server.endpoint('authorize')}?${new URLSearchParams(parameters)}`;
}

test('RFC 6749 §4.1 — GET /authorize redirects back with a code that the token endpoint exchanges for tokens', async (t) => {
  const { verifier, challenge } = pkcePair();
  const response = await fetch(
    authorizeUrl({
      response_type: 'code',
      client_id: server.public.id,
      redirect_uri: REDIRECT_URI,
      scope: 'read',
      state: 'af0ifjsldkj',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    { redirect: 'manual' },
  );
  t.is(response.status, 302);
  const location = new URL(response.headers.get('location') ?? '');
  t.is(`${location.origin}${location.pathname}`, REDIRECT_URI);
  t.is(location.searchParams.get('state'), 'af0ifjsldkj');
  const code = location.searchParams.get('code') ?? '';

  const { status, json } = await postTo(server.endpoint('token'), {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: server.public.id,
    code_verifier: verifier,
  });
  t.is(status, 200);
  const me = await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${json.access_token}` } });
  t.is(((await me.json()) as { oauth: { user: { id: string } } }).oauth.user.id, server.user.id);
});

test('RFC 6749 §4.1.2.1 — an unregistered redirect_uri is shown as an error, never redirected to', async (t) => {
  const { challenge } = pkcePair();
  const response = await fetch(
    authorizeUrl({
      response_type: 'code',
      client_id: server.public.id,
      redirect_uri: 'https://attacker.example/steal',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    { redirect: 'manual' },
  );
  t.is(response.status, 400);
  t.is(response.headers.get('location'), null);
});

test('RFC 8414 §2 — the metadata advertises the authorization endpoint once a handler is configured', async (t) => {
  const response = await fetch(`${server.origin}/.well-known/oauth-authorization-server`);
  const metadata = (await response.json()) as Record<string, unknown>;
  t.is(metadata.authorization_endpoint, `http://127.0.0.1/auth/authorize`);
  t.deepEqual(metadata.response_types_supported, ['code']);
});
