/**
 * A real Koa application over HTTP, as an application mounts oauth2-kit: the OAuth router and one
 * guarded route (scope `read`). Used to count what one HTTP request costs the database.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import type { OAuthProvider } from '../../../src/core/index.js';
import { createOAuthRouter } from '../../../src/koa/index.js';

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

export async function startApp(provider: OAuthProvider): Promise<RunningApp> {
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const oauth = createOAuthRouter({ provider, server });
  const api = new Router();
  api.get('/api/resource', oauth.guard({ scope: ['read'] }), (ctx) => {
    ctx.body = { client: ctx.state.oauth!.client.id };
  });
  const app = new Koa();
  app.use(oauth.routes()).use(api.routes());
  const http: Server = createServer(app.callback());
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

/** A confidential client allowed everything the scenarios use, a user, and the `read` scope. */
export interface Fixture {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export async function seedFixture(provider: OAuthProvider): Promise<Fixture> {
  await provider.scopes.define('read');
  const { client, clientSecret } = await provider.clients.create({
    name: 'round trips',
    grants: ['client_credentials', 'password', 'refresh_token'],
    scopes: ['read'],
  });
  const password = 'correct horse battery staple';
  const user = await provider.users.create({ username: `user-${client.id}`, password });
  return { clientId: client.id, clientSecret: clientSecret!, username: user.username, password };
}

function basic(fixture: Fixture): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(fixture.clientId)}:${encodeURIComponent(fixture.clientSecret)}`).toString('base64')}`;
}

export interface TokenAnswer {
  status: number;
  access_token?: string;
  refresh_token?: string;
}

/** POST /auth/token with the client's Basic credentials (RFC 6749 §2.3.1). */
export async function tokenRequest(app: RunningApp, fixture: Fixture, form: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(`${app.url}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic(fixture), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** GET of the guarded route with a bearer token; the status. */
export async function guardedRequest(app: RunningApp, accessToken: string): Promise<number> {
  const response = await fetch(`${app.url}/api/resource`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.arrayBuffer();
  return response.status;
}
