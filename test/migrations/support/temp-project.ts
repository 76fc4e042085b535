/**
 * A throwaway application folder for CLI tests: this repository's node_modules, a copy of prisma/
 * (schema and migrations) and a prisma.config.ts that uses the WASM stand-in when no native engine
 * is installed, as docs/migrations.md tells applications to write it.
 */
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './prisma-cli.js';

const helper = pathToFileURL(path.join(repoRoot, 'src/providers/prisma/engine/native-schema-engine.mjs')).href;

export function applicationConfig(schema: string): string {
  return `import { defineConfig } from 'prisma/config';
import { useWasmSchemaEngineWhenNoNative } from '${helper}';

useWasmSchemaEngineWhenNoNative(import.meta.dirname);

export default defineConfig({
  schema: '${schema}',
  migrations: { path: '${schema}/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
`;
}

/** Runs `body` in a temp project holding a copy of prisma/ (with its migrations); removed afterwards. */
export async function withProjectCopy<T>(body: (projectDir: string) => Promise<T>): Promise<T> {
  const projectDir = await mkdtemp(path.join(tmpdir(), 'oauth2kit-project-'));
  try {
    await symlink(path.join(repoRoot, 'node_modules'), path.join(projectDir, 'node_modules'), 'dir');
    await cp(path.join(repoRoot, 'prisma'), path.join(projectDir, 'prisma'), { recursive: true });
    await writeFile(path.join(projectDir, 'prisma.config.ts'), applicationConfig('prisma'));
    return await body(projectDir);
  } finally {
    await rm(projectDir, { recursive: true, force: true });
  }
}
