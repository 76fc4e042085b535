// Where Prisma 7.10's CLI looks for its native schema engine (`ug("schema-engine")` in the CLI
// bundle): PRISMA_SCHEMA_ENGINE_BINARY (or the deprecated PRISMA_MIGRATION_ENGINE_BINARY), then a file
// named `schema-engine-<platform>` in @prisma/engines, in the prisma package, beside it in
// node_modules, and in prisma/runtime. When none exists the CLI would try to download it; a project
// can then point the CLI at the WASM stand-in instead (see prisma.config.ts).
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stand-in program shipped with this package. */
export const WASM_SCHEMA_ENGINE_BIN = fileURLToPath(new URL('../../../../bin/prisma-schema-engine-wasm.mjs', import.meta.url));

const ENGINE_FILE = /^schema-engine-[a-z0-9._-]+$/i;
// Download leftovers that are not the engine itself.
const NOT_AN_ENGINE = /\.(gz|sha256|sig|tmp)$/i;

/**
 * @param {string} [fromDirectory] where to resolve the `prisma` packages from (the project root)
 * @returns {string | undefined} the native engine the CLI would use, if it has one
 */
export function findNativeSchemaEngine(fromDirectory = process.cwd()) {
  for (const variable of ['PRISMA_SCHEMA_ENGINE_BINARY', 'PRISMA_MIGRATION_ENGINE_BINARY']) {
    const configured = process.env[variable];
    if (configured) return path.resolve(configured);
  }
  const require = createRequire(path.join(path.resolve(fromDirectory), 'package.json'));
  const folders = [];
  try {
    folders.push(path.dirname(require.resolve('@prisma/engines/package.json')));
  } catch {
    // not installed
  }
  try {
    const cli = path.dirname(require.resolve('prisma/package.json'));
    folders.push(cli, path.dirname(cli), path.join(cli, 'runtime'));
  } catch {
    // not installed
  }
  for (const folder of folders) {
    if (!existsSync(folder)) continue;
    const found = readdirSync(folder).find((name) => ENGINE_FILE.test(name) && !NOT_AN_ENGINE.test(name));
    if (found) return path.join(folder, found);
  }
  return undefined;
}

/**
 * Points the Prisma CLI at the WASM stand-in unless a native engine is available (or the variable is
 * already set): with network access the native engine keeps being used.
 *
 * @returns {string} the engine the CLI will use
 */
export function useWasmSchemaEngineWhenNoNative(fromDirectory = process.cwd()) {
  const native = findNativeSchemaEngine(fromDirectory);
  if (native !== undefined) return native;
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = WASM_SCHEMA_ENGINE_BIN;
  return WASM_SCHEMA_ENGINE_BIN;
}
