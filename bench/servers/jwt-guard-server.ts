/**
 * The server of the JWT guard scenarios: a resource server with no database, one route behind
 * `jwtGuard({ scope: ['read'] })` from oauth2-kit/koa answering what the OAuth server's guarded
 * route answers, exactly as an application on another machine mounts it.
 *
 * Environment (set by the harness): `BENCH_JWT_ISSUER`, `BENCH_JWT_JWKS_URI`, `BENCH_JWT_RESOURCE`;
 * `BENCH_CACHE`: `on` (default) keeps verified tokens, `off` verifies every signature.
 */
import Router from '@koa/router';
import Koa from 'koa';
import { jwtGuard } from '../../src/koa/index.js';
import { runBenchServer } from './bench-listen.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

await runBenchServer(async () => {
  const requireToken = jwtGuard({
    issuer: required('BENCH_JWT_ISSUER'),
    jwksUri: required('BENCH_JWT_JWKS_URI'),
    resource: required('BENCH_JWT_RESOURCE'),
    ...(process.env.BENCH_CACHE === 'off' ? { verifiedTokenCache: false as const } : {}),
  });
  const app = new Koa();
  app.on('error', (error: unknown) => process.stderr.write(`[jwt server] ${String(error)}\n`));
  const api = new Router();
  api.get('/api/resource', requireToken({ scope: ['read'] }), (ctx) => {
    const { client, user, scope } = ctx.state.oauth!;
    ctx.body = { client: client.id, user: user?.id ?? null, scope };
  });
  app.use(api.routes());
  return { handler: app.callback(), close: async () => {} };
});
