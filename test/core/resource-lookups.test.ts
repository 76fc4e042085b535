/**
 * How often the endpoints read the resource registry (RFC 8707): once per request that names or
 * inherits resources, whatever their number — one `findResources` call — and never for a request
 * that has none.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import { createAuthController, createAuthorizationEndpoint, OAuthProvider, type OAuthStorage } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { basic, post } from './fixture.js';

const RESOURCES = ['https://a.example/', 'https://b.example/', 'https://c.example/'];
const REDIRECT_URI = 'https://app.example/callback';

async function setup() {
  let lookups = 0;
  const memory = new MemoryStorage();
  const storage = new Proxy(memory, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        if (property === 'findResources') lookups += 1;
        return member.apply(target, args);
      };
    },
  }) as OAuthStorage;
  const provider = new OAuthProvider(storage, { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  await provider.scopes.define('read');
  for (const id of RESOURCES) await provider.resources.define({ id, name: id });
  const { client, clientSecret } = await provider.clients.create({
    name: 'Client',
    grants: ['authorization_code', 'client_credentials', 'refresh_token'],
    redirectUris: [REDIRECT_URI],
    scopes: ['read'],
    defaultScopes: ['read'],
    requirePkce: false,
  });
  const user = await provider.users.create({ username: 'alice', password: 'correct horse battery' });
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const controller = createAuthController({ server, provider });
  const authorization = createAuthorizationEndpoint({ provider });
  const authorizationHeader = { authorization: basic(client.id, clientSecret ?? '') };
  const token = async (body: Record<string, unknown>) => {
    const response = await controller.token(post(body, authorizationHeader));
    if (response.status !== 200) throw new Error(`token request failed: ${JSON.stringify(response.body)}`);
    return response.body as { access_token: string; refresh_token?: string };
  };
  return {
    authorization,
    client,
    user,
    token,
    /** How many findResources calls `work` made. */
    async lookupsOf(work: () => Promise<unknown>): Promise<number> {
      const before = lookups;
      await work();
      return lookups - before;
    },
  };
}

/** A code for the client bound to every resource, issued without counting. */
async function boundCode(s: Awaited<ReturnType<typeof setup>>): Promise<string> {
  const check = await s.authorization.validate({ response_type: 'code', client_id: s.client.id, redirect_uri: REDIRECT_URI, resource: RESOURCES });
  if (!check.ok) throw new Error(check.errorDescription);
  return new URL((await s.authorization.approve(check.request, { id: s.user.id })).redirectTo).searchParams.get('code') ?? '';
}

test('RFC 8707 §2.2 — a token request reads the resources it names or inherits with one findResources call, and one with none reads none', async (t) => {
  const s = await setup();
  t.is(await s.lookupsOf(() => s.token({ grant_type: 'client_credentials', resource: RESOURCES })), 1);
  t.is(await s.lookupsOf(() => s.token({ grant_type: 'client_credentials' })), 0);
  const code = await boundCode(s);
  let refreshToken = '';
  const exchange = async () => {
    refreshToken = (await s.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI })).refresh_token ?? '';
  };
  t.is(await s.lookupsOf(exchange), 1, 'the code’s resources bound the scope and lifetime of its token');
  t.is(await s.lookupsOf(() => s.token({ grant_type: 'refresh_token', refresh_token: refreshToken, resource: RESOURCES[0] })), 1);
});

test('RFC 8707 §2.1 — the authorization endpoint reads the resources once to show consent, and not again to approve', async (t) => {
  const s = await setup();
  t.is(await s.lookupsOf(() => boundCode(s)), 1);
});
