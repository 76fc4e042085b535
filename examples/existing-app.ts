/**
 * The README's "Mount the router in a Koa app" snippet: everything below this comment is in the README
 * character for character (a test compares them), so that what users copy is code that typechecks.
 * Run: DATABASE_URL=postgresql://… node --import tsx examples/existing-app.ts (after `oauth2-kit migrate`).
 */
import Koa from 'koa';
import Router from '@koa/router';
import pg from 'pg';
import OAuth2Server from '@node-oauth/oauth2-server';
import { OAuthSqlProvider, pgPoolAdapter } from 'oauth2-kit/sql';
import { createAuthController, createGuard } from 'oauth2-kit';
import { authorizationPage, createOAuthRouter, guard } from 'oauth2-kit/koa';

const provider = new OAuthSqlProvider(pgPoolAdapter(new pg.Pool({ connectionString: process.env.DATABASE_URL })));

const server = new OAuth2Server({
  model: provider.userModel(provider.users.getUser, provider.users.login),
  requireClientAuthentication: { refresh_token: false }, // public clients refresh with client_id alone
} as OAuth2Server.ServerOptions);

const oauth = createOAuthRouter({
  issuer: 'https://auth.example.com',
  authController: createAuthController({ server, provider }),
  authorize: authorizationPage({ provider, csrfSecret: process.env.CSRF_SECRET }),
});

const bearer = createGuard({ provider });
const api = new Router();
api.get('/api/me', guard(bearer), (ctx) => {
  ctx.body = ctx.state.oauth; // { token, client, user, scope }
});
api.get('/api/admin', guard(bearer, { scope: ['admin'] }), (ctx) => {
  ctx.body = { admin: true, user: ctx.state.oauth?.user?.id ?? null };
});

await provider.check(); // throws OAuthStorageCheckError: wrong URL, database down, tables missing

new Koa()
  .use(oauth.routes()).use(oauth.allowedMethods())
  .use(api.routes()).use(api.allowedMethods())
  .listen(3000);
