/**
 * One server process with in-process caches on, driven over IPC by its parent (node-processes.ts):
 * the framework-free token, revocation and guard endpoints of a provider on the database named by
 * the environment. Every `onError` notice is sent to the parent as `{ notice: { code, message } }`.
 *
 * Environment: STACK (sql-postgres | prisma-postgres | sql-mariadb), DATABASE_URL, MAX_AGE_MS,
 * CHANNEL (storage | redis | postgres-url | none), and for `redis` REDIS_URL and REDIS_CHANNEL.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import {
  createAuthController,
  createGuard,
  redisInvalidationChannel,
  type OAuthHttpRequest,
  type OAuthProvider,
  type OAuthProviderOptions,
} from '../../../src/core/index.js';

const stack = process.env.STACK ?? 'sql-postgres';
const url = process.env.DATABASE_URL ?? '';
const channel = process.env.CHANNEL ?? 'storage';
const closers: Array<() => Promise<unknown>> = [];

async function cacheInvalidation(): Promise<OAuthProviderOptions['cacheInvalidation']> {
  if (channel === 'none') return false;
  if (channel === 'postgres-url') {
    const { postgresInvalidationChannel } = await import('../../../src/providers/sql/index.js');
    return postgresInvalidationChannel({ connectionString: url });
  }
  if (channel !== 'redis') return undefined;
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  closers.push(() => redis.quit());
  return redisInvalidationChannel(redis, { channel: process.env.REDIS_CHANNEL ?? 'oauth2kit_cache' });
}

async function provider(options: OAuthProviderOptions): Promise<OAuthProvider> {
  if (stack === 'prisma-postgres') {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { PrismaClient } = await import('../../../generated/prisma/client.js');
    const { OAuthPrismaProvider } = await import('../../../src/providers/prisma/index.js');
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    closers.push(() => prisma.$disconnect());
    return new OAuthPrismaProvider(prisma, options);
  }
  const { OAuthSqlProvider, pgPoolAdapter, mariadbPoolAdapter } = await import('../../../src/providers/sql/index.js');
  if (stack === 'sql-mariadb') {
    const mariadb = await import('mariadb');
    const { connectionOptions } = await import('../../support/databases.js');
    const pool = mariadb.createPool(connectionOptions(url));
    closers.push(() => pool.end());
    return new OAuthSqlProvider(mariadbPoolAdapter(pool), options);
  }
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  closers.push(() => pool.end());
  return new OAuthSqlProvider(pgPoolAdapter(pool), options);
}

const send = (message: unknown) => process.send?.(message);

const oauth = await provider({
  validatedTokenCache: { maxAgeMs: Number(process.env.MAX_AGE_MS ?? '30000') },
  clientCache: { maxAgeMs: Number(process.env.MAX_AGE_MS ?? '30000') },
  cacheInvalidation: await cacheInvalidation(),
  throttle: false,
  onError: (error) =>
    send({ notice: { code: (error as { code?: string }).code ?? 'error', message: error instanceof Error ? error.message : String(error) } }),
});
await oauth.check();
const server = new OAuth2Server({ model: oauth.clientModel() });
const guard = createGuard({ server });
const endpoints = createAuthController({ server, provider: oauth });

interface Client {
  id: string;
  secret: string;
}

function form(client: Client, body: Record<string, string>): OAuthHttpRequest {
  const basic = Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64');
  return { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, query: {}, body };
}

const commands: Record<string, (args: Record<string, unknown>) => Promise<unknown>> = {
  async setup() {
    await oauth.scopes.define('read');
    const { client, clientSecret } = await oauth.clients.create({ name: 'propagation', grants: ['client_credentials'], scopes: ['read'] });
    return { id: client.id, secret: clientSecret };
  },
  async issue({ client }) {
    const response = await endpoints.token(form(client as Client, { grant_type: 'client_credentials', scope: 'read' }));
    const token = (response.body as { access_token?: string }).access_token;
    if (response.status !== 200 || token === undefined) throw new Error(`token request answered ${response.status}`);
    return token;
  },
  async accepted({ token }) {
    const outcome = await guard.check({ method: 'GET', headers: { authorization: `Bearer ${String(token)}` }, query: {}, body: {} }, { scope: ['read'] });
    return outcome.ok;
  },
  async revoke({ client, token }) {
    // RFC 7009 §2.1: the client revokes its own access token.
    return (await endpoints.revoke(form(client as Client, { token: String(token), token_type_hint: 'access_token' }))).status;
  },
  async close() {
    await oauth.close();
    for (const close of closers) await close();
    setImmediate(() => process.exit(0));
    return true;
  },
};

process.on('message', (raw) => {
  const { id, command, args } = raw as { id: number; command: string; args: Record<string, unknown> };
  const run = commands[command];
  (run === undefined ? Promise.reject(new Error(`unknown command ${command}`)) : run(args ?? {})).then(
    (result) => send({ id, result }),
    (error: unknown) => send({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
send({ ready: true });
