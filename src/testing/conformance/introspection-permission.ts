import { ValidationError } from '../../core/index.js';
import type { DefineConformanceTest } from './define.js';
import type { Harness, TestClient } from './harness.js';

/** What introspection answers about a token that does not exist: status, headers and body. */
async function unknownTokenAnswer(h: Harness, caller: TestClient) {
  const response = await h.introspect(caller, 'no-such-token');
  return { status: response.status, headers: response.headers, body: response.body };
}

async function answer(h: Harness, caller: TestClient, token: string, hint?: string) {
  const response = await h.introspect(caller, token, hint);
  return { status: response.status, headers: response.headers, body: response.body };
}

/**
 * RFC 7662 §4: the server should determine that the caller is authorized to introspect. Every
 * client may introspect the tokens issued to itself; a client registered with `allowIntrospection`
 * (a resource server) also the access tokens of every other client. Anything else is answered as
 * an unknown token is (§2.2): `{ "active": false }` and nothing that tells the two apart.
 */
export function introspectionPermission(define: DefineConformanceTest): void {
  define('RFC 7662 §4 — a client without the introspection permission learns nothing of another client\'s access token', async (t, h) => {
    const victim = await h.registerClient({ scopes: ['read', 'admin'], defaultScopes: ['read'] });
    const attacker = await h.registerClient();
    const token = await h.passwordGrant(victim, await h.createUser(), 'read admin');
    t.deepEqual(await answer(h, attacker, token.access_token), await unknownTokenAnswer(h, attacker));
    t.deepEqual((await h.introspect(attacker, token.access_token)).body, { active: false });
    // The victim's token is live and described to the victim itself.
    t.is(((await h.introspect(victim, token.access_token)).body as { active: boolean }).active, true);
  });

  define('RFC 7662 §4 — a client introspects the access and refresh tokens issued to itself', async (t, h) => {
    const client = await h.registerClient();
    const body = await h.passwordGrant(client, await h.createUser());
    const access = (await h.introspect(client, body.access_token)).body as Record<string, unknown>;
    t.is(access['active'], true);
    t.is(access['token_type'], 'Bearer');
    const refresh = (await h.introspect(client, body.refresh_token!, 'refresh_token')).body as Record<string, unknown>;
    t.is(refresh['active'], true);
    t.is(refresh['token_type'], 'refresh_token');
  });

  define('RFC 7662 §4 — a client with allowIntrospection (a resource server) introspects another client\'s access token', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read'] });
    const resourceServer = await h.registerClient({ allowIntrospection: true });
    const user = await h.createUser();
    const body = await h.passwordGrant(client, user, 'read');
    const info = (await h.introspect(resourceServer, body.access_token)).body as Record<string, unknown>;
    t.is(info['active'], true);
    t.is(info['client_id'], client.id);
    t.is(info['scope'], 'read');
    t.is(info['sub'], user.id);
  });

  define('RFC 7662 §4 — another client\'s refresh token is inactive even to a client with allowIntrospection', async (t, h) => {
    const client = await h.registerClient();
    const resourceServer = await h.registerClient({ allowIntrospection: true });
    const body = await h.passwordGrant(client, await h.createUser());
    for (const hint of [undefined, 'refresh_token', 'access_token']) {
      t.deepEqual(await answer(h, resourceServer, body.refresh_token!, hint), await unknownTokenAnswer(h, resourceServer), String(hint));
    }
    // Still live: the refusal is the permission's, not the token's.
    t.is((await h.refresh(client, body.refresh_token!)).status, 200);
  });

  define('RFC 7662 §4 — the introspection permission is given and withdrawn with clients.update', async (t, h) => {
    const client = await h.registerClient();
    const caller = await h.registerClient();
    const token = (await h.clientCredentials(client)).access_token;
    const active = async () => ((await h.introspect(caller, token)).body as { active: boolean }).active;
    t.false(await active());
    t.true((await h.provider.clients.update(caller.id, { allowIntrospection: true }))?.allowIntrospection);
    t.true(await active());
    await h.provider.clients.update(caller.id, { allowIntrospection: false });
    t.false(await active());
  });

  define('the introspection permission is stored and returned with the client, off by default', async (t, h) => {
    const { client } = await h.provider.clients.create({ id: 'plain', name: 'Plain', grants: ['client_credentials'] });
    t.false(client.allowIntrospection);
    const created = await h.provider.clients.create({ id: 'rs', name: 'Resource server', grants: ['client_credentials'], allowIntrospection: true });
    t.true(created.client.allowIntrospection);
    t.true((await h.provider.clients.get('rs'))?.allowIntrospection);
    t.deepEqual((await h.provider.clients.list()).map((c) => [c.id, c.allowIntrospection]), [['plain', false], ['rs', true]]);
    for (const value of ['yes', 1, null]) {
      const error = await h.provider.clients.create({ name: 'x', grants: ['client_credentials'], allowIntrospection: value as never }).then(
        () => null,
        (refused: unknown) => refused,
      );
      t.true(error instanceof ValidationError, JSON.stringify(value));
    }
  });
}
