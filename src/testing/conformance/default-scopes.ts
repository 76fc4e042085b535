import OAuth2Server from '@node-oauth/oauth2-server';
import { createAuthController, createAuthorizationEndpoint, ValidationError, type ValidateScope } from '../../core/index.js';
import { errorOf, pkcePair, type Harness, type TestClient, type TokenBody } from './harness.js';
import type { DefineConformanceTest } from './define.js';
import { refusal } from './refusal.js';

/**
 * A code approved for `userId` by an authorization endpoint deciding scopes with `policy`, asked for
 * `scope` (none: the request names no scope), exchanged with its PKCE verifier: the exchange's answer.
 */
async function exchangedUnderPolicy(h: Harness, policy: ValidateScope, client: TestClient, userId: string, scope?: string) {
  const endpoint = createAuthorizationEndpoint({ provider: h.provider, validateScope: policy });
  const pair = pkcePair();
  const check = await endpoint.validate({
    response_type: 'code',
    client_id: client.id,
    ...(scope === undefined ? {} : { scope }),
    state: 'xyz',
    code_challenge: pair.challenge,
    code_challenge_method: 'S256',
  });
  if (!check.ok) throw new Error(`the authorization request was refused: ${check.error}`);
  const { redirectTo } = await endpoint.approve(check.request, { id: userId });
  const code = new URL(redirectTo).searchParams.get('code') ?? '';
  return h.exchangeCode(client, code, { code_verifier: pair.verifier });
}

/**
 * RFC 6749 §3.3: "If the client omits the scope parameter when requesting authorization, the
 * authorization server MUST either process the request using a pre-defined default value or fail
 * the request indicating an invalid scope." The pre-defined value is the client's `defaultScopes`;
 * without one, such a request fails. It never gets every scope the client may have.
 */
