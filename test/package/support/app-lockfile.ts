/**
 * A package-lock.json for a fresh application, made from this repository's lockfile, so that
 * `npm ci --offline` installs it from npm's cache alone.
 *
 * Why not `npm install --offline`: without a lockfile npm must read each package's registry
 * document to pick a version, and `npm ci` on the repository does not leave those documents in the
 * cache in the form `npm install` asks for (and never under another registry address). A lockfile
 * names each version and its integrity, and npm reads a tarball from its cache by integrity alone.
 * The versions are the ones this repository is tested with; the tree is the repository's own,
 * restricted to what the application's dependencies reach.
 */

/** One `packages` entry of a lockfile (version 3). */
export interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

export interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** The application and the packed package it installs from a file. */
export interface AppLockfileInput {
  appName: string;
  /** Registry dependencies of the application, name → range (each must be in the repository's lockfile). */
  dependencies: Record<string, string>;
  /** The packed package: its manifest, its `file:` spec relative to the application, and its integrity. */
  packed: { manifest: LockEntry & { name: string; version: string }; spec: string; integrity: string };
  /** Tarball URLs are written against this registry (npm reads them from its cache by integrity). */
  registry: string;
}

/** Where Node (and npm) find `name` from the package at lockfile path `from` ('' is the root). */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (candidate in packages) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** The package name a lockfile path installs (`node_modules/a/node_modules/@s/b` → `@s/b`). */
function nameAt(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/**
 * What npm installs for an entry, and whether the tree may lack it: its dependencies, its optional
 * dependencies, and its peers except optional ones (npm never installs those on their own).
 */
function edgesOf(entry: LockEntry): Array<{ name: string; optional: boolean }> {
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(entry.peerDependencies ?? {})
      .filter((name) => entry.peerDependenciesMeta?.[name]?.optional !== true)
      .map((name) => ({ name, optional: false })),
  ];
}

/** Builds the application's lockfile from `repoLock` (the repository's package-lock.json). */
export function appLockfile(repoLock: Lockfile, input: AppLockfileInput): Lockfile {
  const { packed } = input;
  const packedPath = `node_modules/${packed.manifest.name}`;
  // What npm itself records for a package installed from a tarball.
  const packedEntry: Record<string, unknown> = { version: packed.manifest.version, resolved: packed.spec, integrity: packed.integrity };
  for (const field of ['license', 'dependencies', 'bin', 'engines', 'peerDependencies', 'peerDependenciesMeta']) {
    if (packed.manifest[field] !== undefined) packedEntry[field] = packed.manifest[field];
  }

  // The repository's tree stands in for the application's: the packed package sits where the
  // repository's root is, so its dependencies resolve to the repository's top-level packages.
  const source: Record<string, LockEntry> = { ...repoLock.packages, [packedPath]: packedEntry as LockEntry };
  const roots = [...Object.keys(input.dependencies), packed.manifest.name];
  const reach = (followOptional: boolean): Set<string> => {
    const reached = new Set<string>();
    const pending = roots.map((name) => ({ from: '', name, optional: false }));
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (next.optional && !followOptional) continue;
      const path = locate(source, next.from, next.name);
      if (path === undefined || source[path]!.link) {
        if (next.optional) continue;
        throw new Error(`the repository's lockfile has no ${next.name} (needed by ${next.from || 'the application'}): run npm ci first`);
      }
      if (reached.has(path)) continue;
      reached.add(path);
      for (const edge of edgesOf(source[path]!)) pending.push({ from: path, ...edge });
    }
    return reached;
  };
  const chosen = reach(true);
  // npm trusts a lockfile's flags: a package only optional edges reach may fail to install quietly.
  const required = reach(false);

  const packages: Record<string, LockEntry> = {
    '': { name: input.appName, version: '1.0.0', dependencies: { ...input.dependencies, [packed.manifest.name]: packed.spec } },
  };
  for (const path of [...chosen].sort()) {
    // The repository's dev/peer/optional flags describe its own tree (where koa is a devDependency).
    const { dev, devOptional, peer, optional, ...entry } = source[path]!;
    if (!required.has(path)) entry.optional = true;
    if (path !== packedPath) {
      const name = entry.name ?? nameAt(path);
      entry.resolved = `${input.registry}${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
      if (entry.integrity === undefined) throw new Error(`the repository's lockfile records no integrity for ${path}`);
    }
    packages[path] = entry;
  }
  return { name: input.appName, version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}
