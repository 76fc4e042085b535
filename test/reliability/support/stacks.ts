/**
 * Complete authorization servers for the reliability tests: a provider (raw SQL or Prisma) on a
 * fresh database (PostgreSQL, MariaDB or PGlite), the real oauth2-server, the Koa router and a
 * guarded API route, served over loopback HTTP. Optionally the database is reached through a
 * {@link TcpProxy} so that a test can cut it.
 *
 * Each stack also keeps a direct connection to its database (never through the proxy) for the
 * assertions about what is stored.
 */
import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import OAuth2Server from '@node-oauth/oauth2-server';
import Router from '@koa/router';
import Koa from 'koa';
import type { OAuthProvider, OAuthProviderOptions } from '../../../src/core/index.js';
import { authorizationPage, createOAuthRouter } from '../../../src/koa/index.js';
import { connectionOptions, provisionMariaDb, provisionPGlite, provisionPostgres, resolveServer } from '../../support/databases.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { serve } from '../../koa/support/http-server.js';
import { createExampleApp } from '../../../examples/app.js';
import type { JsonLog } from '../../../examples/json-log.js';

export type Backend = 'postgres' | 'mariadb' | 'pglite';
export type ProviderKind = 'sql' | 'prisma';

/** Which provider on which database. */
export interface StackSpec {
  provider: ProviderKind;
  backend: Backend;
}

/** The combinations the issue asks the race and outage tests to cover. */
export const SERVER_STACKS: readonly StackSpec[] = [
  { provider: 'sql', backend: 'postgres' },
  { provider: 'prisma', backend: 'postgres' },
  { provider: 'sql', backend: 'mariadb' },
];

export function stackName(spec: StackSpec): string {
  const provider = spec.provider === 'sql' ? 'OAuthSqlProvider' : 'OAuthPrismaProvider';
  const backend = { postgres: 'PostgreSQL', mariadb: 'MariaDB', pglite: 'PGlite' }[spec.backend];
  return `${provider} on ${backend}`;
}

export interface StackOptions {
  /** Reach the database through a TCP proxy the test controls. */
  proxy?: boolean;
  /** Settings of the provider (the cheapest scrypt cost is the default here). */
  providerOptions?: OAuthProviderOptions;
  /**
   * Driver timeouts, as docs/reliability.md recommends them, scaled down for tests: how long a
   * connection attempt, and a statement, may take before the driver gives up on the connection.
   */
  driverTimeouts?: { connectMs: number; statementMs: number };
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /**
   * For `pglite` stacks: run on this database instead of a fresh one (it is left open), with the
   * stack's clients and user under ids of their own, so that many stacks can share one database.
   */
  sharedPGlite?: PGlite;
  /** Serve the shipped sign-in and consent page at the authorization endpoint. */
  authorizePage?: boolean;
  /** Serve the example application (examples/app.ts) instead, logging to this log. */
  exampleLog?: JsonLog;
}

/** A client and a user every stack registers. */
export interface StackParties {
  /** Confidential client allowed every grant, scopes `read` and `write`; `read` by default (RFC 6749 §3.3). */
  confidential: { id: string; secret: string };
  /** Public client for the code flow with PKCE. */
  public: { id: string; redirectUri: string };
  user: { id: string; username: string; password: string };
}

export interface Stack extends StackParties {
  name: string;
  provider: OAuthProvider;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The proxy between the provider and its database, when asked for. */
  proxy: TcpProxy | undefined;
  /** Failures the interactors reported through `onError` (storage outages, bugs); empty for the example app. */
  reportedErrors: unknown[];
  /** Errors the Koa application emitted. */
  emittedErrors: unknown[];
  /** Runs a parameterless statement directly on the database (never through the proxy). */
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** `${origin}/auth/<endpoint>` */
  endpoint(name: 'token' | 'revoke' | 'introspect' | 'authorize'): string;
  close(): Promise<void>;
}

export const REDIRECT_URI = 'https://app.example/callback';

