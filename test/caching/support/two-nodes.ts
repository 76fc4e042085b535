/**
 * Two server nodes on one database, each with its own in-process caches, as two processes behind a
 * load balancer would be: a real database (in-memory PGlite), the SQL provider, and the
 * framework-free interactors. Both nodes read one hand-moved clock, so that cache ages are decided
 * by the test, never by how fast the machine runs it.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import {
  createAuthController,
  createGuard,
  type AuthControllerInteractor,
  type OAuth2GuardInteractor,
  type OAuthHttpRequest,
  type OAuthProvider,
  type OAuthProviderOptions,
} from '../../../src/core/index.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../../src/providers/sql/index.js';
import { provisionPGlite } from '../../support/databases.js';

export interface Node {
  provider: OAuthProvider;
  guard: OAuth2GuardInteractor;
  endpoints: AuthControllerInteractor;
}

export interface TwoNodes {
  /** The node under observation; caches as given. */
  here: Node;
  /** Another process on the same database. */
  elsewhere: Node;
  clock: { advance(ms: number): void; now(): Date };
  client: { id: string; secret: string };
  userId: string;
  username: string;
  password: string;
  close(): Promise<void>;
}

function nodeOf(provider: OAuthProvider): Node {
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  return { provider, guard: createGuard({ server }), endpoints: createAuthController({ server, provider }) };
}

export async function twoNodes(options: OAuthProviderOptions): Promise<TwoNodes> {
  const db = await provisionPGlite();
  let instant = Date.now();
  const clock = { advance: (ms: number) => void (instant += ms), now: () => new Date(instant) };
  // The password grant is an explicit opt-in (RFC 9700 §2.4): these tests get user tokens through it.
  const shared: OAuthProviderOptions = { passwordHashCost: { N: 1024, r: 8, p: 1 }, now: clock.now, allowPasswordGrant: true };
  const here = nodeOf(new OAuthSqlProvider(pgliteAdapter(db.pglite), { ...shared, ...options }));
  const elsewhere = nodeOf(new OAuthSqlProvider(pgliteAdapter(db.pglite), { ...shared, ...options }));
  await here.provider.scopes.define('read');
  const { client, clientSecret } = await here.provider.clients.create({
    name: 'cached',
    grants: ['client_credentials', 'password', 'refresh_token'],
    scopes: ['read'],
  });
  const password = 'correct horse battery staple';
  const user = await here.provider.users.create({ username: 'alice', password });
  return {
    here,
    elsewhere,
    clock,
    client: { id: client.id, secret: clientSecret! },
    userId: user.id,
    username: user.username,
    password,
    close: () => db.close(),
  };
}

export function basic(client: { id: string; secret: string }): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
}

export function tokenRequest(client: { id: string; secret: string }, form: Record<string, string>): OAuthHttpRequest {
  return {
    method: 'POST',
    headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
    query: {},
    body: form,
  };
}

export function bearer(accessToken: string): OAuthHttpRequest {
  return { method: 'GET', headers: { authorization: `Bearer ${accessToken}` }, query: {}, body: {} };
}

/** A password grant on `node`: the user's access and refresh tokens. */
export async function signIn(nodes: TwoNodes, node: Node): Promise<{ access: string; refresh: string }> {
  const response = await node.endpoints.token(
    tokenRequest(nodes.client, { grant_type: 'password', username: nodes.username, password: nodes.password, scope: 'read' }),
  );
  const body = response.body as { access_token?: string; refresh_token?: string };
  if (response.status !== 200 || !body.access_token || !body.refresh_token) {
    throw new Error(`password grant failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return { access: body.access_token, refresh: body.refresh_token };
}

/** Whether `node`'s guard lets the token through. */
export async function accepted(node: Node, accessToken: string): Promise<boolean> {
  return (await node.guard.check(bearer(accessToken), { scope: ['read'] })).ok;
}