export function defaultScopes(define: DefineConformanceTest): void {
  const POWERFUL = { scopes: ['read', 'write', 'admin'], defaultScopes: ['read'] };

  define('RFC 6749 §3.3 — a client_credentials request without scope gets the client\'s default scope', async (t, h) => {
    const client = await h.registerClient(POWERFUL);
    const body = await h.clientCredentials(client);
    t.is(body.scope, 'read');
    t.true(await h.authenticates(body.access_token));
    t.false((await h.bearer(body.access_token, ['admin'])).ok);
  });

  define('RFC 6749 §3.3 — a password grant without scope gets the default scope, never every scope the client may have', async (t, h) => {
    const client = await h.registerClient(POWERFUL);
    const body = await h.passwordGrant(client, await h.createUser());
    t.is(body.scope, 'read');
    const admin = await h.bearer(body.access_token, ['admin']);
    t.false(admin.ok);
    if (!admin.ok) t.is(admin.response.status, 403);
  });

  define('RFC 6749 §3.3 — a token request without scope is refused 400 invalid_scope when the client has no default scope', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'admin'] });
    const user = await h.createUser();
    for (const body of [
      { grant_type: 'client_credentials' },
      { grant_type: 'password', username: user.username, password: user.password },
    ]) {
      const response = await h.token(body, client);
      t.is(response.status, 400, body.grant_type);
      t.is(errorOf(response), 'invalid_scope', body.grant_type);
    }
  });

  define('RFC 6749 §3.3 — an empty or blank scope parameter names no scope: the default scope is granted', async (t, h) => {
    const client = await h.registerClient(POWERFUL);
    for (const scope of ['', '   ']) {
      const response = await h.token({ grant_type: 'client_credentials', scope }, client);
      t.is(response.status, 200, JSON.stringify(scope));
      t.is((response.body as TokenBody).scope, 'read');
    }
    const none = await h.registerClient({ scopes: ['read'] });
    t.is(errorOf(await h.token({ grant_type: 'client_credentials', scope: '' }, none)), 'invalid_scope');
  });

  define('RFC 6749 §3.3 — a requested scope is granted as requested, the default scope aside', async (t, h) => {
    const client = await h.registerClient(POWERFUL);
    t.is((await h.clientCredentials(client, 'write admin')).scope, 'write admin');
  });

  define('RFC 6749 §3.3 — an authorization request without scope shows and grants the client\'s default scope', async (t, h) => {
    const client = await h.registerClient(POWERFUL);
    const user = await h.createUser();
    const pair = pkcePair();
    const pkce = { code_challenge: pair.challenge, code_challenge_method: 'S256' };
    const check = await h.authorization.validate({ response_type: 'code', client_id: client.id, state: 'xyz', ...pkce });
    if (!check.ok) return void t.fail(`refused: ${check.error}`);
    t.deepEqual(check.request.scope, ['read']);
    const { code } = await h.authorize(client, user, pkce);
    const response = await h.exchangeCode(client, code, { code_verifier: pair.verifier });
    t.is(response.status, 200);
    t.is((response.body as TokenBody).scope, 'read');
  });

  define('RFC 6749 §4.1.2.1 — an authorization request without scope is redirected with invalid_scope when the client has no default scope', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'admin'] });
    const pair = pkcePair();
    const check = await h.authorization.validate({
      response_type: 'code',
      client_id: client.id,
      state: 'xyz',
      code_challenge: pair.challenge,
      code_challenge_method: 'S256',
    });
    t.false(check.ok);
    if (check.ok) return;
    t.is(check.error, 'invalid_scope');
    const redirect = new URL(check.redirectTo ?? 'about:blank');
    t.is(`${redirect.origin}${redirect.pathname}`, 'https://client.example/callback');
    t.is(redirect.searchParams.get('error'), 'invalid_scope');
    t.is(redirect.searchParams.get('state'), 'xyz');
  });

  define('RFC 6749 §6 — a refresh without scope keeps the scope originally granted, not the default scope', async (t, h) => {
    const client = await h.registerClient(POWERFUL);
    const first = await h.passwordGrant(client, await h.createUser(), 'read write');
    const refreshed = await h.refresh(client, first.refresh_token!);
    t.is(refreshed.status, 200);
    t.is((refreshed.body as TokenBody).scope, 'read write');
  });

  define('RFC 6749 §3.3 — a code granted no scope is exchanged for a token without scope, never the client\'s scopes', async (t, h) => {
    const client = await h.registerClient(POWERFUL);
    const user = await h.createUser();
    // An application policy that grants nothing to this request: the code records no scope.
    const nothing: ValidateScope = async () => [];
    const response = await exchangedUnderPolicy(h, nothing, client, user.id, 'read');
    t.is(response.status, 200);
    t.is((response.body as TokenBody).scope, undefined);
    const outcome = await h.bearer((response.body as TokenBody).access_token);
    t.true(outcome.ok && outcome.oauth.scope.length === 0);
  });

  define('RFC 6749 §3.3 — an application scope policy still decides a request without scope', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'] });
    const user = await h.createUser();
    const writeByDefault: ValidateScope = async (_user, _client, requested) => requested ?? ['write'];
    const model = h.provider.userModel(h.provider.users.getUser, h.provider.users.login, writeByDefault);
    const server = new OAuth2Server({ model, requireClientAuthentication: { refresh_token: false } } as OAuth2Server.ServerOptions);
    const controller = createAuthController({ server, provider: h.provider });
    const response = await controller.token({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      query: {},
      body: { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret },
    });
    t.is(response.status, 200);
    t.is((response.body as TokenBody).scope, 'write');
    const exchanged = await exchangedUnderPolicy(h, writeByDefault, client, user.id);
    t.is((exchanged.body as TokenBody).scope, 'write');
  });

  define('RFC 6749 §3.3 — a default scope deleted from the catalogue is no longer granted, shown or kept', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'], defaultScopes: ['read', 'write'] });
    await h.provider.scopes.delete('write');
    t.is((await h.clientCredentials(client)).scope, 'read');
    t.deepEqual((await h.provider.clients.get(client.id))?.defaultScopes, ['read']);
    await h.defineScopes('other');
    const updated = await h.provider.clients.update(client.id, { scopes: ['read', 'other'] });
    t.deepEqual(updated?.defaultScopes, ['read']);
  });

  define('default scopes are stored, returned and changed with the client', async (t, h) => {
    await h.defineScopes('read', 'write');
    const { client } = await h.provider.clients.create({
      id: 'defaults',
      name: 'Defaults',
      grants: ['client_credentials'],
      scopes: ['read', 'write'],
      defaultScopes: ['write', 'read'],
    });
    t.deepEqual(client.defaultScopes, ['write', 'read']);
    t.deepEqual((await h.provider.clients.get('defaults'))?.defaultScopes, ['write', 'read']);
    t.deepEqual((await h.provider.clients.list())[0]?.defaultScopes, ['write', 'read']);
    const updated = await h.provider.clients.update('defaults', { defaultScopes: ['read'] });
    t.deepEqual(updated?.defaultScopes, ['read']);
    t.deepEqual((await h.provider.clients.get('defaults'))?.defaultScopes, ['read']);
    await h.provider.clients.update('defaults', { defaultScopes: [] });
    t.deepEqual((await h.provider.clients.get('defaults'))?.defaultScopes, []);
    const plain = await h.provider.clients.create({ name: 'Plain', grants: ['client_credentials'] });
    t.deepEqual(plain.client.defaultScopes, []);
  });

  define('RFC 6749 §3.3 — a default scope must be one of the client\'s scopes', async (t, h) => {
    await h.defineScopes('read', 'admin');
    const error = await refusal(() =>
      h.provider.clients.create({ name: 'x', grants: ['client_credentials'], scopes: ['read'], defaultScopes: ['admin'] }),
    );
    t.true(error instanceof ValidationError);
    t.is((error as ValidationError).field, 'defaultScopes[0]');
    for (const defaults of [['bad scope'], 'read', [1]]) {
      const invalid = await refusal(() =>
        h.provider.clients.create({ name: 'x', grants: ['client_credentials'], scopes: ['read'], defaultScopes: defaults as never }),
      );
      t.true(invalid instanceof ValidationError, JSON.stringify(defaults));
    }
    t.deepEqual(await h.provider.clients.list(), []);
  });

  define('RFC 6749 §3.3 — an update whose scopes would drop a default scope is refused and changes nothing', async (t, h) => {
    const client = await h.registerClient({ scopes: ['read', 'write'], defaultScopes: ['read'] });
    const error = await refusal(() => h.provider.clients.update(client.id, { scopes: ['write'] }));
    t.true(error instanceof ValidationError);
    t.is((error as ValidationError).field, 'scopes');
    const outside = await refusal(() => h.provider.clients.update(client.id, { defaultScopes: ['admin'] }));
    t.is((outside as ValidationError).field, 'defaultScopes[0]');
    const kept = await h.provider.clients.get(client.id);
    t.deepEqual([kept?.scopes, kept?.defaultScopes], [['read', 'write'], ['read']]);
    // Both in one update is how a default scope is taken away with the scope.
    const updated = await h.provider.clients.update(client.id, { scopes: ['write'], defaultScopes: ['write'] });
    t.deepEqual([updated?.scopes, updated?.defaultScopes], [['write'], ['write']]);
    t.is((await h.clientCredentials(client)).scope, 'write');
  });
}