interface Opened {
  /** A provider on the stack's database connection with these options. */
  provider(options: OAuthProviderOptions): OAuthProvider;
  /**
   * A provider on the same tables for the test's set-up: straight to the database, without the
   * proxy and the tight driver timeouts an outage test configures, so that a busy machine cannot
   * fail the set-up (the SQL provider serves the Prisma stacks' set-up too: same tables).
   */
  setupProvider(options: OAuthProviderOptions): OAuthProvider;
  rows<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/** Opens the provider and a direct reader on a fresh database, or says why it cannot. */
async function openProvider(spec: StackSpec, options: StackOptions, proxyFor: (port: number) => Promise<number>): Promise<Opened | { skip: string }> {
  const max = options.poolSize ?? 10;
  const timeouts = options.driverTimeouts;
  if (spec.backend === 'pglite') {
    const db = options.sharedPGlite ? { pglite: options.sharedPGlite, close: async () => {} } : await provisionPGlite();
    const rows = async <T>(sql: string) => (await db.pglite.query<T>(sql)).rows;
    if (spec.provider === 'sql') {
      const { OAuthSqlProvider, pgliteAdapter } = await import('../../../src/providers/sql/index.js');
      const sql = pgliteAdapter(db.pglite);
      const provider = (settings: OAuthProviderOptions) => new OAuthSqlProvider(sql, settings);
      return { provider, setupProvider: provider, rows, close: () => db.close() };
    }
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const { PrismaClient } = await import('../../../generated/prisma/client.js');
    const { OAuthPrismaProvider } = await import('../../../src/providers/prisma/index.js');
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db.pglite) });
    const provider = (settings: OAuthProviderOptions) => new OAuthPrismaProvider(prisma, settings);
    return {
      provider,
      setupProvider: provider,
      rows,
      async close() {
        await prisma.$disconnect();
        await db.close();
      },
    };
  }

  if (spec.backend === 'postgres') {
    const db = await provisionPostgres();
    if ('skip' in db) return db;
    const pg = (await import('pg')).default;
    const direct = new pg.Client({ connectionString: db.url });
    await direct.connect();
    const url = new URL(db.url);
    const port = await proxyFor(Number(url.port || 5432));
    const config = {
      host: '127.0.0.1',
      port,
      user: decodeURIComponent(url.username || 'postgres'),
      password: decodeURIComponent(url.password),
      database: db.database,
      max,
      ...(timeouts ? { connectionTimeoutMillis: timeouts.connectMs, query_timeout: timeouts.statementMs } : {}),
    };
    const rows = async <T>(sql: string) => (await direct.query(sql)).rows as T[];
    const { OAuthSqlProvider, pgPoolAdapter } = await import('../../../src/providers/sql/index.js');
    const setupPool = new pg.Pool({ connectionString: db.url, max: 2 });
    const setupProvider = (settings: OAuthProviderOptions) => new OAuthSqlProvider(pgPoolAdapter(setupPool), settings);
    const cleanUp = async () => {
      await setupPool.end();
      await direct.end();
      await db.close();
    };
    if (spec.provider === 'sql') {
      const pool = new pg.Pool(config);
      return {
        provider: (settings) => new OAuthSqlProvider(pgPoolAdapter(pool), settings),
        setupProvider,
        rows,
        async close() {
          await pool.end();
          await cleanUp();
        },
      };
    }
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { PrismaClient } = await import('../../../generated/prisma/client.js');
    const { OAuthPrismaProvider } = await import('../../../src/providers/prisma/index.js');
    // Generous interactive-transaction limits: many test files share two cores.
    const prisma = new PrismaClient({ adapter: new PrismaPg(config), transactionOptions: { maxWait: 60_000, timeout: 60_000 } });
    return {
      provider: (settings) => new OAuthPrismaProvider(prisma, settings),
      setupProvider,
      rows,
      async close() {
        await prisma.$disconnect();
        await cleanUp();
      },
    };
  }

  if (spec.provider === 'prisma') return { skip: 'the Prisma provider is not run on MariaDB' };
  const db = await provisionMariaDb();
  if ('skip' in db) return db;
  const mariadb = await import('mariadb');
  const target = connectionOptions(db.url);
  const direct = await mariadb.createConnection(target);
  const port = await proxyFor(target.port);
  const { OAuthSqlProvider, mariadbPoolAdapter } = await import('../../../src/providers/sql/index.js');
  const pool = mariadb.createPool({
    ...target,
    host: '127.0.0.1',
    port,
    connectionLimit: max,
    ...(timeouts
      ? { connectTimeout: timeouts.connectMs, acquireTimeout: timeouts.connectMs * 2, socketTimeout: timeouts.statementMs }
      : {}),
  });
  const setupPool = mariadb.createPool({ ...target, connectionLimit: 2 });
  return {
    provider: (settings) => new OAuthSqlProvider(mariadbPoolAdapter(pool), settings),
    setupProvider: (settings) => new OAuthSqlProvider(mariadbPoolAdapter(setupPool), settings),
    rows: async <T>(sql: string) => [...((await direct.query(sql)) as T[])],
    async close() {
      await pool.end();
      await setupPool.end();
      await direct.end();
      await db.close();
    },
  };
}

