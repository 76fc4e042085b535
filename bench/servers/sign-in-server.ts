/**
 * The server of `npm run bench:sign-in-flood`: the sign-in page on the PostgreSQL scratch database
 * named by BENCH_DATABASE_URL, with the default password hashing cost and one user. FLOOD_GATE=off turns the bound on password
 * checks in flight off (the behaviour before it existed); the failure-count limits are off in both
 * runs, so that the figures show what the bound alone does.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import { authorizationPage, createOAuthRouter } from '../../src/koa/index.js';
import pg from 'pg';
import { OAuthSqlProvider, pgPoolAdapter } from '../../src/providers/sql/index.js';

const gate = process.env.FLOOD_GATE !== 'off';
const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 10 });
const provider = new OAuthSqlProvider(pgPoolAdapter(pool), {
  throttle: { sources: false, users: false, slowdown: false, ...(gate ? {} : { passwordChecks: false }) },
});
await provider.scopes.define('read');
const { client } = await provider.clients.create({
  name: 'Bench app',
  grants: ['authorization_code'],
  redirectUris: ['https://app.example/callback'],
  scopes: ['read'],
  defaultScopes: ['read'],
});
await provider.users.create({ username: 'alice', password: 'correct horse battery' });
const router = createOAuthRouter({
  provider,
  server: new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) }),
  authorize: authorizationPage({ provider }),
});
const app = new Koa();
app.use(router.routes()).use(router.allowedMethods());
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0, clientId: client.id });
});
