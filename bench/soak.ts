/**
 * Soak run (not a test): drives token issuance and guarded requests against a PostgreSQL-backed
 * authorization server for a few minutes and reports throughput over time, the error count (which
 * must be 0) and the server's memory at start and end (which must not keep growing).
 *
 *   node --import tsx bench/soak.ts [--minutes 3] [--provider sql|prisma] [--connections 16]
 *                                   [--purge --expired 1000000]
 *
 * With `--purge`, the database is first seeded with that many expired tokens and, once the load
 * runs, `provider.purgeExpired()` deletes them concurrently: guarded requests must keep flowing
 * (throughput and worst latency during the purge are reported beside the rest).
 *
 * Loopback only; bounded by `--minutes` and `--max-requests`. The database is a fresh one on the
 * server of `OAUTH2KIT_TEST_POSTGRES_URL` (or the local one) and is dropped afterwards. Exits 1
 * when any request failed. Figures of the last run are in docs/reliability.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { provisionPostgres } from '../test/support/databases.js';
import type { SoakMessage, SoakRequest } from './soak-server.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    provider: { type: 'string', default: 'sql' },
    connections: { type: 'string', default: '16' },
    purge: { type: 'boolean', default: false },
    expired: { type: 'string', default: '1000000' },
    'max-requests': { type: 'string', default: '10000000' },
    'interval-seconds': { type: 'string', default: '15' },
  },
});
const minutes = Number(args.minutes);
const connections = Number(args.connections);
const expired = Number(args.expired);
const maxRequests = Number(args['max-requests']);
const intervalMs = Number(args['interval-seconds']) * 1000;
if (!(minutes > 0 && minutes <= 60) || !(connections >= 1 && connections <= 256) || !['sql', 'prisma'].includes(args.provider!)) {
  throw new Error('usage: --minutes 0<m≤60 --connections 1–256 --provider sql|prisma');
}
/** Guarded requests per token issued: resource traffic outweighs issuance in real deployments. */
const GUARDED_PER_TOKEN = 4;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Per-interval counters. */
class Interval {
  tokens = 0;
  guarded = 0;
  errors = 0;
  latencies: number[] = [];
  constructor(readonly startedAt: number) {}
  percentile(p: number): number {
    if (this.latencies.length === 0) return 0;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
}

function startServer(databaseUrl: string): Promise<{ child: ChildProcess; ready: Extract<SoakMessage, { type: 'ready' }> }> {
  const child = fork(new URL('./soak-server.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, SOAK_DATABASE_URL: databaseUrl, SOAK_PROVIDER: args.provider },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: SoakMessage) => {
      if (message.type === 'ready') resolve({ child, ready: message });
      else reject(new Error(message.type === 'failed' ? message.message : `unexpected ${message.type}`));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function ask<T extends SoakMessage['type']>(child: ChildProcess, request: SoakRequest, answer: T): Promise<Extract<SoakMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const listen = (message: SoakMessage) => {
      if (message.type === answer) {
        child.off('message', listen);
        resolve(message as Extract<SoakMessage, { type: T }>);
      } else if (message.type === 'failed') {
        child.off('message', listen);
        reject(new Error(message.message));
      }
    };
    child.on('message', listen);
    child.send(request);
  });
}

/** Seeds `count` expired tokens in one statement (generate_series), as years of unpurged traffic would leave. */
async function seedExpiredTokens(url: string, clientId: string, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = Date.now();
    await client.query(
      `INSERT INTO oauth_tokens (id, access_token_hash, access_token_expires_at, client_id, family_id, expires_at, created_at)
       SELECT gen_random_uuid()::text, md5('soak-' || i) || md5('soak+' || i), now() - interval '2 days', $1,
              gen_random_uuid()::text, now() - interval '1 day', now() - interval '3 days'
       FROM generate_series(1, $2::int) AS i`,
      [clientId, count],
    );
    await client.query('ANALYZE oauth_tokens');
    return (Date.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const database = await provisionPostgres();
  if ('skip' in database) throw new Error(`no PostgreSQL: ${database.skip}`);
  const { child, ready } = await startServer(database.url);
  const basic = `Basic ${Buffer.from(`${ready.clientId}:${ready.clientSecret}`).toString('base64')}`;
  const report: string[] = [];
  const line = (text: string) => {
    report.push(text);
    process.stdout.write(`${text}\n`);
  };
  line(`soak: provider=${args.provider} connections=${connections} minutes=${minutes}${args.purge ? ` purge of ${expired} expired tokens` : ''}`);

  if (args.purge) line(`seeded ${expired} expired tokens in ${(await seedExpiredTokens(database.url, ready.clientId, expired)).toFixed(1)} s`);

  const errorsSeen = new Map<string, number>();
  let total = 0;
  let current = new Interval(Date.now());
  const intervals: Interval[] = [];
  const deadline = Date.now() + minutes * 60_000;
  let purge: { startedAt: number; endedAt?: number; result?: Extract<SoakMessage, { type: 'purged' }> } | undefined;
  const purgeWindow: Interval = new Interval(0);

  const timed = async (work: () => Promise<Response>, kind: 'tokens' | 'guarded'): Promise<Response | undefined> => {
    const started = performance.now();
    try {
      const response = await work();
      const body = await response.text();
      const latency = performance.now() - started;
      current.latencies.push(latency);
      if (purge && purge.endedAt === undefined) {
        purgeWindow.latencies.push(latency);
        if (kind === 'guarded') purgeWindow.guarded += 1;
      }
      if (response.status !== 200) {
        current.errors += 1;
        errorsSeen.set(`${kind} ${response.status} ${body.slice(0, 120)}`, (errorsSeen.get(`${kind} ${response.status} ${body.slice(0, 120)}`) ?? 0) + 1);
        return undefined;
      }
      current[kind] += 1;
      return new Response(body, { status: 200 });
    } catch (error) {
      current.errors += 1;
      const key = `${kind} ${(error as Error).name}: ${(error as Error).message}`;
      errorsSeen.set(key, (errorsSeen.get(key) ?? 0) + 1);
      return undefined;
    } finally {
      total += 1;
    }
  };

  async function worker(): Promise<void> {
    while (Date.now() < deadline && total < maxRequests) {
      const issued = await timed(
        () => fetch(`${ready.origin}/auth/token`, { method: 'POST', headers: { authorization: basic }, body: new URLSearchParams({ grant_type: 'client_credentials' }) }),
        'tokens',
      );
      if (!issued) continue;
      const { access_token: accessToken } = (await issued.json()) as { access_token: string };
      for (let i = 0; i < GUARDED_PER_TOKEN; i += 1) {
        await timed(() => fetch(`${ready.origin}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } }), 'guarded');
      }
    }
  }

  const memoryAtStart = await ask(child, { type: 'memory' }, 'memory');
  line(`server memory at start: rss ${mb(memoryAtStart.rss)}, heap after GC ${mb(memoryAtStart.heapUsed)}`);
  line('   t(s)  tokens/s  guarded/s  errors  p50(ms)  p99(ms)  max(ms)   server rss   heap after GC');

  const reporter = setInterval(() => {
    const finished = current;
    current = new Interval(Date.now());
    intervals.push(finished);
    const seconds = (Date.now() - finished.startedAt) / 1000;
    void ask(child, { type: 'memory' }, 'memory').then((memory) => {
      const elapsed = ((Date.now() - intervals[0]!.startedAt) / 1000).toFixed(0).padStart(7);
      line(
        `${elapsed}  ${(finished.tokens / seconds).toFixed(0).padStart(8)}  ${(finished.guarded / seconds).toFixed(0).padStart(9)}  ${String(finished.errors).padStart(6)}  ${finished.percentile(50).toFixed(1).padStart(7)}  ${finished.percentile(99).toFixed(1).padStart(7)}  ${Math.max(0, ...finished.latencies).toFixed(0).padStart(7)}  ${mb(memory.rss).padStart(11)}  ${mb(memory.heapUsed).padStart(14)}`,
      );
    });
  }, intervalMs);

  if (args.purge) {
    // Once the load is established, purge concurrently with it.
    setTimeout(() => {
      purge = { startedAt: Date.now() };
      line(`purgeExpired() started at t=${((Date.now() - intervals[0]!.startedAt) / 1000).toFixed(0)} s`);
      void ask(child, { type: 'purge' }, 'purged').then((result) => {
        purge!.endedAt = Date.now();
        purge!.result = result;
        line(`purgeExpired() deleted ${result.tokens} tokens and ${result.codes} codes in ${result.seconds.toFixed(1)} s`);
      });
    }, Math.min(intervalMs, (minutes * 60_000) / 4));
  }

  await Promise.all(Array.from({ length: connections }, worker));
  clearInterval(reporter);
  const memoryAtEnd = await ask(child, { type: 'memory' }, 'memory');

  const errors = intervals.reduce((sum, interval) => sum + interval.errors, current.errors);
  const tokens = intervals.reduce((sum, interval) => sum + interval.tokens, current.tokens);
  const guarded = intervals.reduce((sum, interval) => sum + interval.guarded, current.guarded);
  line(`total: ${tokens} tokens issued, ${guarded} guarded requests, ${errors} errors`);
  line(`server memory at end: rss ${mb(memoryAtEnd.rss)}, heap after GC ${mb(memoryAtEnd.heapUsed)}`);
  if (purge) {
    if (purge.endedAt === undefined) line('purgeExpired() had not finished when the run ended');
    else {
      const seconds = (purge.endedAt - purge.startedAt) / 1000;
      line(`during the purge: ${(purgeWindow.guarded / seconds).toFixed(0)} guarded/s, p99 ${purgeWindow.percentile(99).toFixed(1)} ms, max ${Math.max(0, ...purgeWindow.latencies).toFixed(0)} ms`);
    }
  }
  for (const [error, count] of errorsSeen) line(`error ×${count}: ${error}`);

  const exited = once(child, 'exit');
  child.send({ type: 'stop' } satisfies SoakRequest);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  if (child.exitCode === null) child.kill();
  await database.close();
  process.exitCode = errors === 0 && (!args.purge || purge?.endedAt !== undefined) ? 0 : 1;
}

await main();
