/**
 * Failed-attempt counters over Prisma: `oauth_attempt_counters`.
 *
 * Adding to a counter must be atomic in the database (two processes adding to one key at once are
 * both counted), which Prisma's upsert is not for an update that depends on the row: it is raw SQL,
 * PostgreSQL's `INSERT … ON CONFLICT … RETURNING` or MySQL's `INSERT … ON DUPLICATE KEY UPDATE`.
 * The rest goes through the model delegate.
 */
import type { AttemptCounter } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaRawSql } from './prisma-client-shape.js';

/** The SQL family of the client's database. */
type Flavour = 'postgresql' | 'mysql';

/** What adding to a counter needs of the client. */
export type PrismaCounterClient = PrismaRawSql & {
  $transaction<R>(fn: (tx: PrismaRawSql) => Promise<R>): Promise<R>;
};

/** A counter as the raw statements return it: the table's own column names. */
interface CounterRow {
  points: number | bigint;
  expires_at: Date;
}

function toCounter(row: CounterRow | undefined): AttemptCounter {
  if (row === undefined) throw new Error('the attempt counter was not there after it was written');
  return { points: Number(row.points), expiresAt: row.expires_at };
}

// A generated client does not say which database it was generated for, except in private fields;
// the server says, once per client.
const flavours = new WeakMap<object, Promise<Flavour>>();

function flavourOf(prisma: PrismaRawSql): Promise<Flavour> {
  let flavour = flavours.get(prisma);
  if (flavour === undefined) {
    flavour = Promise.resolve(prisma.$queryRaw<Array<{ version: string }>>`SELECT version() AS version`).then(([row]) =>
      /PostgreSQL/i.test(String(row?.version)) ? 'postgresql' : 'mysql',
    );
    // A failed probe (the database is down) is asked again next time.
    flavour.catch(() => flavours.delete(prisma));
    flavours.set(prisma, flavour);
  }
  return flavour;
}

/**
 * `addToAttemptCounter`. PostgreSQL: one statement; its row lock serialises concurrent adds to one
 * key, and every expression of DO UPDATE reads the row as it was before it. MySQL/MariaDB: the
 * assignments of ON DUPLICATE KEY UPDATE run left to right, each seeing the ones before it, so
 * `points` goes first and both conditions read the old `expires_at`; the counter is read back in
 * the same transaction, under the row lock the INSERT took (MySQL has no RETURNING). `key` is
 * reserved in MySQL: backticks there, and after a table alias (`c.key`) in the read-back, which is
 * an identifier on both.
 */
export async function addToAttemptCounter(
  prisma: PrismaCounterClient,
  key: string,
  points: number,
  expiresAt: Date,
  restart: boolean,
  now: Date,
): Promise<AttemptCounter> {
  if ((await flavourOf(prisma)) === 'postgresql') {
    const rows = await prisma.$queryRaw<CounterRow[]>`
      INSERT INTO oauth_attempt_counters AS c (key, points, expires_at) VALUES (${key}, ${points}, ${expiresAt})
      ON CONFLICT (key) DO UPDATE SET
        points = CASE WHEN c.expires_at <= ${now} OR ${restart} THEN EXCLUDED.points ELSE c.points + EXCLUDED.points END,
        expires_at = CASE WHEN c.expires_at <= ${now} OR ${restart} THEN EXCLUDED.expires_at ELSE c.expires_at END
      RETURNING c.points, c.expires_at`;
    return toCounter(rows[0]);
  }
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO oauth_attempt_counters (\`key\`, points, expires_at) VALUES (${key}, ${points}, ${expiresAt})
      ON DUPLICATE KEY UPDATE
        points = CASE WHEN expires_at <= ${now} OR ${restart} THEN VALUES(points) ELSE points + VALUES(points) END,
        expires_at = CASE WHEN expires_at <= ${now} OR ${restart} THEN VALUES(expires_at) ELSE expires_at END`;
    const rows: CounterRow[] = await tx.$queryRaw<CounterRow[]>`
      SELECT c.points, c.expires_at FROM oauth_attempt_counters c WHERE c.key = ${key}`;
    return toCounter(rows[0]);
  });
}

/** `findAttemptCounter`: one SELECT by key; a counter whose window has ended is absent. */
export async function findAttemptCounter(prisma: OAuthPrismaClient, key: string, now: Date): Promise<AttemptCounter | null> {
  const row = await prisma.oAuthAttemptCounter.findUnique({ where: { key } });
  return row !== null && row.expiresAt.getTime() > now.getTime() ? { points: row.points, expiresAt: row.expiresAt } : null;
}

/** `deleteAttemptCounter`: one DELETE. */
export async function deleteAttemptCounter(prisma: OAuthPrismaClient, key: string): Promise<boolean> {
  const { count } = await prisma.oAuthAttemptCounter.deleteMany({ where: { key } });
  return count === 1;
}

/**
 * `purgeAttemptCounters`: at most `limit` expired keys, oldest first, then a DELETE of those keys
 * that are still expired. Unlike tokens, a counter can come back to life (an add after its window
 * restarts it in place), so the DELETE checks the expiry again rather than trusting the SELECT.
 */
export async function purgeAttemptCounters(prisma: OAuthPrismaClient, now: Date, limit: number): Promise<number> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`purge limit must be a positive integer, got ${limit}`);
  const expired = await prisma.oAuthAttemptCounter.findMany({
    where: { expiresAt: { lt: now } },
    select: { key: true },
    orderBy: { expiresAt: 'asc' },
    take: limit,
  });
  if (expired.length === 0) return 0;
  const { count } = await prisma.oAuthAttemptCounter.deleteMany({
    where: { key: { in: expired.map((counter) => counter.key) }, expiresAt: { lt: now } },
  });
  return count;
}
