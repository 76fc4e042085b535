import { chmodSync, mkdirSync, statSync } from 'node:fs';

/**
 * The embedded database's folder holds every table as plain files: password hashes, token and
 * secret digests. PGlite creates a missing folder with the process's default mode (0755 under the
 * usual umask), which lets every local user read them; PostgreSQL's own initdb makes its data
 * directory 0700 for this reason. Everything in this package that opens a data folder (the CLI,
 * the example servers) prepares it here first.
 */

/** Owner only: what a data folder is created with. */
const PRIVATE_MODE = 0o700;

/** Whether the platform has POSIX permission bits (Windows reports made-up ones). */
const HAS_POSIX_MODES = process.platform !== 'win32';

/**
 * Creates `folder` (with any missing parents) readable by its owner only. A folder that exists
 * already is left as it is — its mode may be the operator's choice (a backup agent's group), and
 * nothing records whether an earlier version of this package created it — but when other users
 * may enter it, the returned warning says so and how to fix it. Returns undefined otherwise.
 */
export function preparePrivateDataFolder(folder: string): string | undefined {
  // `mkdirSync` answers the first folder it created, or undefined when `folder` existed.
  const created = mkdirSync(folder, { recursive: true, mode: PRIVATE_MODE });
  if (!HAS_POSIX_MODES) return undefined;
  if (created !== undefined) {
    // The umask can only take bits away from 0700; set it exactly all the same.
    chmodSync(folder, PRIVATE_MODE);
    return undefined;
  }
  const mode = statSync(folder).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return (
    `the embedded database folder ${folder} is open to other users (mode ${mode.toString(8).padStart(4, '0')}) ` +
    `and holds password hashes and token digests: run "chmod 700 ${folder}"`
  );
}
