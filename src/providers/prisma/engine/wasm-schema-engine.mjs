// Loads Prisma's schema engine compiled to WebAssembly, once per process.
//
// The `prisma` package ships the WASM build of its own engine commit (build/schema_engine_bg.wasm) but
// no JavaScript glue for it; `@prisma/schema-engine-wasm` ships glue (and an older build). wasm-bindgen
// names every import after a hash of its signature, so when every import the CLI's module needs is
// exported by the glue, the two are ABI-compatible and we run the CLI's exact engine: migration SQL
// and `_prisma_migrations` bookkeeping then match the native engine of the installed CLI. Otherwise we
// fall back to the glue package's own WASM.
//
// The glue's entry point imports the .wasm file as an ES module, which Node 20 cannot do, so the
// module is compiled and instantiated by hand here.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installPanicRegistry } from './panic-registry.mjs';

const require = createRequire(import.meta.url);
const GLUE_MODULE_NAME = './schema_engine_bg.js';

/** @type {Promise<any> | undefined} */
let loading;

/**
 * @returns {Promise<{ SchemaEngine: any, wasmPath: string, wasmCommit: string }>}
 */
export function loadWasmSchemaEngine() {
  loading ??= instantiate().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * The glue's imports, with the engine's timers unref'd. The engine arms a timer of about ten seconds
 * that outlives `free()`; an armed timer keeps Node alive, so every `migrate()` and CLI run would
 * wait it out after finishing its work. While the engine works it holds database sockets, which keep
 * the process alive on their own, so no timer needs to.
 * @param {Record<string, unknown>} glue
 */
function withUnrefTimers(glue) {
  const imports = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof value === 'function') {
      imports[name] = (/** @type {unknown[]} */ ...args) => {
        const timer = value(...args);
        if (typeof timer?.unref === 'function') timer.unref();
        return timer;
      };
    }
  }
  return imports;
}

async function instantiate() {
  installPanicRegistry();
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const candidates = [cliWasmPath(), path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm')];
  let lastError;
  for (const wasmPath of candidates) {
    if (wasmPath === undefined) continue;
    try {
      const module = new WebAssembly.Module(await readFile(wasmPath));
      const missing = WebAssembly.Module.imports(module).filter(
        (entry) => entry.module !== GLUE_MODULE_NAME || typeof glue[entry.name] !== 'function',
      );
      if (missing.length > 0) {
        lastError = new Error(`${wasmPath} needs ${missing.length} import(s) the installed glue lacks (e.g. ${missing[0]?.name})`);
        continue;
      }
      const instance = new WebAssembly.Instance(module, { [GLUE_MODULE_NAME]: withUnrefTimers(glue) });
      glue.__wbg_set_wasm(instance.exports);
      /** @type {any} */ (instance.exports).__wbindgen_start();
      return { SchemaEngine: glue.SchemaEngine, wasmPath, wasmCommit: String(glue.version()) };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`Could not load the Prisma schema engine (WASM): ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

function cliWasmPath() {
  try {
    return path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'schema_engine_bg.wasm');
  } catch {
    return undefined; // the CLI is a dev tool; a production install may not have it
  }
}

/**
 * Creates an engine bound to a migration-aware driver adapter factory.
 * The engine queries the database version on creation, so the factory must reach a database.
 *
 * @param {{ factory: any, datamodels?: Array<[string, string]>, onLog?: (line: string) => void }} options
 */
export async function createSchemaEngine({ factory, datamodels, onLog }) {
  const { SchemaEngine } = await loadWasmSchemaEngine();
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  // An empty list panics in the engine ("validate_multi_file() must be called with at least one file").
  const initial = datamodels !== undefined && datamodels.length > 0 ? datamodels : undefined;
  return SchemaEngine.new({ datamodels: initial }, (line) => onLog?.(String(line).trim()), bindMigrationAwareSqlAdapterFactory(factory));
}
