import { errorOf } from './harness.js';
import type { DefineConformanceTest } from './define.js';

/** Token revocation (RFC 7009) and introspection (RFC 7662). */
export function revocationAndIntrospection(define: DefineConformanceTest): void {
  define('RFC 7009 §2.1 — revoking an access token ends it at once', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.clientCredentials(client);
    const response = await h.revoke(client, body.access_token, 'access_token');
    t.is(response.status, 200);
    t.false(await h.authenticates(body.access_token));
  });

  define('RFC 7009 §2.1 — revoking a refresh token ends its whole grant', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.passwordGrant(client, await h.createUser());
    t.is((await h.revoke(client, body.refresh_token!, 'refresh_token')).status, 200);
    t.false(await h.authenticates(body.access_token));
    t.is((await h.refresh(client, body.refresh_token!)).status, 400);
  });

  define('RFC 7009 §2.1 — a wrong token_type_hint does not stop revocation', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.clientCredentials(client);
    t.is((await h.revoke(client, body.access_token, 'refresh_token')).status, 200);
    t.false(await h.authenticates(body.access_token));
  });

  define('RFC 7009 §2.2 — revoking an unknown token answers 200', async (t, h) => {
    const client = await h.registerClient();
    t.is((await h.revoke(client, 'not-a-token')).status, 200);
  });

  define('RFC 7009 §2.1 — a token of another client is not revoked, yet the answer is 200', async (t, h) => {
    const owner = await h.registerClient();
    const other = await h.registerClient();
    const body = await h.clientCredentials(owner);
    t.is((await h.revoke(other, body.access_token)).status, 200);
    t.true(await h.authenticates(body.access_token));
  });

  define('RFC 7009 §2.1 — revocation requires client authentication', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.clientCredentials(client);
    const response = await h.revoke({ id: client.id, secret: 'wrong' }, body.access_token);
    t.is(response.status, 401);
    t.is(errorOf(response), 'invalid_client');
    t.true(await h.authenticates(body.access_token));
  });

  define('RFC 7662 §2.2 — introspecting an active access token describes it', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read'] });
    const user = await h.createUser();
    const body = await h.passwordGrant(client, user, 'read');
    const response = await h.introspect(client, body.access_token);
    t.is(response.status, 200);
    const info = response.body as Record<string, unknown>;
    t.is(info['active'], true);
    t.is(info['scope'], 'read');
    t.is(info['client_id'], client.id);
    t.is(info['username'], user.username);
    t.is(info['sub'], user.id);
    t.is(info['token_type'], 'Bearer');
    t.true(typeof info['exp'] === 'number' && typeof info['iat'] === 'number' && (info['exp'] as number) > (info['iat'] as number));
  });

  define('RFC 7662 §2.2 — introspecting a revoked, expired or unknown token answers only active: false', async (t, h) => {
    const client = await h.registerClient();
    const revoked = await h.clientCredentials(client);
    await h.revoke(client, revoked.access_token);
    t.deepEqual((await h.introspect(client, revoked.access_token)).body, { active: false });
    t.deepEqual((await h.introspect(client, 'unknown')).body, { active: false });
    const expiring = await h.clientCredentials(client);
    h.clock.advance(3601);
    t.deepEqual((await h.introspect(client, expiring.access_token)).body, { active: false });
  });

  define('RFC 7662 §2.1 — introspection requires an authenticated confidential client', async (t, h) => {
    const client = await h.registerClient();
    const publicClient = await h.registerClient({ confidential: false, grants: ['authorization_code'] });
    const body = await h.clientCredentials(client);
    t.is((await h.introspect({ id: client.id, secret: 'wrong' }, body.access_token)).status, 401);
    t.is((await h.introspect(publicClient, body.access_token)).status, 401);
  });
}
