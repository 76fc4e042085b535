/** Absolute path of the WASM schema-engine stand-in (bin/prisma-schema-engine-wasm.mjs). */
export declare const WASM_SCHEMA_ENGINE_BIN: string;
/** The native schema engine the Prisma CLI would run, or undefined when it would have to download one. */
export declare function findNativeSchemaEngine(fromDirectory?: string): string | undefined;
/** Sets PRISMA_SCHEMA_ENGINE_BINARY to the WASM stand-in when no native engine is present; returns the engine in use. */
export declare function useWasmSchemaEngineWhenNoNative(fromDirectory?: string): string;
