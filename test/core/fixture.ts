import OAuth2Server from '@node-oauth/oauth2-server';
import { createAuthController, OAuthProvider, type OAuthHttpRequest, type OAuthProviderOptions } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import type { OAuthStorage } from '../../src/core/storage/storage-port.js';

/** A driver error whose message must never reach a response. */
export const DRIVER_MESSAGE = 'connect ECONNREFUSED 10.0.0.7:5432 password=hunter2';

/** A memory-backed provider whose storage can be switched to failing like a dropped connection. */
export function failableProvider(options: OAuthProviderOptions = {}) {
  const memory = new MemoryStorage();
  let failing = false;
  const storage = new Proxy(memory, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => (failing ? Promise.reject(new Error(DRIVER_MESSAGE)) : member.apply(target, args));
    },
  }) as OAuthStorage;
  const provider = new OAuthProvider(storage, { passwordHashCost: { N: 1024, r: 8, p: 1 }, ...options });
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  return {
    provider,
    server,
    failFromNowOn: () => {
      failing = true;
    },
  };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export function post(body: Record<string, unknown>, headers: Record<string, string> = {}): OAuthHttpRequest {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, query: {}, body };
}

export function get(headers: Record<string, string>, query: Record<string, string> = {}): OAuthHttpRequest {
  return { method: 'GET', headers, query, body: {} };
}

/** A memory-backed provider and a client_credentials access token it issued (scope `read`). */
export async function issuedClientToken() {
  const { provider, server } = failableProvider();
  await provider.scopes.define('read');
  const { client, clientSecret } = await provider.clients.create({ name: 'c', grants: ['client_credentials'], scopes: ['read'], defaultScopes: ['read'] });
  const controller = createAuthController({ server, provider });
  const response = await controller.token(post({ grant_type: 'client_credentials' }, { authorization: basic(client.id, clientSecret!) }));
  return { provider, server, accessToken: (response.body as { access_token: string }).access_token };
}
