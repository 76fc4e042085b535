import { pkcePair } from './harness.js';
import type { DefineConformanceTest } from './define.js';

const REDIRECT = 'https://client.example/callback';

/** The authorization endpoint's validation (RFC 6749 §4.1.1, §4.1.2.1; RFC 7636 §4.4). */
export function authorizationRequests(define: DefineConformanceTest): void {
  const s256 = () => ({ code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });

  define('RFC 6749 §4.1.2.1 — an unknown client is reported without redirecting', async (t, h) => {
    const check = await h.authorization.validate({ response_type: 'code', client_id: 'nobody', ...s256() });
    t.false(check.ok);
    if (!check.ok) t.is(check.redirectTo, null);
  });

  define('RFC 6749 §4.1.2.1 — an unregistered redirect_uri is reported without redirecting', async (t, h) => {
    const client = await h.registerClient();
    for (const redirect_uri of [`${REDIRECT}/x`, 'https://client.example/CALLBACK', `${REDIRECT}?a=1`, 'https://evil.example/callback']) {
      const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, redirect_uri, ...s256() });
      t.false(check.ok, redirect_uri);
      if (!check.ok) t.is(check.redirectTo, null);
    }
  });

  define('RFC 6749 §3.1.2.3 — an omitted redirect_uri is refused when the client registered several', async (t, h) => {
    const client = await h.registerClient({ redirectUris: [REDIRECT, 'https://client.example/two'] });
    const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, ...s256() });
    t.false(check.ok);
    if (!check.ok) t.is(check.redirectTo, null);
  });

  define('RFC 6749 §3.1.2.3 — an omitted redirect_uri uses the only registered one', async (t, h) => {
    const client = await h.registerClient();
    const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, ...s256() });
    t.true(check.ok && check.request.redirectUri === REDIRECT);
  });

  define('RFC 6749 §4.1.2.1 — a response_type other than code is redirected as unsupported_response_type with state', async (t, h) => {
    const client = await h.registerClient();
    const check = await h.authorization.validate({ response_type: 'token', client_id: client.id, state: 'st', ...s256() });
    t.false(check.ok);
    if (!check.ok) {
      const url = new URL(check.redirectTo ?? 'about:blank');
      t.is(url.searchParams.get('error'), 'unsupported_response_type');
      t.is(url.searchParams.get('state'), 'st');
    }
  });

  define('RFC 6749 §4.1.2.1 — a client without the authorization_code grant is refused', async (t, h) => {
    const client = await h.registerClient({ grants: ['client_credentials'] });
    const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, ...s256() });
    t.false(check.ok);
    if (!check.ok) t.is(check.error, 'unauthorized_client');
  });

  define('RFC 9700 §2.1.1 — a public client must always use PKCE', async (t, h) => {
    const client = await h.registerClient({ confidential: false, grants: ['authorization_code'] });
    const check = await h.authorization.validate({ response_type: 'code', client_id: client.id });
    t.false(check.ok);
    if (!check.ok) t.is(new URL(check.redirectTo ?? 'about:blank').searchParams.get('error'), 'invalid_request');
  });

  define('RFC 9700 §2.1.1 — a confidential client flagged requirePkce must use PKCE, one without the flag need not', async (t, h) => {
    const strict = await h.registerClient({ requirePkce: true });
    const relaxed = await h.registerClient({ requirePkce: false });
    t.false((await h.authorization.validate({ response_type: 'code', client_id: strict.id })).ok);
    t.true((await h.authorization.validate({ response_type: 'code', client_id: relaxed.id })).ok);
  });

  define('RFC 7636 §4.3 — plain PKCE is refused unless the client allows it, and an absent method means plain', async (t, h) => {
    const client = await h.registerClient();
    const challenge = pkcePair().verifier;
    t.false((await h.authorization.validate({ response_type: 'code', client_id: client.id, code_challenge: challenge, code_challenge_method: 'plain' })).ok);
    t.false((await h.authorization.validate({ response_type: 'code', client_id: client.id, code_challenge: challenge })).ok);
  });

  define('RFC 7636 §4.2 — a malformed code_challenge is refused', async (t, h) => {
    const client = await h.registerClient();
    const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, code_challenge: 'short', code_challenge_method: 'S256' });
    t.false(check.ok);
  });

  define('RFC 6749 §4.1.2.1 — a scope the client may not have is redirected as invalid_scope', async (t, h) => {
    await h.defineScopes('admin');
    const client = await h.registerClient({ scopes: ['read'] });
    const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, scope: 'admin', ...s256() });
    t.false(check.ok);
    if (!check.ok) t.is(check.error, 'invalid_scope');
  });

  define('RFC 6749 §4.1.2 — approval redirects to the exact redirect URI with the code and state', async (t, h) => {
    const client = await h.registerClient({ redirectUris: ['https://client.example/callback?tenant=1'] });
    const { redirectTo } = await h.authorize(client, await h.createUser(), s256());
    const url = new URL(redirectTo);
    t.is(`${url.origin}${url.pathname}`, REDIRECT);
    t.is(url.searchParams.get('tenant'), '1');
    t.is(url.searchParams.get('state'), 'xyz');
    t.regex(url.searchParams.get('code') ?? '', /^[A-Za-z0-9_-]{43}$/);
  });

  define('RFC 6749 §4.1.2.1 — denial redirects with access_denied and state', async (t, h) => {
    const client = await h.registerClient();
    const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, state: 'st', ...s256() });
    if (!check.ok) return void t.fail(check.errorDescription);
    const url = new URL(h.authorization.deny(check.request).redirectTo);
    t.is(url.searchParams.get('error'), 'access_denied');
    t.is(url.searchParams.get('state'), 'st');
    t.is(url.searchParams.get('code'), null);
  });

  define('RFC 6749 §3.1 — repeated authorization parameters are refused without redirecting', async (t, h) => {
    const client = await h.registerClient();
    const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, redirect_uri: [REDIRECT, 'https://evil.example/'] });
    t.false(check.ok);
    if (!check.ok) t.is(check.redirectTo, null);
  });
}
