/**
 * Opening a database for an example with its schema up to date: shared by both examples, which
 * migrate at start-up (idempotent: a database that is up to date is left as it is).
 */
import type { PGlite } from '@electric-sql/pglite';
import { migrate } from 'oauth2-kit/prisma';

/**
 * Runs `prepare` (a migration) on a connection just opened, and closes the connection when it
 * fails, so that a failed start-up leaves no pool or embedded instance behind.
 */
export async function prepareOrClose(prepare: () => Promise<unknown>, close: () => Promise<unknown>): Promise<void> {
  try {
    await prepare();
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

/** The embedded PGlite database in `folder` (created on first use), with the Prisma migrations applied. */
export async function openMigratedPGlite(folder: string): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create({ dataDir: folder });
  await prepareOrClose(() => migrate({ pglite }), () => pglite.close());
  return pglite;
}
