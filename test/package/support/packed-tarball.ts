/**
 * `npm pack` of this repository, as `npm publish` would make it: the `prepack` script builds dist/
 * first. What the tarball holds is read back from the tarball itself, not from npm's report.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
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
