/**
 * `npm run bench:statements`: what the hot paths' storage calls cost, per call, in the process that
 * makes them and in PostgreSQL, for the SQL provider (node-postgres) and the Prisma provider side by
 * side: no HTTP, no load generator, so the providers' own differences show without the machine's
 * phases in between. Each call goes through the provider's storage (`SqlStorage`, `PrismaStorage`),
 * as the core makes it; two calls in flight at once; medians over the rounds, the providers taking
 * turns within each round.
 *
 *   node --import tsx bench/statement-costs.ts [--calls N] [--rounds N]
 *
 * The token table holds 101 000 rows (1 000 live tokens, 100 000 expired), as in `npm run bench`.
 * Environment: BENCH_POSTGRES_URL, as for `npm run bench`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { OAuthStorage, TokenRecord } from '../src/core/index.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { preparedStatementName } from '../src/providers/prisma/index.js';
import { PrismaStorage } from '../src/providers/prisma/prisma-storage.js';
import { pgPoolAdapter } from '../src/providers/sql/index.js';
import { SqlStorage } from '../src/providers/sql/sql-storage.js';
import { DatabaseCpu } from './database-cpu.js';
import { median } from './load.js';
import { machineDescription, markdownGrid, percent } from './report.js';
import { createScratchDatabase } from './scratch-database.js';
import { seedAccessTokens, seedExpiredRows, seedFixture, settle, type BenchFixture } from './seeding.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '7' } } });
const calls = Number(values.calls);
const rounds = Number(values.rounds);

/** One storage call of a hot path; `n` numbers the call, so that each can read or write other rows. */
interface Operation {
  label: string;
  call: (storage: OAuthStorage, n: number) => Promise<unknown>;
}

function issuance(fixture: BenchFixture): TokenRecord {
  const digest = () => createHash('sha256').update(randomUUID()).digest('hex');
  const now = new Date();
  const later = new Date(now.getTime() + 3_600_000);
  return {
    id: randomUUID(),
    accessTokenHash: digest(),
    accessTokenExpiresAt: later,
    refreshTokenHash: digest(),
    refreshTokenExpiresAt: later,
    scope: fixture.scope,
    audience: null,
    clientId: fixture.clientId,
    userId: fixture.userId,
    familyId: randomUUID(),
    authorizationCodeId: null,
    revokedAt: null,
    authTime: null,
    acr: null,
    amr: null,
    expiresAt: later,
    createdAt: now,
  };
}

/** Per call: the caller's CPU and PostgreSQL's, µs. */
interface Cost {
  node: number;
  database: number;
}

async function measure(storage: OAuthStorage, operation: Operation, cpu: DatabaseCpu, database: string): Promise<Cost> {
  for (let n = 0; n < 100; n++) await operation.call(storage, n);
  const databaseBefore = await cpu.sample(database);
  const nodeBefore = process.cpuUsage();
  let next = 0;
  const loop = async () => {
    while (next < calls) await operation.call(storage, next++);
  };
  await Promise.all([loop(), loop()]);
  const node = process.cpuUsage(nodeBefore);
  const databaseAfter = await cpu.sample(database);
  return { node: (node.user + node.system) / calls, database: cpu.used(databaseBefore, databaseAfter) / calls };
}

const database = await createScratchDatabase('statements');
const cpu = new DatabaseCpu();
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url, max: 2 }, { statementNameGenerator: preparedStatementName }) });
try {
  await cpu.open();
  const fixture = await seedFixture(database.url);
  const tokens = await seedAccessTokens(pool, fixture, 1000);
  await seedExpiredRows(pool, fixture, 100_000);
  await settle(pool);
  const digests = Array.from({ length: tokens.count }, (_, i) => createHash('sha256').update(tokens.token(i + 1)).digest('hex'));
  const digestsFor = (n: number, count: number) => Array.from({ length: count }, (_, i) => digests[(n * count + i) % digests.length]!);
  const operations: Operation[] = [
    { label: 'token lookup, one digest (a lightly loaded guard)', call: (storage, n) => storage.findAccessTokens(digestsFor(n, 1)) },
    { label: 'token lookup, 13 digests (a batch under load)', call: (storage, n) => storage.findAccessTokens(digestsFor(n, 13)) },
    { label: 'token insert, 10 issuances (a batch under load)', call: (storage) => storage.insertTokens(Array.from({ length: 10 }, () => issuance(fixture))) },
  ];
  const providers: Array<[name: string, storage: OAuthStorage]> = [
    ['sql', new SqlStorage(pgPoolAdapter(pool))],
    ['prisma', new PrismaStorage(prisma)],
  ];
  process.stderr.write(`[statements] ${machineDescription()}; ${calls} calls × ${rounds} rounds per figure\n`);
  const rows: string[][] = [];
  for (const operation of operations) {
    const costs = new Map<string, Cost[]>(providers.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      // Alternate which provider goes first, so that neither always follows the other.
      const order = round % 2 === 0 ? providers : [...providers].reverse();
      for (const [name, storage] of order) costs.get(name)!.push(await measure(storage, operation, cpu, database.name));
    }
    const [sql, prismaCosts] = [costs.get('sql')!, costs.get('prisma')!];
    const of = (list: Cost[], key: keyof Cost) => median(list.map((cost) => cost[key]));
    const [sqlNode, prismaNode, sqlDatabase, prismaDatabase] = [of(sql, 'node'), of(prismaCosts, 'node'), of(sql, 'database'), of(prismaCosts, 'database')];
    rows.push([
      operation.label,
      sqlNode.toFixed(0),
      prismaNode.toFixed(0),
      percent(prismaNode / sqlNode),
      sqlDatabase.toFixed(0),
      prismaDatabase.toFixed(0),
      percent(prismaDatabase / sqlDatabase),
    ]);
    process.stderr.write(`[statements] ${operation.label}: done\n`);
  }
  console.log(
    markdownGrid(
      ['call', 'SQL: process µs', 'Prisma: process µs', 'Prisma ÷ SQL', 'SQL: PostgreSQL µs', 'Prisma: PostgreSQL µs', 'Prisma ÷ SQL (PostgreSQL)'],
      rows,
      1,
    ),
  );
} finally {
  await prisma.$disconnect();
  await pool.end();
  await cpu.close();
  await database.drop();
}
