import { errorOf, pkcePair, type TokenBody } from './harness.js';
import type { DefineConformanceTest } from './define.js';

/** Refresh-token rotation and reuse detection (RFC 9700 §4.14.2, docs/adr/0003). */
export function refreshRotation(define: DefineConformanceTest): void {
  define('RFC 9700 §4.14.2 — a refresh issues a new access token and a new refresh token', async (t, h) => {
    const client = await h.registerClient();
    const first = await h.passwordGrant(client, await h.createUser());
    const response = await h.refresh(client, first.refresh_token!);
    t.is(response.status, 200);
    const second = response.body as TokenBody;
    t.not(second.refresh_token, first.refresh_token);
    t.true(await h.authenticates(second.access_token));
    t.is((await h.refresh(client, second.refresh_token!)).status, 200);
  });

  define('RFC 6749 §6 — a refreshed token keeps the user and the scope', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'] });
    const user = await h.createUser();
    const first = await h.passwordGrant(client, user, 'read');
    const second = (await h.refresh(client, first.refresh_token!)).body as TokenBody;
    const outcome = await h.bearer(second.access_token);
    if (!outcome.ok) return void t.fail('refreshed token did not authenticate');
    t.is(outcome.oauth.user?.id, user.id);
    t.deepEqual(outcome.oauth.scope, ['read']);
  });

  define('RFC 6749 §6 — a refresh may narrow the scope but not widen it', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'] });
    const first = await h.passwordGrant(client, await h.createUser(), 'read');
    t.is(errorOf(await h.refresh(client, first.refresh_token!, 'read write')), 'invalid_scope');
    const wide = await h.passwordGrant(client, await h.createUser(), 'read write');
    const narrowed = await h.refresh(client, wide.refresh_token!, 'read');
    t.is(narrowed.status, 200);
    t.is((narrowed.body as TokenBody).scope, 'read');
  });

  define('RFC 9700 §4.14.2 — refresh token reuse revokes the whole family', async (t, h) => {
    const client = await h.registerClient();
    const first = await h.passwordGrant(client, await h.createUser());
    const second = (await h.refresh(client, first.refresh_token!)).body as TokenBody;
    const third = (await h.refresh(client, second.refresh_token!)).body as TokenBody;
    const reuse = await h.refresh(client, first.refresh_token!);
    t.is(reuse.status, 400);
    t.is(errorOf(reuse), 'invalid_grant');
    t.false(await h.authenticates(third.access_token));
    t.is((await h.refresh(client, third.refresh_token!)).status, 400);
  });

  define('reuse revokes only its own family', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    const stolen = await h.passwordGrant(client, user);
    const otherLogin = await h.passwordGrant(client, user);
    await h.refresh(client, stolen.refresh_token!);
    await h.refresh(client, stolen.refresh_token!);
    t.true(await h.authenticates(otherLogin.access_token));
  });

  define('RFC 9700 §4.14.2 — two concurrent refreshes: exactly one succeeds', async (t, h) => {
    const client = await h.registerClient();
    const first = await h.passwordGrant(client, await h.createUser());
    const responses = await Promise.all([h.refresh(client, first.refresh_token!), h.refresh(client, first.refresh_token!)]);
    t.deepEqual(responses.map((response) => response.status).sort(), [200, 400]);
  });

  define('RFC 6749 §5.2 — an expired refresh token is refused with invalid_grant', async (t, h) => {
    const client = await h.registerClient();
    const first = await h.passwordGrant(client, await h.createUser());
    h.clock.advance(14 * 24 * 3600 + 1);
    t.is(errorOf(await h.refresh(client, first.refresh_token!)), 'invalid_grant');
  });

  define('RFC 6749 §6 — a refresh token presented by another client is refused', async (t, h) => {
    const owner = await h.registerClient();
    const thief = await h.registerClient();
    const first = await h.passwordGrant(owner, await h.createUser());
    t.is(errorOf(await h.refresh(thief, first.refresh_token!)), 'invalid_grant');
  });

  define('RFC 6749 §6 — a confidential client must authenticate to refresh', async (t, h) => {
    const client = await h.registerClient();
    const first = await h.passwordGrant(client, await h.createUser());
    const response = await h.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: client.id });
    t.is(response.status, 401);
    t.true(await h.authenticates(first.access_token));
  });

  define('RFC 6749 §6 — a public client refreshes with its client_id alone', async (t, h) => {
    const client = await h.registerClient({ confidential: false, grants: ['authorization_code', 'refresh_token'] });
    const user = await h.createUser();
    const pair = pkcePair();
    const issued = await h.authorize(client, user, { code_challenge: pair.challenge, code_challenge_method: 'S256' });
    const tokens = (await h.exchangeCode(client, issued.code, { code_verifier: pair.verifier })).body as TokenBody;
    t.is((await h.refresh(client, tokens.refresh_token!)).status, 200);
  });
}
