/**
 * `npm pack` of this repository, as `npm publish` would make it: the `prepack` script builds dist/
 * first. What the tarball holds is read back from the tarball itself, not from npm's report.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommandOrThrow } from './user-shell.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The package as a user downloads it. */
export interface PackedTarball {
  /** Absolute path of the `.tgz`. */
  path: string;
  /** Paths inside the package (without tar's `package/` prefix), sorted. */
  files: string[];
  /** The package.json inside the tarball. */
  manifest: PackedManifest;
  /** `sha512-…` of the tarball, as a lockfile records it. */
  integrity: string;
  /** How long `npm pack` took, build included. */
  milliseconds: number;
}

/** The fields of package.json the tests read. */
export interface PackedManifest {
  name: string;
  version: string;
  exports: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

/** Packs the repository into `destination` (an empty folder). */
export async function packRepository(destination: string): Promise<PackedTarball> {
  const started = performance.now();
  await runCommandOrThrow('npm', ['pack', '--pack-destination', destination], { cwd: repoRoot });
  const milliseconds = performance.now() - started;
  const tarballs = (await readdir(destination)).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`npm pack left ${tarballs.length} tarballs in ${destination}`);
  const path = join(destination, tarballs[0]!);
  const listing = await runCommandOrThrow('tar', ['-tzf', path], { cwd: destination });
  const files = listing.stdout
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort();
  const manifestText = await runCommandOrThrow('tar', ['-xzOf', path, 'package/package.json'], { cwd: destination });
  const integrity = `sha512-${createHash('sha512').update(await readFile(path)).digest('base64')}`;
  return { path, files, manifest: JSON.parse(manifestText.stdout) as PackedManifest, integrity, milliseconds };
}

/**
 * {@link packRepository} once for a whole test run, shared by the test files that need the
 * tarball: `npm pack` builds dist/ in the repository, and two builds at once would delete each
 * other's files. The first file to ask packs; the others wait for its result. Keyed by the test
 * runner's process, so that every run packs what its checkout holds; folders of runs no longer
 * alive are removed on the way.
 */
export async function packedOncePerRun(): Promise<PackedTarball> {
  const prefix = 'oauth2-kit-pack-run-';
  for (const name of await readdir(tmpdir())) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && pid !== process.ppid && !isAlive(pid)) await rm(join(tmpdir(), name), { recursive: true, force: true });
  }
  const folder = join(tmpdir(), `${prefix}${process.ppid}`);
  const result = join(folder, 'result.json');
  try {
    await mkdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return waitForPack(result);
  }
  try {
    const tarball = await packRepository(await mkdtemp(join(folder, 'tgz-')));
    await publish(result, { tarball });
    return tarball;
  } catch (error) {
    await publish(result, { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** Written whole or not at all: a waiting file never reads half of it. */
async function publish(result: string, content: { tarball?: PackedTarball; error?: string }): Promise<void> {
  await writeFile(`${result}.partial`, JSON.stringify(content));
  await rename(`${result}.partial`, result);
}

async function waitForPack(result: string): Promise<PackedTarball> {
  for (;;) {
    const text = await readFile(result, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const { tarball, error } = JSON.parse(text) as { tarball?: PackedTarball; error?: string };
      if (tarball === undefined) throw new Error(`npm pack failed in another test file: ${error}`);
      return tarball;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
