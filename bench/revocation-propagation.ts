/**
 * Propagation of a revocation between server processes with in-process caches on: two nodes (real
 * child processes, test/caching/support/cache-node.ts) on one scratch PostgreSQL database, caches
 * on with a 30 s bound; a token is issued on A and validated (so cached) on B, revoked on A through
 * the RFC 7009 endpoint, and B is polled until it first refuses it. The time from A's answer to
 * B's first refusal, over many revocations, is the propagation latency of the channel — PostgreSQL
 * LISTEN/NOTIFY, and Redis pub/sub when a Redis answers at BENCH_REDIS_URL (default
 * redis://127.0.0.1:6379). Each poll is one IPC round trip to B (a fraction of a millisecond),
 * which bounds the resolution.
 *
 * `npm run bench -- --only propagation --quick` runs 50 revocations per channel; a full run, 200.
 */
import { randomBytes } from 'node:crypto';
import { startCacheNode, timeUntilRefused, type CacheNode } from '../test/caching/support/node-processes.js';
import { redisMissing } from '../test/caching/support/redis-probe.js';
import { createScratchDatabase } from './scratch-database.js';
import type { BenchContext, ResultRow, Scenario } from './scenarios.js';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAX_AGE_MS = 30_000;
const WARM_UP_REVOCATIONS = 10;

interface Channel {
  label: string;
  env: Record<string, string>;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(channel: Channel, revocations: number, log: (line: string) => void): Promise<ResultRow> {
  const db = await createScratchDatabase('propagation');
  const env = { STACK: 'sql-postgres', DATABASE_URL: db.url, MAX_AGE_MS: String(MAX_AGE_MS), ...channel.env };
  let nodes: CacheNode[] = [];
  try {
    nodes = await Promise.all([startCacheNode(env, 'node A'), startCacheNode(env, 'node B')]);
    const [a, b] = nodes as [CacheNode, CacheNode];
    const client = await a.call<{ id: string; secret: string }>('setup');
    const latencies: number[] = [];
    let unpropagated = 0;
    // Unmeasured first rounds: module loading and JIT in fresh processes are not propagation.
    for (let i = -WARM_UP_REVOCATIONS; i < revocations; i += 1) {
      const token = await a.call<string>('issue', { client });
      if (!(await b.call<boolean>('accepted', { token }))) throw new Error('node B refused a fresh token');
      await b.call<boolean>('accepted', { token });
      if ((await a.call<number>('revoke', { client, token })) !== 200) throw new Error('revocation on node A failed');
      const elapsed = await timeUntilRefused(b, token, 2000);
      if (i < 0) continue;
      if (Number.isFinite(elapsed)) latencies.push(elapsed);
      else unpropagated += 1;
    }
    latencies.sort((x, y) => x - y);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    log(`  ${channel.label}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms over ${latencies.length}; slowest ${latencies.slice(-5).map((x) => x.toFixed(1)).join(', ')}`);
    return {
      scenario: 'revocation propagated to another process (caches on, 30 s bound)',
      server: channel.label,
      rps: NaN,
      ratio: NaN,
      ratioRange: [NaN, NaN],
      ceilingRps: NaN,
      ceilingTail: NaN,
      cpuMicrosPerRequest: NaN,
      cpuRatio: NaN,
      dbCpuMicrosPerRequest: NaN,
      p50,
      p99,
      errors: unpropagated,
      responses: revocations,
      notes: [
        `${channel.label}: ${revocations} revocations on node A (RFC 7009), time from A's answer to node B's first refusal; ` +
          `max ${latencies.at(-1)?.toFixed(2)} ms; "errors" counts revocations B still accepted after 2 s`,
      ],
    };
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await db.drop();
  }
}

/** The `propagation` scenario: one row per channel. */
export const revocationPropagation: Scenario = {
  id: 'propagation',
  async run(context: BenchContext) {
    const quick = context.settings.repetitions === 1 && context.settings.seconds <= 2;
    const revocations = Number(process.env.BENCH_PROPAGATION_REVOCATIONS ?? (quick ? 50 : 200));
    const channels: Channel[] = [{ label: 'PostgreSQL NOTIFY', env: { CHANNEL: 'storage' } }];
    if ((await redisMissing(REDIS_URL)) === undefined) {
      channels.push({ label: 'Redis pub/sub', env: { CHANNEL: 'redis', REDIS_URL, REDIS_CHANNEL: `oauth2kit_bench_${randomBytes(4).toString('hex')}` } });
    } else {
      context.log(`  Redis pub/sub not measured: no Redis answers at ${REDIS_URL}`);
    }
    const rows: ResultRow[] = [];
    for (const channel of channels) rows.push(await measure(channel, revocations, context.log));
    return rows;
  },
};
