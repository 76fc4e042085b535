/**
 * One server process of the shared-limits test: the token endpoint on a provider over the database
 * (or Redis) named by the environment, with a small client limit. Prints `{"port":N}` once it
 * listens; runs until killed.
 *
 * Environment: STACK (sql-postgres | prisma-postgres | sql-mariadb | redis), DATABASE_URL,
 * CLIENT_LIMIT, and for `redis` REDIS_URL and KEY_PREFIX.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import type { OAuthProvider, OAuthProviderOptions } from '../../../src/core/index.js';
import { createOAuthRouter } from '../../../src/koa/index.js';

const stack = process.env.STACK ?? '';
const url = process.env.DATABASE_URL ?? '';
const limit = Number(process.env.CLIENT_LIMIT ?? '4');

async function throttle(): Promise<OAuthProviderOptions['throttle']> {
  const clients = { maxFailures: limit, windowSeconds: 300 };
  if (stack !== 'redis') return { clients };
  const { Redis } = await import('ioredis');
  const { RateLimiterRedis } = await import('rate-limiter-flexible');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false });
  const prefix = process.env.KEY_PREFIX ?? '';
  return { clients, store: (settings) => new RateLimiterRedis({ storeClient: redis, ...settings, keyPrefix: `${prefix}${settings.keyPrefix}` }) };
}

async function provider(options: OAuthProviderOptions): Promise<OAuthProvider> {
  if (stack === 'prisma-postgres') {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { PrismaClient } = await import('../../../generated/prisma/client.js');
    const { OAuthPrismaProvider } = await import('../../../src/providers/prisma/index.js');
    return new OAuthPrismaProvider(new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) }), options);
  }
  const { OAuthSqlProvider, pgPoolAdapter, mariadbPoolAdapter } = await import('../../../src/providers/sql/index.js');
  if (stack === 'sql-mariadb') {
    const mariadb = await import('mariadb');
    return new OAuthSqlProvider(mariadbPoolAdapter(mariadb.createPool(url)), options);
  }
  const pg = (await import('pg')).default;
  return new OAuthSqlProvider(pgPoolAdapter(new pg.Pool({ connectionString: url })), options);
}

const oauth = await provider({ throttle: await throttle() });
await oauth.check();
const router = createOAuthRouter({ provider: oauth, server: new OAuth2Server({ model: oauth.clientModel() }) });
const app = new Koa();
app.use(router.routes()).use(router.allowedMethods());
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
