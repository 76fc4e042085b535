/**
 * With in-process caches on, a revocation made through one server process reaches the caches of
 * every other at once through the database's notification channel (PostgreSQL LISTEN/NOTIFY), not
 * after `maxAgeMs`: the bound here is 30 s, so only the notification can explain a refusal within
 * 50 ms. Each node is a real child process on one PostgreSQL database.
 */
import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import { provisioned, provisionPostgres, serverGate } from '../support/databases.js';
import { startCacheNode, timeUntilRefused, type CacheNode } from './support/node-processes.js';

const gate = await serverGate('postgres', 'caching');
const MAX_AGE_MS = 30_000;
const WITHIN_MS = 50;

interface Cluster {
  a: CacheNode;
  b: CacheNode;
  client: { id: string; secret: string };
  url: string;
}

async function cluster(t: ExecutionContext, env: Record<string, string> = {}): Promise<Cluster> {
  const db = provisioned(await provisionPostgres());
  const common = { STACK: 'sql-postgres', DATABASE_URL: db.url, MAX_AGE_MS: String(MAX_AGE_MS), ...env };
  const [a, b] = await Promise.all([startCacheNode(common, 'node A'), startCacheNode(common, 'node B')]);
  t.teardown(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await db.close();
  });
  const client = await a.call<{ id: string; secret: string }>('setup');
  return { a, b, client, url: db.url };
}

/** Issues a token on A, has B cache it, revokes it on A (RFC 7009) and times B's first refusal. */
async function revokeAndTime(t: ExecutionContext, { a, b, client }: Cluster): Promise<number> {
  const token = await a.call<string>('issue', { client });
  t.true(await b.call<boolean>('accepted', { token }), 'B accepts the token, and caches its validation');
  t.true(await b.call<boolean>('accepted', { token }));
  t.is(await a.call<number>('revoke', { client, token }), 200);
  t.false(await a.call<boolean>('accepted', { token }), 'the revoking node refuses it at once');
  return timeUntilRefused(b, token, 2000);
}

async function listenerPids(url: string): Promise<number[]> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'oauth2kit-cache-listener'",
    );
    return rows.map((row) => row.pid);
  } finally {
    await admin.end();
  }
}

async function terminate(url: string, pids: number[]): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  } finally {
    await admin.end();
  }
}

gate.register(test.serial, 'a token revoked on one process is refused by another within 50 ms, far inside maxAgeMs (PostgreSQL NOTIFY)', async (t) => {
  const nodes = await cluster(t);
  // Five revocations: the median is judged against 50 ms, so that one scheduling hiccup of a
  // loaded machine does not decide; every one must still be far inside the 30 s bound.
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) times.push(await revokeAndTime(t, nodes));
  times.sort((x, y) => x - y);
  t.log(`propagated in ${times.map((x) => x.toFixed(1)).join(', ')} ms`);
  t.true(times[2]! < WITHIN_MS, `median ${times[2]} ms`);
  t.true(times[4]! < 2000, `slowest ${times[4]} ms`);
  t.deepEqual(nodes.b.notices, [], 'nothing to report while the channel is up');
});

gate.register(test.serial, 'a dropped LISTEN connection is reported once, its return too, and revocations propagate again after it', async (t) => {
  const nodes = await cluster(t);
  const pids = await listenerPids(nodes.url);
  t.is(pids.length, 2, 'one listening connection per node');
  await terminate(nodes.url, pids);
  const lost = await nodes.b.notice('cache_invalidation_lost');
  t.regex(lost.message, /cache invalidation channel lost \(PostgreSQL LISTEN oauth2kit_cache: .*terminat.*\).*maxAgeMs \(30000 ms\)/);
  const restored = await nodes.b.notice('cache_invalidation_restored');
  t.regex(restored.message, /cache invalidation channel restored: in-process caches cleared/);
  t.is(nodes.b.notices.filter((notice) => notice.code === 'cache_invalidation_lost').length, 1, 'said once');
  const elapsed = await revokeAndTime(t, nodes);
  t.true(elapsed < 2000, `after the restore, B refused after ${elapsed} ms, far inside maxAgeMs`);
});

gate.register(test.serial, 'with cacheInvalidation: false, a revocation on another process waits for maxAgeMs (the documented bound)', async (t) => {
  const { a, b, client } = await cluster(t, { CHANNEL: 'none', MAX_AGE_MS: '3000' });
  const token = await a.call<string>('issue', { client });
  t.true(await b.call<boolean>('accepted', { token }), 'B accepts the token, and caches its validation');
  const cachedAt = performance.now();
  t.is(await a.call<number>('revoke', { client, token }), 200);
  // Timed from B's read, not from the revocation, which a loaded machine may delay: B learns of
  // the revocation only from its own read again, once the entry is past half its bound (1.5 s,
  // less the few ms between B's read and its answer here), and by the bound at the latest.
  const elapsed = await timeUntilRefused(b, token, 6000, cachedAt);
  t.true(elapsed >= 1400 && elapsed < 5000, `B refused ${elapsed} ms after it cached the token`);
});

gate.register(test.serial, 'a channel built from a connection string (as for Prisma) carries revocations between processes', async (t) => {
  const nodes = await cluster(t, { CHANNEL: 'postgres-url' });
  const elapsed = await revokeAndTime(t, nodes);
  t.true(elapsed < 2000, `B refused after ${elapsed} ms, far inside maxAgeMs`);
});
