/**
 * `npm run bench`: oauth2-kit's throughput and latency against PostgreSQL, each figure next to a
 * bare Koa route measured in the same run. Results go to stdout as a Markdown table (and, with
 * `--out FILE`, to a file); nothing here is asserted by `npm test`.
 *
 * Options:
 *   --seconds N       seconds per measured interval (default 5)
 *   --warmup N        seconds of warm-up per server (default 2)
 *   --repetitions N   measured intervals per figure; the median is reported (default 3)
 *   --connections N   concurrent HTTP connections (default 32)
 *   --pool N          database connections per server process (default: as many as HTTP connections)
 *   --rows N          expired rows beside the validation tokens in the large database (default 1 000 000)
 *   --only A,B        only the scenarios whose id starts with one of these (see bench/scenarios.ts)
 *   --quick           a smoke run: --seconds 2 --warmup 1 --repetitions 1 --rows 100000
 *   --profile         run the servers with --cpu-prof; profiles land in bench/profiles/
 *   --out FILE        also write the table there
 *
 * Environment: BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres); scratch
 * databases are created on that server and dropped at the end. BENCH_NODE_FLAGS: more Node flags
 * for the server processes, space-separated (`--trace-gc` shows what the collector costs).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { MeasureSettings } from './measure.js';
import { machineDescription, markdownTable, percent } from './report.js';
import { createScratchDatabase, serverUrl, type ScratchDatabase } from './scratch-database.js';
import { formatCount, HISTORY_ROWS, scenarios, VALIDATION_TOKENS, type BenchContext, type ResultRow, type SeededDatabase } from './scenarios.js';
import { seedAccessTokens, seedExpiredRows, seedFixture, settle } from './seeding.js';
import { DatabaseCpu } from './database-cpu.js';
import { guardedRequests } from './requests.js';
import { startServer, type ServerProcess } from './server-process.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    repetitions: { type: 'string' },
    connections: { type: 'string' },
    pool: { type: 'string' },
    rows: { type: 'string' },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return n;
}

const quick = values.quick === true;
const settings: MeasureSettings = {
  seconds: wholeNumber('seconds', values.seconds, quick ? 2 : 5, 1),
  warmupSeconds: wholeNumber('warmup', values.warmup, quick ? 1 : 2, 0),
  repetitions: wholeNumber('repetitions', values.repetitions, quick ? 1 : 3, 1),
  connections: wholeNumber('connections', values.connections, 32, 1),
};
const poolSize = wholeNumber('pool', values.pool, settings.connections, 1);
const expiredRows = wholeNumber('rows', values.rows, quick ? 100_000 : 1_000_000, 0);
const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
const selected = only ? scenarios.filter((s) => only.some((prefix) => s.id.startsWith(prefix))) : scenarios;
if (selected.length === 0) throw new Error(`--only matches no scenario; ids: ${scenarios.map((s) => s.id).join(', ')}`);

const profileDir = fileURLToPath(new URL('./profiles/', import.meta.url));
const nodeFlags = [...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const databases: ScratchDatabase[] = [];
const databaseCpu = new DatabaseCpu();
const pools: pg.Pool[] = [];
let ceiling: ServerProcess | undefined;

async function seeded(label: string, validationTokens: number): Promise<SeededDatabase> {
  const db = await createScratchDatabase(label);
  databases.push(db);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pools.push(pool);
  const fixture = await seedFixture(db.url);
  const accessTokens = await seedAccessTokens(pool, fixture, validationTokens);
  return { url: db.url, pool, fixture, accessTokens };
}

async function cleanUp(): Promise<void> {
  await ceiling?.stop().catch(() => {});
  await databaseCpu.close().catch(() => {});
  await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
  for (const db of databases) await db.drop().catch((error: unknown) => log(`could not drop ${db.name}: ${String(error)}`));
}

process.once('SIGINT', () => {
  log('interrupted: cleaning up');
  void cleanUp().finally(() => process.exit(130));
});

const rows: ResultRow[] = [];
const startedAt = new Date();
try {
  log(`${machineDescription()}; PostgreSQL at ${new URL(serverUrl).host}`);
  log(
    `${settings.connections} connections, ${poolSize} database connections per server, ${settings.warmupSeconds} s warm-up, ` +
      `${settings.repetitions} × ${settings.seconds} s per figure; scenarios: ${selected.map((s) => s.id).join(', ')}`,
  );
  if (values.profile) await mkdir(profileDir, { recursive: true });

  log('seeding scratch databases');
  const reads = await seeded('reads', VALIDATION_TOKENS);
  const writes = await seeded('writes', 1000);
  const large = await seeded('large', 1000);
  // A deployment's token table holds the history of its purge interval beside the live tokens.
  // On a near-empty table PostgreSQL plans the batched lookup (`= ANY($1)`) as a sequential scan
  // of every row (docs/benchmarks.md), a cost no deployment under load pays: the validation and
  // write databases hold HISTORY_ROWS expired rows, as one issuing about one token a second and
  // purging daily does.
  for (const db of [reads, writes]) await seedExpiredRows(db.pool, db.fixture, HISTORY_ROWS, () => undefined);
  const needsLarge = selected.some((s) => s.id.startsWith('rows') || s.id.startsWith('purge'));
  if (needsLarge && expiredRows > 0) {
    const seedStart = performance.now();
    await seedExpiredRows(large.pool, large.fixture, expiredRows, (done) => log(`  expired rows: ${formatCount(done)}`));
    log(`  ${formatCount(expiredRows)} rows in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`);
  }

  for (const db of [reads, writes, large]) await settle(db.pool);
  await databaseCpu.open();
  settings.databaseCpu = databaseCpu;

  ceiling = await startServer({ name: 'bare Koa', script: 'bare-koa.ts', nodeFlags });
  const context: BenchContext = {
    settings,
    ceiling: { server: ceiling, source: guardedRequests(reads.accessTokens) },
    reads,
    writes,
    large,
    nodeFlags,
    poolSize,
    log,
  };
  for (const scenario of selected) {
    log(`scenario ${scenario.id}`);
    const result = await scenario.run(context);
    for (const row of result) {
      log(`  ${row.scenario} (${row.server}): ${Math.round(row.rps)} req/s, ${percent(row.ratio)} of Koa`);
    }
    rows.push(...result);
  }
} finally {
  await cleanUp();
}

const report = [
  `Taken ${startedAt.toISOString()} on ${machineDescription()}.`,
  `${settings.connections} HTTP connections, ${poolSize} database connections per server process; ${settings.warmupSeconds} s warm-up, then ${settings.repetitions} × ${settings.seconds} s ` +
    'per figure alternating with the bare Koa route; medians. Latencies are of 2xx responses.',
  '',
  markdownTable(rows),
  '',
].join('\n');
process.stdout.write(`\n${report}`);
if (values.out) await writeFile(values.out, report);
