#!/usr/bin/env node
// Stands in for Prisma's native `schema-engine` binary where it cannot be downloaded (air-gapped
// networks): the Prisma CLI runs this program when PRISMA_SCHEMA_ENGINE_BINARY points at it, and it
// serves the same command-line protocol with the same engine compiled to WebAssembly. PostgreSQL only.
// See docs/adr/0001-offline-prisma-migrations.md.
import { parseEngineArguments } from '../src/providers/prisma/engine/engine-arguments.mjs';
import { serveJsonRpc } from '../src/providers/prisma/engine/json-rpc-server.mjs';
import { runOneShotCommand } from '../src/providers/prisma/engine/one-shot-commands.mjs';
import { loadWasmSchemaEngine } from '../src/providers/prisma/engine/wasm-schema-engine.mjs';
import { writeErrorLog } from '../src/providers/prisma/engine/native-log.mjs';
import { takePanicMessage } from '../src/providers/prisma/engine/panic-registry.mjs';

// Some engine panics surface outside any pending call (in a microtask of the WASM glue). Report them
// the native way: an ERROR log line, then exit code 101, which the CLI shows as an engine panic.
process.on('uncaughtException', (error) => {
  writeErrorLog({ message: takePanicMessage() ?? (error instanceof Error ? error.message : String(error)) });
  process.exit(101);
});

let exitCode;
try {
  const args = parseEngineArguments(process.argv.slice(2));
  if (args.version) {
    const { wasmCommit } = await loadWasmSchemaEngine();
    process.stdout.write(`schema-engine-cli ${wasmCommit}\n`);
    exitCode = 0;
  } else if (args.cliCommand !== undefined) {
    exitCode = await runOneShotCommand(args.cliCommand, args.datasource);
  } else {
    exitCode = await serveJsonRpc(args);
  }
} catch (error) {
  // Exit code 1 makes the CLI report "Error in Schema engine: <message of the last ERROR line>".
  writeErrorLog({ message: error instanceof Error ? error.message : String(error) });
  exitCode = 1;
}
process.exit(exitCode);
