/**
 * The databases every Prisma behaviour test runs on: PGlite always, PostgreSQL when a server is
 * reachable (otherwise a skipped test whose title gives the reason). One database per backend per
 * test file; tests use fresh random ids, so they can share it and run concurrently.
 */
import type { TestFn } from 'ava';
import { prismaOverPGlite, prismaOverPostgres, type PrismaTestDatabase } from './prisma-databases.js';

export interface PrismaTarget {
  /** `PGlite` or `PostgreSQL`, prefixed to test titles. */
  name: string;
  db: PrismaTestDatabase;
}

/** Opens the targets and registers their clean-up with `test`. */
export async function openPrismaTargets(test: TestFn, options: { timeZone?: string } = {}): Promise<PrismaTarget[]> {
  const targets: PrismaTarget[] = [{ name: 'PGlite', db: await prismaOverPGlite(options) }];
  const postgres = await prismaOverPostgres(options);
  if ('skip' in postgres) test.skip(`PostgreSQL: skipped, ${postgres.skip}`, () => {});
  else targets.push({ name: 'PostgreSQL', db: postgres });
  test.after.always(async () => {
    await Promise.all(targets.map((target) => target.db.close()));
  });
  return targets;
}
