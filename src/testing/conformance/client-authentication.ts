import { basic, errorOf } from './harness.js';
import type { DefineConformanceTest } from './define.js';

/** getClient and the token endpoint's client authentication (RFC 6749 §2.3, docs/adr/0004). */
export function clientAuthentication(define: DefineConformanceTest): void {
  define('RFC 6749 §2.3.1 — a confidential client with its secret gets a client_credentials token', async (t, h) => {
    const client = await h.registerClient();
    const response = await h.token({ grant_type: 'client_credentials' }, client);
    t.is(response.status, 200);
    t.is((response.body as { token_type: string }).token_type, 'Bearer');
  });

  define('RFC 6749 §2.3.1 — a confidential client may also authenticate with client_secret in the body', async (t, h) => {
    const client = await h.registerClient();
    const response = await h.controller.token({
      method: 'POST',
      headers: {},
      query: {},
      body: { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret },
    });
    t.is(response.status, 200);
  });

  define('RFC 6749 §5.2 — a wrong secret is refused with 401 invalid_client and a Basic challenge', async (t, h) => {
    const client = await h.registerClient();
    const response = await h.token({ grant_type: 'client_credentials' }, { id: client.id, secret: `${client.secret}x` });
    t.is(response.status, 401);
    t.is(errorOf(response), 'invalid_client');
    t.regex(response.headers['www-authenticate'] ?? '', /^Basic realm="/);
  });

  define('RFC 6749 §3.2.1 — a confidential client with a missing or empty secret is not authenticated', async (t, h) => {
    const client = await h.registerClient();
    t.falsy(await h.model.getClient(client.id, undefined as unknown as string));
    t.falsy(await h.model.getClient(client.id, ''));
    const response = await h.token({ grant_type: 'client_credentials' }, undefined, { authorization: basic(client.id, '') });
    t.not(response.status, 200);
  });

  define('RFC 6749 §4.1.3 — a confidential client cannot skip its secret by presenting a PKCE code_verifier', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    const { code } = await h.authorize(client, user, { code_challenge: 'A'.repeat(43), code_challenge_method: 'S256' });
    const response = await h.controller.token({
      method: 'POST',
      headers: {},
      query: {},
      body: { grant_type: 'authorization_code', client_id: client.id, code, code_verifier: 'A'.repeat(43) },
    });
    t.is(response.status, 401);
    t.is(errorOf(response), 'invalid_client');
  });

  define('a public client presenting a secret is refused', async (t, h) => {
    const client = await h.registerClient({ confidential: false, grants: ['authorization_code', 'refresh_token'] });
    t.is(client.secret, null);
    t.falsy(await h.model.getClient(client.id, 'any-secret'));
    t.truthy(await h.model.getClient(client.id, undefined as unknown as string));
  });

  define('RFC 6749 §5.2 — an unknown client id is refused with invalid_client', async (t, h) => {
    const response = await h.token({ grant_type: 'client_credentials' }, { id: 'no-such-client', secret: 'whatever' });
    t.is(response.status, 401);
    t.is(errorOf(response), 'invalid_client');
  });

  define('a null secret is a lookup for the authorization endpoint and carries no secret material', async (t, h) => {
    const client = await h.registerClient();
    const found = await h.model.getClient(client.id, null as unknown as string);
    t.truthy(found);
    t.is((found as { id: string }).id, client.id);
    t.false(JSON.stringify(found).includes('secret'));
  });

  define('a rotated secret takes effect at once and the old one stops working', async (t, h) => {
    const client = await h.registerClient();
    const rotated = await h.provider.clients.rotateSecret(client.id);
    t.truthy(rotated);
    t.is((await h.token({ grant_type: 'client_credentials' }, client)).status, 401);
    t.is((await h.token({ grant_type: 'client_credentials' }, { id: client.id, secret: rotated!.clientSecret })).status, 200);
  });

  define('RFC 6749 §5.2 — a grant the client is not registered for is refused with unauthorized_client', async (t, h) => {
    const client = await h.registerClient({ grants: ['client_credentials'] });
    const user = await h.createUser();
    const response = await h.token({ grant_type: 'password', username: user.username, password: user.password }, client);
    t.is(response.status, 400);
    t.is(errorOf(response), 'unauthorized_client');
  });

  define('clientModel() serves client_credentials only', async (t, h) => {
    const client = await h.registerClient();
    const found = await h.provider.clientModel().getClient(client.id, client.secret!);
    t.deepEqual((found as { grants: string[] }).grants, ['client_credentials']);
  });
}
