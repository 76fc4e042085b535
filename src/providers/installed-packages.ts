import { readFileSync, statSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePeerRange, satisfiesPeerRange } from './peer-range.js';

/**
 * Finds the optional peer packages as oauth2-kit's own `import()`s will, and compares their
 * versions with our `peerDependencies`.
 */

/**
 * The root of this installed package: src/providers/ and dist/providers/ are both two levels below it. In an
 * application that is `node_modules/oauth2-kit`, so its peers are found in the application's
 * node_modules, as our imports find them.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One peer package as found from a resolution root. */
export interface PackageState {
  name: string;
  /** Our `peerDependencies` range for it. */
  required: string;
  /** Whether `required` is one exact version (the schema engine), which must then be installed as is. */
  exact: boolean;
  /** The version found: null when the package cannot be resolved, or its package.json has no readable version. */
  installed: string | null;
  /** The folder it was found in, or null. */
  path: string | null;
  status: 'ok' | 'missing' | 'mismatched';
}

let peerRanges: Readonly<Record<string, string>> | undefined;

/** Our `peerDependencies`, from the package.json beside this code (read once). */
function ourPeerRanges(): Readonly<Record<string, string>> {
  peerRanges ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> })
    .peerDependencies ?? {};
  return peerRanges;
}

/**
 * The state of each named peer package, resolved from `from` (a folder; default: this package's
 * root). Tests point `from` at a folder of their own to stand for an application.
 */
export function inspectPackages(names: readonly string[], from: string = PACKAGE_ROOT): PackageState[] {
  const ranges = ourPeerRanges();
  return names.map((name) => {
    const required = ranges[name];
    if (required === undefined) throw new Error(`${name} is not one of oauth2-kit's peerDependencies`);
    const exact = parsePeerRange(required).kind === 'exact';
    const found = findPackage(name, from);
    if (found === undefined) return { name, required, exact, installed: null, path: null, status: 'missing' };
    const status = found.version !== null && satisfiesPeerRange(found.version, required) ? 'ok' : 'mismatched';
    return { name, required, exact, installed: found.version, path: found.path, status };
  });
}

/**
 * The folder Node's ESM resolver loads `name` from when imported by a module under `from`: the
 * first `node_modules/<name>` folder in `from` or one of its ancestors (PACKAGE_RESOLVE; no
 * NODE_PATH, no global folders). Its version is null when its package.json is unreadable.
 */
function findPackage(name: string, from: string): { path: string; version: string | null } | undefined {
  const start = resolve(from);
  const root = parse(start).root;
  for (let folder = start; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name);
    if (isDirectory(candidate)) return { path: candidate, version: readVersion(candidate) };
    if (folder === root) return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readVersion(folder: string): string | null {
  try {
    const version = (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}
