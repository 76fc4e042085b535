import type { DefineConformanceTest } from './define.js';
import type { Harness } from './harness.js';

/** A client and a user of the default store that share one id. */
async function clientAndUserSharingAnId(h: Harness) {
  const shared = 'shared-id';
  const client = await h.registerClient({ id: shared, allowIntrospection: true });
  const password = 'a password of the user';
  const user = await h.provider.users.create({ id: shared, username: 'shared-user', password });
  return { shared, client, user: { id: user.id, username: user.username, password } };
}

/**
 * RFC 9700 §4.15: a client must never be confused with a resource owner, in particular when a
 * client id can equal a user id. A token issued to a client on its own behalf (client_credentials)
 * has no resource owner, so nothing presents it with a subject or a user (RFC 7662 §2.2: `sub` is
 * the resource owner).
 */
export function tokenSubjects(define: DefineConformanceTest): void {
  define('RFC 7662 §2.2, RFC 9700 §4.15 — a client_credentials token introspects without sub, even when the client id is also a user id', async (t, h) => {
    const { shared, client, user } = await clientAndUserSharingAnId(h);
    const own = (await h.introspect(client, (await h.clientCredentials(client)).access_token)).body as Record<string, unknown>;
    t.is(own['active'], true);
    t.is(own['client_id'], shared);
    t.false('sub' in own);
    t.false('username' in own);
    const users = (await h.introspect(client, (await h.passwordGrant(client, user)).access_token)).body as Record<string, unknown>;
    t.is(users['sub'], shared);
    t.is(users['username'], user.username);
  });

  define('RFC 9700 §4.15 — the guard presents a client_credentials token with no user, even when the client id is also a user id', async (t, h) => {
    const { shared, client, user } = await clientAndUserSharingAnId(h);
    const own = await h.bearer((await h.clientCredentials(client)).access_token);
    if (!own.ok) return void t.fail('the client token did not authenticate');
    t.is(own.oauth.user, null);
    t.deepEqual(own.oauth.client.id, shared);
    const users = await h.bearer((await h.passwordGrant(client, user)).access_token);
    if (!users.ok) return void t.fail('the user token did not authenticate');
    t.deepEqual(users.oauth.user, { id: shared, username: user.username });
  });

  define('RFC 9700 §4.15 — server.authenticate() hands a client_credentials token no user id, even when the client id is also a user id', async (t, h) => {
    const { client } = await clientAndUserSharingAnId(h);
    const token = (await h.clientCredentials(client)).access_token;
    const found = (await h.model.getAccessToken(token)) as unknown as { user: Record<string, unknown>; userId: string | null };
    t.is(found.userId, null);
    t.deepEqual(found.user, {});
  });
}
