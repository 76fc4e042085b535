// Reads a Prisma migrations directory into the engine's `MigrationList`, exactly as the Prisma CLI
// does (same lock file lookup, same `migration.sql` file name, same ordering), so that the engine
// sees the same history, and computes the same checksums, whichever of the two drives it.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const LOCK_FILE = 'migration_lock.toml';
const MIGRATION_FILE = 'migration.sql';

/**
 * @param {string} directory
 * @param {string} [shadowDbInitScript]
 */
export async function readMigrationsDirectory(directory, shadowDbInitScript = '') {
  const baseDir = path.resolve(directory);
  const lockContent = await readFile(path.join(baseDir, LOCK_FILE), 'utf8').catch(() => null);
  const lockfile = { path: LOCK_FILE, content: lockContent };
  /** @type {import('node:fs').Dirent[]} */
  let entries;
  try {
    entries = await readdir(baseDir, { withFileTypes: true });
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') {
      return { baseDir, lockfile, migrationDirectories: [], shadowDbInitScript };
    }
    throw error;
  }
  const migrationDirectories = [];
  for (const entry of entries.filter((candidate) => candidate.isDirectory())) {
    const content = await readFile(path.join(baseDir, entry.name, MIGRATION_FILE), 'utf8').then(
      (value) => ({ tag: /** @type {const} */ ('ok'), value }),
      (error) => ({ tag: /** @type {const} */ ('error'), value: String(error?.message ?? error) }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: MIGRATION_FILE, content } });
  }
  // The CLI sorts with localeCompare; timestamps make that chronological.
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir, lockfile, migrationDirectories, shadowDbInitScript };
}
