import OAuth2Server from '@node-oauth/oauth2-server';
import { errorOf, pkcePair, type TokenBody } from './harness.js';
import type { DefineConformanceTest } from './define.js';

const REDIRECT = 'https://client.example/callback';

/** The authorization_code grant (RFC 6749 §4.1) with PKCE (RFC 7636). */
export function authorizationCodes(define: DefineConformanceTest): void {
  define('RFC 7636 §4.6 — a code exchanged with the right S256 verifier issues tokens for the user', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read'] });
    const user = await h.createUser();
    const pair = pkcePair();
    const { code } = await h.authorize(client, user, { scope: 'read', code_challenge: pair.challenge, code_challenge_method: 'S256' });
    const response = await h.exchangeCode(client, code, { code_verifier: pair.verifier });
    t.is(response.status, 200);
    const body = response.body as TokenBody;
    t.truthy(body.refresh_token);
    const outcome = await h.bearer(body.access_token);
    t.true(outcome.ok && outcome.oauth.user?.id === user.id);
  });

  define('RFC 6749 §4.1.2 — an authorization code is single-use', async (t, h) => {
    const client = await h.registerClient();
    const pair = pkcePair();
    const { code } = await h.authorize(client, await h.createUser(), { code_challenge: pair.challenge, code_challenge_method: 'S256' });
    t.is((await h.exchangeCode(client, code, { code_verifier: pair.verifier })).status, 200);
    const replay = await h.exchangeCode(client, code, { code_verifier: pair.verifier });
    t.is(replay.status, 400);
    t.is(errorOf(replay), 'invalid_grant');
  });

  define('RFC 6749 §4.1.2 — replaying a code revokes the tokens issued from it', async (t, h) => {
    const client = await h.registerClient();
    const pair = pkcePair();
    const { code } = await h.authorize(client, await h.createUser(), { code_challenge: pair.challenge, code_challenge_method: 'S256' });
    const body = (await h.exchangeCode(client, code, { code_verifier: pair.verifier })).body as TokenBody;
    const refreshed = (await h.refresh(client, body.refresh_token!)).body as TokenBody;
    await h.exchangeCode(client, code, { code_verifier: pair.verifier });
    t.false(await h.authenticates(body.access_token));
    t.false(await h.authenticates(refreshed.access_token), 'tokens refreshed from the code go too');
  });

  define('RFC 6749 §4.1.2 — two concurrent exchanges of one code: exactly one succeeds', async (t, h) => {
    const client = await h.registerClient();
    const pair = pkcePair();
    const { code } = await h.authorize(client, await h.createUser(), { code_challenge: pair.challenge, code_challenge_method: 'S256' });
    const responses = await Promise.all([
      h.exchangeCode(client, code, { code_verifier: pair.verifier }),
      h.exchangeCode(client, code, { code_verifier: pair.verifier }),
    ]);
    t.is(responses.filter((response) => response.status === 200).length, 1);
  });

  define('RFC 7636 §4.6 — a wrong code_verifier is refused and burns the code', async (t, h) => {
    const client = await h.registerClient();
    const pair = pkcePair();
    const { code } = await h.authorize(client, await h.createUser(), { code_challenge: pair.challenge, code_challenge_method: 'S256' });
    const wrong = await h.exchangeCode(client, code, { code_verifier: pkcePair().verifier });
    t.is(errorOf(wrong), 'invalid_grant');
    t.is((await h.exchangeCode(client, code, { code_verifier: pair.verifier })).status, 400);
  });

  define('RFC 6749 §4.1.3 — a code issued with a redirect_uri needs the identical redirect_uri to be exchanged', async (t, h) => {
    const client = await h.registerClient({ redirectUris: [REDIRECT, 'https://client.example/other'] });
    const pair = pkcePair();
    const user = await h.createUser();
    const first = await h.authorize(client, user, { redirect_uri: REDIRECT, code_challenge: pair.challenge, code_challenge_method: 'S256' });
    t.is((await h.exchangeCode(client, first.code, { code_verifier: pair.verifier, redirect_uri: `${REDIRECT}/` })).status, 400);
    const second = await h.authorize(client, user, { redirect_uri: REDIRECT, code_challenge: pair.challenge, code_challenge_method: 'S256' });
    t.is((await h.exchangeCode(client, second.code, { code_verifier: pair.verifier, redirect_uri: REDIRECT })).status, 200);
  });

  define('RFC 8252 §7.3 — a loopback redirect URI accepts an ephemeral port, and the code is exchanged with that same redirect_uri', async (t, h) => {
    const client = await h.registerClient({ redirectUris: ['http://127.0.0.1/callback', 'http://[::1]:8080/callback'] });
    const user = await h.createUser();
    for (const presented of ['http://127.0.0.1:51234/callback', 'http://[::1]:49152/callback']) {
      const pair = pkcePair();
      const pkce = { code_challenge: pair.challenge, code_challenge_method: 'S256' };
      const { code, redirectTo } = await h.authorize(client, user, { redirect_uri: presented, ...pkce });
      const url = new URL(redirectTo);
      t.is(`${url.origin}${url.pathname}`, presented, 'the answer goes to the presented port');
      // RFC 6749 §4.1.3: the token request repeats the identical URI, port included.
      const elsewhere = presented.replace(/:\d+\//, ':8081/');
      t.is((await h.exchangeCode(client, code, { code_verifier: pair.verifier, redirect_uri: elsewhere })).status, 400);
      const again = await h.authorize(client, user, { redirect_uri: presented, ...pkce });
      t.is((await h.exchangeCode(client, again.code, { code_verifier: pair.verifier, redirect_uri: presented })).status, 200, presented);
    }
    for (const refused of ['http://127.0.0.1:51234/other', 'https://127.0.0.1:51234/callback', 'http://localhost:51234/callback']) {
      const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, redirect_uri: refused, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
      t.false(check.ok, refused);
      if (!check.ok) t.is(check.redirectTo, null);
    }
  });

  define('RFC 6749 §4.1.2 — an expired code is refused with invalid_grant', async (t, h) => {
    const client = await h.registerClient();
    const pair = pkcePair();
    const { code } = await h.authorize(client, await h.createUser(), { code_challenge: pair.challenge, code_challenge_method: 'S256' });
    h.clock.advance(301);
    t.is(errorOf(await h.exchangeCode(client, code, { code_verifier: pair.verifier })), 'invalid_grant');
  });

  define('a per-client code lifetime is honoured', async (t, h) => {
    const client = await h.registerClient({ authorizationCodeLifetime: 30 });
    const pair = pkcePair();
    const { code } = await h.authorize(client, await h.createUser(), { code_challenge: pair.challenge, code_challenge_method: 'S256' });
    h.clock.advance(31);
    t.is(errorOf(await h.exchangeCode(client, code, { code_verifier: pair.verifier })), 'invalid_grant');
  });

  define('RFC 6749 §4.1.3 — a code issued to one client cannot be exchanged by another', async (t, h) => {
    const owner = await h.registerClient();
    const other = await h.registerClient();
    const pair = pkcePair();
    const { code } = await h.authorize(owner, await h.createUser(), { code_challenge: pair.challenge, code_challenge_method: 'S256' });
    t.is(errorOf(await h.exchangeCode(other, code, { code_verifier: pair.verifier })), 'invalid_grant');
    t.is((await h.exchangeCode(owner, code, { code_verifier: pair.verifier })).status, 200);
  });

  define('RFC 7636 §4.6 — plain PKCE is accepted from a client that allows it', async (t, h) => {
    const client = await h.registerClient({ allowPlainPkce: true });
    const verifier = pkcePair().verifier;
    const { code } = await h.authorize(client, await h.createUser(), { code_challenge: verifier, code_challenge_method: 'plain' });
    t.is((await h.exchangeCode(client, code, { code_verifier: verifier })).status, 200);
  });

  define('RFC 7636 §4.4.1 — oauth2-server\'s own authorize() with this model refuses a public client without PKCE', async (t, h) => {
    const client = await h.registerClient({ confidential: false, grants: ['authorization_code'] });
    const user = await h.createUser();
    const request = new OAuth2Server.Request({
      method: 'GET',
      headers: {},
      query: { response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, state: 's' },
    });
    const response = new OAuth2Server.Response({ headers: {} });
    const refused = await h.server
      .authorize(request, response, { authenticateHandler: { handle: () => ({ id: user.id }) } })
      .then(() => null, (error: { name: string }) => error);
    t.is(refused?.name, 'invalid_request');
  });
}
