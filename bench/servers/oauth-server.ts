/**
 * The server under test: oauth2-kit on Koa 3 exactly as an application mounts it — the OAuth router
 * (`POST /auth/token`, …) and one route behind `router.guard()` — on the SQL or the Prisma provider,
 * against PostgreSQL.
 *
 * Environment (set by the harness):
 * - `BENCH_PROVIDER`: `sql` or `prisma`;
 * - `BENCH_DATABASE_URL`: the scratch database;
 * - `BENCH_CACHE`: `on` enables the opt-in in-process caches (validated tokens, clients), `off` (default)
 *   makes every request read PostgreSQL;
 * - `BENCH_POOL_SIZE`: database connections per process (default 10, node-postgres' default; the
 *   harness passes one per HTTP connection);
 * - `BENCH_WORKERS`: server processes (node:cluster), default 1.
 */
import Router from '@koa/router';
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import type { OAuthProvider, OAuthProviderOptions } from '../../src/core/index.js';
import { createOAuthRouter } from '../../src/koa/index.js';
import { runBenchServer, type BenchServer } from './bench-listen.js';

interface OpenedProvider {
  provider: OAuthProvider;
  close(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function providerOptions(): OAuthProviderOptions {
  const cache = process.env.BENCH_CACHE ?? 'off';
  if (cache === 'off') return {};
  if (cache === 'on') return { validatedTokenCache: { maxAgeMs: 1000 }, clientCache: { maxAgeMs: 1000 } };
  throw new Error(`BENCH_CACHE must be on or off, got ${cache}`);
}

async function openProvider(): Promise<OpenedProvider> {
  const url = required('BENCH_DATABASE_URL');
  const max = Number(process.env.BENCH_POOL_SIZE ?? '10');
  const options = providerOptions();
  switch (process.env.BENCH_PROVIDER) {
    case 'sql': {
      const pg = (await import('pg')).default;
      const { OAuthSqlProvider, pgPoolAdapter } = await import('../../src/providers/sql/index.js');
      const pool = new pg.Pool({ connectionString: url, max });
      return { provider: new OAuthSqlProvider(pgPoolAdapter(pool), options), close: () => pool.end() };
    }
    case 'prisma': {
      const { PrismaPg } = await import('@prisma/adapter-pg');
      const { PrismaClient } = await import('../../generated/prisma/client.js');
      const { OAuthPrismaProvider, preparedStatementName } = await import('../../src/providers/prisma/index.js');
      const adapter = new PrismaPg({ connectionString: url, max }, { statementNameGenerator: preparedStatementName });
      const prisma = new PrismaClient({ adapter });
      return { provider: new OAuthPrismaProvider(prisma, options), close: () => prisma.$disconnect() };
    }
    default:
      throw new Error(`BENCH_PROVIDER must be sql or prisma, got ${process.env.BENCH_PROVIDER}`);
  }
}

await runBenchServer(async (): Promise<BenchServer> => {
  const { provider, close } = await openProvider();
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const oauth = createOAuthRouter({ provider, server });
  const app = new Koa();
  // Failures are counted by the load generator as non-2xx; their causes are worth one line each.
  app.on('error', (error: unknown) => {
    const chain: string[] = [];
    for (let e = error as { cause?: unknown; inner?: unknown } | undefined; e && chain.length < 4; e = (e.inner ?? e.cause) as typeof e) {
      chain.push(String(e));
    }
    process.stderr.write(`[${process.env.BENCH_PROVIDER} server] ${chain.join(' ← ')}\n`);
  });
  const api = new Router();
  // The guarded route answers what an API typically reads from the validation: who is calling.
  api.get('/api/resource', oauth.guard({ scope: ['read'] }), (ctx) => {
    const { client, user, scope } = ctx.state.oauth!;
    ctx.body = { client: client.id, user: user?.id ?? null, scope };
  });
  app.use(oauth.routes()).use(api.routes());
  return { handler: app.callback(), close };
});
