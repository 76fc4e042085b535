import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

/** Compiles and instantiates the WASM schema engine once per process. */
export declare function loadWasmSchemaEngine(): Promise<{
  SchemaEngine: typeof SchemaEngine;
  /** The .wasm file in use (the CLI's own build when compatible). */
  wasmPath: string;
  /** The prisma-engines commit the WASM was built from. */
  wasmCommit: string;
}>;

/** Creates an engine on a migration-aware adapter factory (it connects immediately). */
export declare function createSchemaEngine(options: {
  factory: SqlMigrationAwareDriverAdapterFactory;
  datamodels?: Array<[string, string]>;
  /** Receives each engine log line (a JSON object in the native engine's log format). */
  onLog?: (line: string) => void;
}): Promise<SchemaEngine>;
