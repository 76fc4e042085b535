/**
 * Limits shared by every server process (RFC 6749 §10.10): two processes on one database — or on
 * one Redis — count an attacker's failures together, so running N processes does not allow N
 * times the limit. Real processes, real databases, the attacker at 127.0.0.2.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { OAuthSqlProvider, mariadbPoolAdapter, pgPoolAdapter } from '../../src/providers/sql/index.js';
import { provisionMariaDb, provisionPostgres, serverGate, type ProvisionedServerDatabase } from '../support/databases.js';
import { ATTACKER, basic, requestFrom, VICTIM } from './support/from-address.js';

const SERVER = fileURLToPath(new URL('./support/throttled-server.ts', import.meta.url));
const LIMIT = 4;

/** Starts one server process and resolves with its origin once it listens. */
function startServer(env: Record<string, string>, processes: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  processes.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server process exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`));
  });
}

/** Registers the victim's client straight to the database. */
async function registerClient(kind: 'postgres' | 'mariadb', url: string): Promise<{ id: string; secret: string }> {
  let close: () => Promise<void>;
  let provider: OAuthSqlProvider;
  if (kind === 'postgres') {
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    provider = new OAuthSqlProvider(pgPoolAdapter(pool));
    close = () => pool.end();
  } else {
    const mariadb = await import('mariadb');
    const pool = mariadb.createPool(url);
    provider = new OAuthSqlProvider(mariadbPoolAdapter(pool));
    close = () => pool.end();
  }
  try {
    await provider.scopes.define('read');
    const { client, clientSecret } = await provider.clients.create({ name: 'Victim', grants: ['client_credentials'], scopes: ['read'], defaultScopes: ['read'] });
    return { id: client.id, secret: clientSecret! };
  } finally {
    await close();
  }
}

async function twoProcessesShareTheLimit(t: import('ava').ExecutionContext, stack: string, database: ProvisionedServerDatabase, extraEnv: Record<string, string> = {}) {
  const processes: ChildProcess[] = [];
  t.teardown(async () => {
    for (const child of processes) child.kill();
    await database.close();
  });
  const client = await registerClient(stack === 'sql-mariadb' ? 'mariadb' : 'postgres', database.url);
  const env = { STACK: stack, DATABASE_URL: database.url, CLIENT_LIMIT: String(LIMIT), ...extraEnv };
  const origins = await Promise.all([startServer(env, processes), startServer(env, processes)]);
  const attempt = (from: string, origin: string, secret: string) =>
    requestFrom(from, `${origin}/auth/token`, { headers: { authorization: basic(client.id, secret) }, form: { grant_type: 'client_credentials' } });

  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 2; i += 1) statuses.push((await attempt(ATTACKER, origins[i % 2]!, `wrong-${i}`)).status);
  // Counted per process, each would have seen 3 failures of the 4 allowed and answered 401 throughout.
  t.deepEqual(statuses, [...Array(LIMIT).fill(401), 429, 429]);
  for (const origin of origins) t.is((await attempt(VICTIM, origin, client.secret)).status, 200, 'the victim is not concerned');
}

const REDIS_URL = process.env.OAUTH2KIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Why there is no Redis server to use, or undefined when there is one. */
function redisUnavailable(): Promise<string | undefined> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379), timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer from ${REDIS_URL}`);
    });
    socket.once('error', (error) => resolve(`${REDIS_URL}: ${error.message}`));
  });
}

const postgres = await serverGate('postgres', 'throttling');
const mariadb = await serverGate('mariadb', 'throttling');
const noRedis = postgres.skip ?? (await redisUnavailable());

postgres.register(test, 'RFC 6749 §10.10 — two server processes of the SQL provider on one PostgreSQL database share the failure counts', async (t) => {
  const database = await provisionPostgres();
  if ('skip' in database) throw new Error(database.skip);
  await twoProcessesShareTheLimit(t, 'sql-postgres', database);
});

postgres.register(test, 'RFC 6749 §10.10 — two server processes of the Prisma provider on one PostgreSQL database share the failure counts', async (t) => {
  const database = await provisionPostgres();
  if ('skip' in database) throw new Error(database.skip);
  await twoProcessesShareTheLimit(t, 'prisma-postgres', database);
});

mariadb.register(test, 'RFC 6749 §10.10 — two server processes of the SQL provider on one MariaDB database share the failure counts', async (t) => {
  const database = await provisionMariaDb();
  if ('skip' in database) throw new Error(database.skip);
  await twoProcessesShareTheLimit(t, 'sql-mariadb', database);
});

if (noRedis !== undefined) console.log(`[throttling] Redis test skipped: ${noRedis}`);
(noRedis === undefined ? test : test.skip)(`RFC 6749 §10.10 — with a Redis store, two server processes share the failure counts there${noRedis === undefined ? '' : ' (no Redis server)'}`, async (t) => {
  const database = await provisionPostgres();
  if ('skip' in database) throw new Error(database.skip);
  await twoProcessesShareTheLimit(t, 'redis', database, { REDIS_URL, KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:` });
});
