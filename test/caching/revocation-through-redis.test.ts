/**
 * With `cacheInvalidation: redisInvalidationChannel(redis)`, revocations travel over Redis pub/sub
 * between server processes (each a real child process on one PostgreSQL database), and a dropped
 * subscriber connection is reported, reconnected and reported back.
 */
import { randomBytes } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { Redis } from 'ioredis';
import { provisioned, provisionPostgres, serverGate } from '../support/databases.js';
import { startCacheNode, timeUntilRefused, type CacheNode } from './support/node-processes.js';
import { redisMissing } from './support/redis-probe.js';

const REDIS_URL = process.env.OAUTH2KIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const gate = await serverGate('postgres', 'caching');

const missing = gate.skip ?? (await redisMissing(REDIS_URL));
if (missing !== undefined) console.warn(`[caching] Redis tests skipped: ${missing}`);
const declare = (title: string, run: (t: ExecutionContext) => Promise<void>) =>
  missing === undefined ? test.serial(title, run) : test.skip(`${title} (no Redis or PostgreSQL server)`, run);

async function cluster(t: ExecutionContext): Promise<{ a: CacheNode; b: CacheNode; client: { id: string; secret: string } }> {
  const db = provisioned(await provisionPostgres());
  const env = {
    STACK: 'sql-postgres',
    DATABASE_URL: db.url,
    MAX_AGE_MS: '30000',
    CHANNEL: 'redis',
    REDIS_URL,
    REDIS_CHANNEL: `oauth2kit_test_${randomBytes(6).toString('hex')}`,
  };
  const [a, b] = await Promise.all([startCacheNode(env, 'node A'), startCacheNode(env, 'node B')]);
  t.teardown(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await db.close();
  });
  return { a, b, client: await a.call('setup') };
}

async function revokeAndTime(t: ExecutionContext, { a, b, client }: Awaited<ReturnType<typeof cluster>>): Promise<number> {
  const token = await a.call<string>('issue', { client });
  t.true(await b.call<boolean>('accepted', { token }));
  t.is(await a.call<number>('revoke', { client, token }), 200);
  return timeUntilRefused(b, token, 2000);
}

declare('a token revoked on one process is refused by another at once (far inside maxAgeMs) through Redis pub/sub', async (t) => {
  const nodes = await cluster(t);
  const elapsed = await revokeAndTime(t, nodes);
  t.log(`propagated in ${elapsed.toFixed(1)} ms`);
  t.true(elapsed < 2000, `B refused after ${elapsed} ms, far inside maxAgeMs (30 s)`);
});

declare('a killed Redis subscriber connection is reported once, its return too, and revocations propagate again after it', async (t) => {
  const nodes = await cluster(t);
  const admin = new Redis(REDIS_URL);
  t.teardown(() => admin.quit());
  await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
  const lost = await nodes.b.notice('cache_invalidation_lost');
  t.regex(lost.message, /cache invalidation channel lost \(Redis subscriber connection closed/);
  await nodes.b.notice('cache_invalidation_restored');
  const elapsed = await revokeAndTime(t, nodes);
  t.true(elapsed < 2000, `after the restore, B refused after ${elapsed} ms`);
});
