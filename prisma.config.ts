import { defineConfig } from 'prisma/config';
import { useWasmSchemaEngineWhenNoNative } from './src/providers/prisma/engine/native-schema-engine.mjs';

// Offline, the CLI cannot download its native schema engine: run the same engine compiled to WASM
// instead (PostgreSQL only). A native engine, when present, keeps being used.
// See docs/adr/0001-offline-prisma-migrations.md.
useWasmSchemaEngineWhenNoNative(import.meta.dirname);

export default defineConfig({
  schema: 'prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' },
});
