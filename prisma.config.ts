import { defineConfig } from 'prisma/config';
import { useWasmSchemaEngineWhenNoNative } from './src/providers/prisma/engine/native-schema-engine.mjs';

// Offline, the CLI cannot download its native schema engine: run the same engine compiled to WASM
// instead (PostgreSQL only). A native engine, when present, keeps being used.
// See docs/adr/0001-offline-prisma-migrations.md.
useWasmSchemaEngineWhenNoNative(import.meta.dirname);

export default defineConfig({
  schema: 'prisma',
  migrations: { path: 'prisma/migrations' },
  // Migrate commands need DATABASE_URL; generate and validate do not read it.
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
