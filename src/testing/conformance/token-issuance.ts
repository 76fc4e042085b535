import { errorOf } from './harness.js';
import type { DefineConformanceTest } from './define.js';

const BASE64URL_256_BITS = /^[A-Za-z0-9_-]{43}$/;

/** What issuance produces: credentials, lifetimes and scopes. */
export function tokenIssuance(define: DefineConformanceTest): void {
  define('RFC 6749 §10.10 — issued tokens are 256-bit random base64url values, never repeated', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    const first = await h.passwordGrant(client, user);
    const second = await h.passwordGrant(client, user);
    for (const value of [first.access_token, first.refresh_token, second.access_token, second.refresh_token]) {
      t.regex(value ?? '', BASE64URL_256_BITS);
    }
    t.is(new Set([first.access_token, first.refresh_token, second.access_token, second.refresh_token]).size, 4);
  });

  define('RFC 6749 §10.10 — client secrets are 256-bit random base64url values', async (t, h) => {
    const client = await h.registerClient();
    t.regex(client.secret ?? '', BASE64URL_256_BITS);
  });

  define('RFC 6749 §5.1 — token responses carry Cache-Control: no-store and Pragma: no-cache', async (t, h) => {
    const client = await h.registerClient();
    const response = await h.token({ grant_type: 'client_credentials' }, client);
    t.is(response.headers['cache-control'], 'no-store');
    t.is(response.headers['pragma'], 'no-cache');
  });

  define('RFC 6749 §4.4.3 — client_credentials issues no refresh token', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.clientCredentials(client);
    t.is(body.refresh_token, undefined);
  });

  define('a client without the refresh_token grant gets no refresh token', async (t, h) => {
    const client = await h.registerClient({ grants: ['password'], redirectUris: [] });
    const body = await h.passwordGrant(client, await h.createUser());
    t.is(body.refresh_token, undefined);
  });

  define('a client without its own lifetime gets the server default', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.clientCredentials(client);
    const outcome = await h.bearer(body.access_token);
    if (!outcome.ok) return void t.fail('token did not authenticate');
    const lifetime = (outcome.oauth.token.accessTokenExpiresAt.getTime() - h.clock.now().getTime()) / 1000;
    t.true(lifetime > 1700 && lifetime <= 1800, `lifetime ${lifetime}`);
  }, { accessTokenLifetime: 1800 });

  define('a per-client access-token lifetime overrides the server default', async (t, h) => {
    const client = await h.registerClient({ accessTokenLifetime: 120 });
    const body = await h.clientCredentials(client);
    t.is(body.expires_in, 120);
    h.clock.advance(121);
    t.false(await h.authenticates(body.access_token));
  });

  define('a per-client refresh-token lifetime is honoured', async (t, h) => {
    const client = await h.registerClient({ refreshTokenLifetime: 600 });
    const body = await h.passwordGrant(client, await h.createUser());
    h.clock.advance(601);
    const response = await h.refresh(client, body.refresh_token!);
    t.is(response.status, 400);
    t.is(errorOf(response), 'invalid_grant');
  });

  define('RFC 6749 §3.3 — no scope requested grants the client\'s default scope, not every scope it may have', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'], defaultScopes: ['read'] });
    const body = await h.clientCredentials(client);
    t.is(body.scope, 'read');
  });

  define('a requested scope within the client\'s scopes is granted as requested', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'] });
    const body = await h.clientCredentials(client, 'read');
    t.is(body.scope, 'read');
  });

  define('RFC 6749 §5.2 — a scope the client may not have is refused with invalid_scope', async (t, h) => {
    await h.defineScopes('admin');
    const client = await h.registerClient({ scopes: ['read'] });
    const response = await h.token({ grant_type: 'client_credentials', scope: 'read admin' }, client);
    t.is(response.status, 400);
    t.is(errorOf(response), 'invalid_scope');
  });

  define('RFC 6749 §5.2 — an unknown scope is refused with invalid_scope', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read'] });
    const response = await h.token({ grant_type: 'client_credentials', scope: 'no-such-scope' }, client);
    t.is(errorOf(response), 'invalid_scope');
  });

  define('a custom scope policy can narrow but never exceed the client\'s scopes', async (t, h) => {
    await h.defineScopes('admin');
    const client = await h.registerClient({ scopes: ['read', 'write'] });
    const generous = h.provider.userModel(h.provider.users.getUser, h.provider.users.login, async () => ['read', 'admin']);
    const narrow = h.provider.userModel(h.provider.users.getUser, h.provider.users.login, async () => ['read']);
    const found = await generous.getClient(client.id, client.secret!);
    t.false(await generous.validateScope!({ id: 'u' }, found as never, ['read']));
    const foundAgain = await narrow.getClient(client.id, client.secret!);
    t.deepEqual(await narrow.validateScope!({ id: 'u' }, foundAgain as never, ['read', 'write']), ['read']);
  });

  define('RFC 6749 §5.2 — the password grant refuses a wrong password with invalid_grant', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    const response = await h.token({ grant_type: 'password', username: user.username, password: `${user.password}!` }, client);
    t.is(response.status, 400);
    t.is(errorOf(response), 'invalid_grant');
  });
}
