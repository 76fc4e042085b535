import type { DefineConformanceTest } from './define.js';

/** What makes an access token authenticate at a protected resource (RFC 6750). */
export function tokenValidation(define: DefineConformanceTest): void {
  define('a live access token authenticates and names its client, user and scope', async (t, h) => {
    const client = await h.registerClient({ name: 'Named client', scopes: ['read'] });
    const user = await h.createUser();
    const body = await h.passwordGrant(client, user, 'read');
    const outcome = await h.bearer(body.access_token);
    if (!outcome.ok) return void t.fail(`refused: ${JSON.stringify(outcome.response)}`);
    t.deepEqual(outcome.oauth.client, { id: client.id, name: 'Named client' });
    t.deepEqual(outcome.oauth.user, { id: user.id, username: user.username });
    t.deepEqual(outcome.oauth.scope, ['read']);
    t.false(JSON.stringify(outcome.oauth).includes(body.access_token));
  });

  define('a client_credentials token authenticates with no user', async (t, h) => {
    const client = await h.registerClient();
    const outcome = await h.bearer((await h.clientCredentials(client)).access_token);
    t.true(outcome.ok);
    if (outcome.ok) t.is(outcome.oauth.user, null);
  });

  define('RFC 6750 §3.1 — an unknown access token is refused with 401 invalid_token', async (t, h) => {
    const outcome = await h.bearer('A'.repeat(43));
    t.false(outcome.ok);
    if (!outcome.ok) {
      t.is(outcome.response.status, 401);
      t.regex(outcome.response.headers['www-authenticate'] ?? '', /^Bearer realm="[^"]*", error="invalid_token"/);
    }
  });

  define('RFC 6750 §3.1 — a request without a token gets 401 with a challenge but no error attribute', async (t, h) => {
    const outcome = await h.guard.check({ method: 'GET', headers: {}, query: {}, body: {} });
    t.false(outcome.ok);
    if (!outcome.ok) {
      t.is(outcome.response.status, 401);
      t.regex(outcome.response.headers['www-authenticate'] ?? '', /^Bearer realm="[^"]*"$/);
    }
  });

  define('RFC 6749 §7 — an expired access token never authenticates', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.clientCredentials(client);
    t.true(await h.authenticates(body.access_token));
    h.clock.advance(3601);
    t.false(await h.authenticates(body.access_token));
  });

  define('RFC 6749 §7 — verifyScope requires every required scope', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'] });
    const body = await h.clientCredentials(client, 'read');
    const token = await h.model.getAccessToken(body.access_token);
    if (!token) return void t.fail('token not found');
    t.true(await h.model.verifyScope!(token, ['read']));
    t.false(await h.model.verifyScope!(token, ['read', 'write']));
    t.false(await h.model.verifyScope!(token, ['write']));
  });

  define('RFC 6750 §3.1 — a token lacking a required scope gets 403 insufficient_scope naming the scope', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'] });
    const body = await h.clientCredentials(client, 'read');
    t.true((await h.bearer(body.access_token, ['read'])).ok);
    const outcome = await h.bearer(body.access_token, ['read', 'write']);
    t.false(outcome.ok);
    if (!outcome.ok) {
      t.is(outcome.response.status, 403);
      t.regex(outcome.response.headers['www-authenticate'] ?? '', /error="insufficient_scope".*scope="read write"/);
    }
  });

  define('invalidating a client\'s tokens takes effect immediately', async (t, h) => {
    const client = await h.registerClient();
    const other = await h.registerClient();
    const first = await h.clientCredentials(client);
    const second = await h.clientCredentials(client);
    const untouched = await h.clientCredentials(other);
    t.is(await h.provider.invalidateClientTokensInteractor()(client.id), 2);
    t.false(await h.authenticates(first.access_token));
    t.false(await h.authenticates(second.access_token));
    t.true(await h.authenticates(untouched.access_token));
  });

  define('invalidating a user\'s tokens takes effect immediately, refresh tokens included', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    const other = await h.createUser();
    const body = await h.passwordGrant(client, user);
    const untouched = await h.passwordGrant(client, other);
    t.is(await h.provider.invalidateUserTokensInteractor()(user.id), 1);
    t.false(await h.authenticates(body.access_token));
    t.is((await h.refresh(client, body.refresh_token!)).status, 400);
    t.true(await h.authenticates(untouched.access_token));
  });

  define('the access token of a rotated refresh token stops authenticating', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.passwordGrant(client, await h.createUser());
    t.is((await h.refresh(client, body.refresh_token!)).status, 200);
    t.false(await h.authenticates(body.access_token));
  });
}
