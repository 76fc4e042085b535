/**
 * The WASM schema-engine stand-in: used only when no native engine is installed, and good enough for
 * the CLI's development workflow (`migrate dev --create-only`), not just deploys.
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import {
  findNativeSchemaEngine,
  useWasmSchemaEngineWhenNoNative,
  WASM_SCHEMA_ENGINE_BIN,
} from '../../src/providers/prisma/engine/native-schema-engine.mjs';
import { postgresTest, withEmptyDatabase } from './support/postgres.js';
import { runPrisma } from './support/prisma-cli.js';
import { withProjectCopy } from './support/temp-project.js';

const ENGINE_VARIABLES = ['PRISMA_SCHEMA_ENGINE_BINARY', 'PRISMA_MIGRATION_ENGINE_BINARY'] as const;

/** A project folder whose node_modules holds `prisma` and `@prisma/engines`, optionally with a native engine. */
async function withFakeInstall<T>(nativeEngine: string | undefined, body: (projectDir: string) => Promise<T>): Promise<T> {
  const saved = ENGINE_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of ENGINE_VARIABLES) delete process.env[name];
  const projectDir = await mkdtemp(path.join(tmpdir(), 'oauth2kit-install-'));
  try {
    for (const pkg of ['prisma', '@prisma/engines']) {
      await mkdir(path.join(projectDir, 'node_modules', pkg), { recursive: true });
      await writeFile(path.join(projectDir, 'node_modules', pkg, 'package.json'), JSON.stringify({ name: pkg, version: '7.10.1' }));
    }
    if (nativeEngine !== undefined) await writeFile(path.join(projectDir, 'node_modules', '@prisma/engines', nativeEngine), '');
    return await body(projectDir);
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(projectDir, { recursive: true, force: true });
  }
}

test.serial('without a native engine, the CLI is pointed at the WASM stand-in', async (t) => {
  await withFakeInstall(undefined, async (projectDir) => {
    t.is(findNativeSchemaEngine(projectDir), undefined);
    t.is(useWasmSchemaEngineWhenNoNative(projectDir), WASM_SCHEMA_ENGINE_BIN);
    t.is(process.env.PRISMA_SCHEMA_ENGINE_BINARY, WASM_SCHEMA_ENGINE_BIN);
  });
});

test.serial('a downloaded native engine keeps being used', async (t) => {
  await withFakeInstall('schema-engine-debian-openssl-3.0.x', async (projectDir) => {
    const native = path.join(projectDir, 'node_modules', '@prisma/engines', 'schema-engine-debian-openssl-3.0.x');
    t.is(useWasmSchemaEngineWhenNoNative(projectDir), native);
    t.is(process.env.PRISMA_SCHEMA_ENGINE_BINARY, undefined);
  });
});

test.serial('an engine chosen through PRISMA_SCHEMA_ENGINE_BINARY is left alone', async (t) => {
  await withFakeInstall(undefined, async (projectDir) => {
    process.env.PRISMA_SCHEMA_ENGINE_BINARY = '/opt/prisma/schema-engine';
    t.is(useWasmSchemaEngineWhenNoNative(projectDir), '/opt/prisma/schema-engine');
    t.is(process.env.PRISMA_SCHEMA_ENGINE_BINARY, '/opt/prisma/schema-engine');
  });
});

test('the stand-in reports its engine version like the native binary', async (t) => {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(WASM_SCHEMA_ENGINE_BIN, ['--version'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))));
  });
  t.regex(output, /^schema-engine-cli [0-9a-f]{40}\n$/);
});

postgresTest('`prisma migrate dev --create-only` writes the migration of a schema change, with a migration still pending', async (t) => {
  await withEmptyDatabase(async (url) => {
    await withProjectCopy(async (projectDir) => {
      // The committed migration stays pending: the CLI applies it first, then diffs the schema.
      await appendFile(path.join(projectDir, 'prisma', 'schema.prisma'), '\nmodel Post {\n  id    Int    @id @default(autoincrement())\n  title String\n}\n');
      const dev = await runPrisma(['migrate', 'dev', '--create-only', '--name', 'add_post'], { databaseUrl: url, cwd: projectDir });
      t.is(dev.code, 0, dev.output);

      const folders = await readdir(path.join(projectDir, 'prisma', 'migrations'));
      const created = folders.find((name) => /^\d{14}_add_post$/.test(name));
      t.truthy(created, folders.join(', '));
      const sql = await readFile(path.join(projectDir, 'prisma', 'migrations', created ?? '', 'migration.sql'), 'utf8');
      t.regex(sql, /CREATE TABLE "Post"/);
      t.notRegex(sql, /oauth_clients/, 'only the change is in the new migration');
      t.log(`npx prisma migrate dev --create-only → ${created}`);
    });
  });
});
