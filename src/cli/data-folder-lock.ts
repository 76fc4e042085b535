import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommandError } from './cli-error.js';

/**
 * An advisory lock on an embedded PGlite data folder.
 *
 * PGlite runs PostgreSQL inside the process and does not stop a second process from opening the
 * same folder: two writers would corrupt it silently. Everything in this package that opens a
 * data folder (the CLI, the example servers) takes this lock first, so the second one gets a clear
 * refusal instead. The lock is a file beside the folder (`<folder>.lock`, not inside it, so that
 * PGlite still finds an empty folder to initialise) holding the owner's pid; a lock whose process
 * is gone (killed, crashed) is stale and is taken over.
 */

/** Who holds a data folder, as recorded in its lock file. */
export interface LockOwner {
  pid: number;
  /** What the holder is, for the refusal message: `oauth2-kit server`, `oauth2-kit CLI`. */
  holder: string;
  since: string;
}

/** A held lock. `release()` is idempotent and also runs when the process exits. */
export interface DataFolderLock {
  readonly path: string;
  release(): void;
}

/** Thrown when another live process holds the data folder. */
export class DataFolderBusyError extends CommandError {
  constructor(
    readonly folder: string,
    readonly owner: LockOwner,
  ) {
    super(
      `the embedded database ${folder} is in use by ${owner.holder} (pid ${owner.pid}); ` +
        'PGlite allows one process at a time: stop it first, or use a PostgreSQL/MySQL database via --database-url',
    );
  }
}

/** Takes the lock of `folder` for this process, creating the folder's parent as needed. */
export function lockDataFolder(folder: string, holder: string): DataFolderLock {
  const path = `${folder.replace(/[/\\]+$/, '')}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const mine: LockOwner = { pid: process.pid, holder, since: new Date().toISOString() };
  // A few rounds at most: each lost race means another process took or freed the lock meanwhile.
  // The record is written to a private file first and then hard-linked into place: the link appears
  // atomically and complete, so nobody ever reads a half-written lock and mistakes it for stale.
  const draft = `${path}.${process.pid}.tmp`;
  writeFileSync(draft, `${JSON.stringify(mine)}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        linkSync(draft, path);
        return heldLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(path);
      if (owner !== undefined && isAlive(owner.pid)) throw new DataFolderBusyError(folder, owner);
      clearStaleLock(path, owner?.pid);
    }
  } finally {
    unlinkSync(draft);
  }
  throw new CommandError(`could not lock the embedded database ${folder}: the lock file ${path} keeps changing`);
}

/**
 * Removes a stale lock. It is first moved aside under a name of our own and checked: when two
 * processes clear the same stale lock at once, the slower one may have moved the faster one's
 * fresh lock instead, and then puts it back.
 */
function clearStaleLock(path: string, stalePid: number | undefined): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readOwner(aside);
  if (moved !== undefined && moved.pid !== stalePid && isAlive(moved.pid)) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone else's lock is in place by now; the one we moved lost its race either way.
    }
  }
  unlinkSync(aside);
}

function heldLock(path: string): DataFolderLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    // Only remove the file while it is still ours (a stale-lock takeover may have replaced it).
    if (readOwner(path)?.pid === process.pid) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    }
  };
  process.once('exit', release);
  return { path, release };
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    return { pid: parsed.pid, holder: String(parsed.holder ?? 'another process'), since: String(parsed.since ?? '') };
  } catch {
    // Unreadable (never written by this code, which links complete files): treated as stale.
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
