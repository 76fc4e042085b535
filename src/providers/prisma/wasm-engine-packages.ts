import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages the WebAssembly schema engine loads (bin/prisma-schema-engine-wasm.mjs, `migrate()`). */
export const WASM_ENGINE_PACKAGES = ['@prisma/adapter-pg', '@prisma/driver-adapter-utils', '@prisma/schema-engine-wasm'] as const;

/** The package root: src/providers/prisma/ and dist/providers/prisma/ are at the same depth. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Manifest {
  version?: string;
  peerDependencies?: Record<string, string>;
}

const readManifest = (path: string): Manifest | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
};

/**
 * The installed version of `name` as this package's own imports would find it: Node's lookup,
 * `node_modules` folders from the package upwards (in an application, the application's own).
 */
function installedVersion(name: string, from: string): string | undefined {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = readManifest(join(folder, 'node_modules', name, 'package.json'));
    if (manifest !== undefined) return manifest.version ?? '';
    if (dirname(folder) === folder) return undefined;
  }
}

/** An exact pin (`1.2.3-…`) must match exactly; a range (`^7.10.1`) only asks for the package. */
const isExactPin = (range: string) => /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(range);

/**
 * The packages among `names` that are missing or, for an exact pin, at another version, as the
 * `npm install` arguments that would fix them (`name@range` from this package's `peerDependencies`).
 * Empty when all are there.
 */
export function missingPeerPackages(names: readonly string[], from: string = PACKAGE_ROOT): string[] {
  const peers = readManifest(join(PACKAGE_ROOT, 'package.json'))?.peerDependencies ?? {};
  return names.flatMap((name) => {
    const range = peers[name] ?? '';
    const version = installedVersion(name, from);
    const wanted = range === '' ? name : isExactPin(range) ? `${name}@${range}` : name;
    if (version === undefined) return [wanted];
    return isExactPin(range) && version !== range ? [wanted] : [];
  });
}
