import { inspectPackages, type PackageState } from '../installed-packages.js';

/** The packages the WebAssembly schema engine loads (bin/prisma-schema-engine-wasm.mjs, `migrate()`). */
export const WASM_ENGINE_PACKAGES = ['@prisma/adapter-pg', '@prisma/driver-adapter-utils', '@prisma/schema-engine-wasm'] as const;

/**
 * The WebAssembly engine's packages that are missing or at a version our `peerDependencies`
 * refuse (the engine must be the exact pinned build), as found from `from` (default: this package).
 */
export function unmetEnginePackages(from?: string): PackageState[] {
  return inspectPackages(WASM_ENGINE_PACKAGES, from).filter((state) => state.status !== 'ok');
}