/** Registers the stack's scopes, clients and user. */
async function registerParties(provider: OAuthProvider, suffix: string): Promise<StackParties> {
  await provider.scopes.define('read', 'Read access');
  await provider.scopes.define('write', 'Write access');
  const confidential = await provider.clients.create({
    id: `service${suffix}`,
    name: 'Service',
    grants: ['authorization_code', 'client_credentials', 'password', 'refresh_token'],
    redirectUris: [REDIRECT_URI],
    scopes: ['read', 'write'],
    defaultScopes: ['read'],
  });
  await provider.clients.create({
    id: `spa${suffix}`,
    name: 'Single-page app',
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT_URI],
    scopes: ['read'],
    confidential: false,
  });
  const password = 'correct horse battery staple';
  const user = await provider.users.create({ username: `alice${suffix}`, password });
  return {
    confidential: { id: `service${suffix}`, secret: confidential.clientSecret ?? '' },
    public: { id: `spa${suffix}`, redirectUri: REDIRECT_URI },
    user: { id: user.id, username: user.username, password },
  };
}

/** The OAuth routes and one guarded route, reporting failures to `reportedErrors`. */
function testApp(provider: OAuthProvider, options: StackOptions, reportedErrors: unknown[]): Koa {
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const router = createOAuthRouter({
    provider,
    server,
    issuer: 'http://127.0.0.1',
    onError: (error) => reportedErrors.push(error),
    ...(options.authorizePage ? { authorize: authorizationPage({ provider }) } : {}),
  });
  const api = new Router({ prefix: '/api' });
  api.get('/me', router.guard(), (ctx) => {
    ctx.body = { client: ctx.state.oauth?.client.id ?? null, user: ctx.state.oauth?.user?.id ?? null };
  });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods()).use(api.routes()).use(api.allowedMethods());
  return app;
}

/**
 * Why `spec` cannot be opened here, decided without opening it (undefined when it can): for test
 * files to register its tests as declared skips at load time, before any test is declared.
 */
export async function stackUnavailableReason(spec: StackSpec): Promise<string | undefined> {
  if (spec.backend === 'pglite') return undefined;
  if (spec.backend === 'mariadb' && spec.provider === 'prisma') return 'the Prisma provider is not run on MariaDB';
  const server = await resolveServer(spec.backend);
  return 'skip' in server ? server.skip : undefined;
}

/** Builds the server for `spec`, or returns why its database is unavailable here. */
export async function openStack(spec: StackSpec, options: StackOptions = {}): Promise<Stack | { skip: string }> {
  let proxy: TcpProxy | undefined;
  const proxyFor = async (port: number) => {
    if (!options.proxy) return port;
    proxy = await startTcpProxy({ host: '127.0.0.1', port });
    return proxy.port;
  };
  const opened = await openProvider(spec, options, proxyFor);
  if ('skip' in opened) return opened;
  // The cheapest scrypt cost: these tests are not about password hashing. The password grant is
  // an explicit opt-in (RFC 9700 §2.4): these tests get user tokens through it.
  const cheap: OAuthProviderOptions = { passwordHashCost: { N: 2, r: 1, p: 1 }, allowPasswordGrant: true };
  const provider = opened.provider({ ...cheap, ...options.providerOptions });
  let parties: StackParties;
  try {
    // Registered straight to the database with the default settings, so that neither the tight
    // timeouts an outage test configures nor its proxy can fail the set-up on a busy machine.
    parties = await registerParties(opened.setupProvider(cheap), options.sharedPGlite ? `-${randomBytes(4).toString('hex')}` : '');
  } catch (error) {
    await opened.close();
    await proxy?.close();
    throw error;
  }

  const reportedErrors: unknown[] = [];
  const served = await serve(options.exampleLog ? createExampleApp({ provider, log: options.exampleLog, issuer: 'http://127.0.0.1', allowQueryAccessToken: true }) : testApp(provider, options, reportedErrors));

  return {
    ...parties,
    name: stackName(spec),
    provider,
    origin: served.origin,
    proxy,
    reportedErrors,
    emittedErrors: served.emittedErrors,
    rows: opened.rows,
    endpoint: (name) => `${served.origin}/auth/${name}`,
    async close() {
      proxy?.restore();
      await served.close();
      await opened.close();
      await proxy?.close();
    },
  };
}
