/**
 * The server half of the soak run (bench/soak.ts forks it): an authorization server on the
 * PostgreSQL database named by `SOAK_DATABASE_URL`, with the provider named by `SOAK_PROVIDER`
 * (`sql` or `prisma`), serving the OAuth routes and a guarded `GET /api/me` on a loopback port.
 *
 * Runs in its own process so that the memory it reports is the server's alone. It answers the
 * driver's messages: `memory` (after a full garbage collection when run with --expose-gc), `purge`
 * (runs `provider.purgeExpired()` and reports how long it took), `stop`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OAuth2Server from '@node-oauth/oauth2-server';
import Router from '@koa/router';
import Koa from 'koa';
import pg from 'pg';
import type { OAuthProvider } from '../src/core/index.js';
import { createOAuthRouter } from '../src/koa/index.js';

export type SoakRequest = { type: 'memory' } | { type: 'purge' } | { type: 'stop' };

export type SoakMessage =
  | { type: 'ready'; origin: string; clientId: string; clientSecret: string }
  | { type: 'memory'; rss: number; heapUsed: number }
  | { type: 'purged'; tokens: number; codes: number; seconds: number }
  | { type: 'failed'; message: string };

const send = (message: SoakMessage) => process.send?.(message);

async function openProvider(url: string, kind: string): Promise<{ provider: OAuthProvider; close(): Promise<void> }> {
  // The pool settings docs/reliability.md recommends: bounded connection and statement waits.
  const poolConfig = { connectionString: url, max: 10, connectionTimeoutMillis: 5_000, query_timeout: 10_000 };
  if (kind === 'prisma') {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { PrismaClient } = await import('../generated/prisma/client.js');
    const { OAuthPrismaProvider, preparedStatementName } = await import('../src/providers/prisma/index.js');
    const prisma = new PrismaClient({ adapter: new PrismaPg(poolConfig, { statementNameGenerator: preparedStatementName }) });
    return { provider: new OAuthPrismaProvider(prisma), close: () => prisma.$disconnect() };
  }
  const { OAuthSqlProvider, pgPoolAdapter } = await import('../src/providers/sql/index.js');
  const pool = new pg.Pool(poolConfig);
  return { provider: new OAuthSqlProvider(pgPoolAdapter(pool)), close: () => pool.end() };
}

async function main(): Promise<void> {
  const url = process.env.SOAK_DATABASE_URL;
  if (!url) throw new Error('SOAK_DATABASE_URL is not set');
  const { provider, close } = await openProvider(url, process.env.SOAK_PROVIDER ?? 'sql');
  await provider.scopes.define('read', 'Read access');
  const { client, clientSecret } = await provider.clients.create({ id: 'soak', name: 'Soak', grants: ['client_credentials'], scopes: ['read'], defaultScopes: ['read'] });

  const server = new OAuth2Server({ model: provider.clientModel() });
  const router = createOAuthRouter({ provider, server, issuer: 'http://127.0.0.1' });
  const api = new Router();
  api.get('/api/me', router.guard(), (ctx) => {
    ctx.body = { client: ctx.state.oauth?.client.id ?? null };
  });
  const app = new Koa();
  app.on('error', () => {});
  app.use(router.routes()).use(router.allowedMethods()).use(api.routes()).use(api.allowedMethods());
  const http = createServer(app.callback());
  // Keep-alive longer than the driver's, so that the server never closes a connection it is reusing.
  http.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  process.on('message', (request: SoakRequest) => {
    switch (request.type) {
      case 'memory': {
        (globalThis as { gc?: () => void }).gc?.();
        const { rss, heapUsed } = process.memoryUsage();
        send({ type: 'memory', rss, heapUsed });
        return;
      }
      case 'purge': {
        const started = process.hrtime.bigint();
        provider.purgeExpired().then(
          (result) => send({ type: 'purged', ...result, seconds: Number(process.hrtime.bigint() - started) / 1e9 }),
          (error: unknown) => send({ type: 'failed', message: `purge failed: ${(error as Error).name}` }),
        );
        return;
      }
      case 'stop':
        http.closeAllConnections();
        http.close(() => void close().then(() => process.exit(0)));
        return;
    }
  });
  send({ type: 'ready', origin: `http://127.0.0.1:${port}`, clientId: client.id, clientSecret: clientSecret! });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
