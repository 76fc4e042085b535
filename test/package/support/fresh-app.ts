/**
 * A fresh application outside the repository, with the packed package and the packages a README
 * recipe names installed from npm's cache alone (`npm ci --offline` on a lockfile made from the
 * repository's), at the versions this repository is tested with.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readRepoFile } from '../../support/databases.js';
import { appLockfile, type Lockfile } from './app-lockfile.js';
import type { PackedTarball } from './packed-tarball.js';
import { runCommandOrThrow, UNREACHABLE_REGISTRY } from './user-shell.js';

/** An installed application. */
export interface FreshApp {
  dir: string;
  /** The packages installed besides the packed one. */
  packages: string[];
  /** How long `npm ci --offline` took. */
  milliseconds: number;
}

/** Installs `tarball` and `packages` (names; the packed package's own name is skipped) into `dir`. */
export async function installFreshApp(dir: string, tarball: PackedTarball, packages: readonly string[]): Promise<FreshApp> {
  const repoManifest = JSON.parse(await readRepoFile('package.json')) as Record<string, Record<string, string> | undefined>;
  const ranges: Record<string, string> = { ...repoManifest.devDependencies, ...repoManifest.dependencies };
  const dependencies: Record<string, string> = {};
  const wanted = packages.filter((name) => name !== tarball.manifest.name);
  for (const name of wanted) {
    const range = ranges[name];
    if (range === undefined) throw new Error(`the README installs ${name}, which this repository neither depends on nor tests with`);
    dependencies[name] = range;
  }

  await mkdir(dir, { recursive: true });
  const appName = `fresh-app-${dir.split(/[\\/]/).pop()}`;
  const lock = appLockfile(JSON.parse(await readRepoFile('package-lock.json')) as Lockfile, {
    appName,
    dependencies,
    packed: { manifest: tarball.manifest, spec: `file:${relative(dir, tarball.path)}`, integrity: tarball.integrity },
    registry: UNREACHABLE_REGISTRY,
  });
  const manifest = { name: appName, version: '1.0.0', private: true, type: 'module', dependencies: lock.packages['']!.dependencies };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);

  const started = performance.now();
  await runCommandOrThrow('npm', ['ci', '--offline'], { cwd: dir });
  return { dir, packages: wanted, milliseconds: performance.now() - started };
}
