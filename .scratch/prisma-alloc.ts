import { Session } from 'node:inspector/promises';
import { randomBytes, hash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { preparedStatementName } from '../src/providers/prisma/index.js';
import { findAccessTokens } from '../src/providers/prisma/prisma-tokens.js';
import { createScratchDatabase } from '../bench/scratch-database.js';
import { seedFixture, seedAccessTokens } from '../bench/seeding.js';
import pg from 'pg';

const db = await createScratchDatabase('alloc');
const fixture = await seedFixture(db.url);
const pool = new pg.Pool({ connectionString: db.url, max: 2 });
const set = await seedAccessTokens(pool, fixture, 1000);
await pool.end();
const digests = Array.from({ length: 1000 }, (_, n) => hash('sha256', set.token(n + 1), 'hex'));
const mode = process.argv[2] ?? 'full';
const adapter = new PrismaPg({ connectionString: db.url, max: 4 }, { statementNameGenerator: preparedStatementName });
const prisma = new PrismaClient({ adapter, ...(mode === 'minimal' ? { errorFormat: 'minimal' } : {}) });
const BATCH = Number(process.argv[3] ?? 16);
async function round(i: number) {
  const batch = digests.slice((i * BATCH) % 984, (i * BATCH) % 984 + BATCH);
  const rows = await findAccessTokens(prisma as never, batch);
  if (rows.length !== BATCH) throw new Error('rows ' + rows.length);
}
for (let i = 0; i < 500; i++) await round(i);
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
const N = 2000;
const t0 = process.cpuUsage();
for (let i = 0; i < N; i++) await round(i);
const cpu = process.cpuUsage(t0);
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: any };
let total = 0;
const byFn = new Map<string, number>();
function walk(node: any, stack: string) {
  const self = node.selfSize ?? 0;
  total += self;
  const name = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.replace(/.*node_modules\//, '').slice(0, 60)}:${node.callFrame.lineNumber}`;
  byFn.set(name, (byFn.get(name) ?? 0) + self);
  for (const c of node.children) walk(c, stack);
}
walk(profile.head, '');
console.log(`mode ${mode} batch ${BATCH}: ${(total / N / 1024).toFixed(1)} KB allocated per call, ${((cpu.user + cpu.system) / N).toFixed(0)} us CPU per call`);
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v / N / 1024).toFixed(2).padStart(8)} KB  ${k}`);
await prisma.$disconnect();
await db.drop();
