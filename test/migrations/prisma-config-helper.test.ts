/**
 * `withOAuthModels`, the one call an application's prisma.config.ts gains: where it points the
 * schema, what it refuses, and when it has the Prisma CLI run the WebAssembly schema engine.
 * The engine decision reads and sets process environment variables, so the tests run one at a time.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { OAuthPrismaConfigError, oauthSchemaPath, withOAuthModels } from '../../src/providers/prisma/index.js';
import { unmetEnginePackages } from '../../src/providers/prisma/wasm-engine-packages.js';
import { WASM_SCHEMA_ENGINE_BIN } from '../../src/providers/prisma/engine/native-schema-engine.mjs';

const ENGINE_VARIABLES = ['PRISMA_SCHEMA_ENGINE_BINARY', 'PRISMA_MIGRATION_ENGINE_BINARY', 'PRISMA_ENGINES_MIRROR', 'HTTPS_PROXY', 'https_proxy'];
const saved = Object.fromEntries(ENGINE_VARIABLES.map((name) => [name, process.env[name]]));
test.beforeEach(() => {
  for (const name of ENGINE_VARIABLES) delete process.env[name];
  // Nothing answers on the discard port: the download host is out of reach unless a test says otherwise.
  process.env.PRISMA_ENGINES_MIRROR = 'http://127.0.0.1:9';
});
const cleanups: Array<() => Promise<unknown>> = [];
test.after.always(async () => {
  for (const cleanup of cleanups) await cleanup();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const SCHEMA = (provider: string) => `generator client {\n  provider = "prisma-client"\n  output   = "../generated/prisma"\n}\n\ndatasource db {\n  provider = "${provider}"\n}\n`;

/** An application folder with prisma/schema.prisma and, unless told otherwise, a copy of oauth.prisma. */
async function appFolder(options: { provider?: string; models?: 'copy' | 'none' | 'stale' } = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'oauth2-kit-config-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'prisma'));
  await writeFile(join(root, 'prisma', 'schema.prisma'), SCHEMA(options.provider ?? 'postgresql'));
  const models = options.models ?? 'copy';
  if (models === 'copy') await copyFile(oauthSchemaPath, join(root, 'prisma', 'oauth.prisma'));
  if (models === 'stale') await writeFile(join(root, 'prisma', 'oauth.prisma'), `${await readFile(oauthSchemaPath, 'utf8')}\nmodel OAuthLegacyColumn {\n  id Int @id\n}\n`);
  return root;
}

function collect(): { lines: string[]; notice: (line: string) => void } {
  const lines: string[] = [];
  return { lines, notice: (line) => lines.push(line) };
}

async function listening(): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

test.serial('a schema given as a file becomes its folder, where Prisma reads oauth.prisma beside it; the rest of the config is kept', async (t) => {
  const root = await appFolder();
  const { notice } = collect();
  const config = await withOAuthModels({ schema: 'prisma/schema.prisma', migrations: { path: 'prisma/migrations' } }, { root, engine: 'native', notice });
  t.deepEqual(config, { schema: 'prisma', migrations: { path: 'prisma/migrations' } });
  t.is((await withOAuthModels({ schema: 'prisma' }, { root, engine: 'native', notice })).schema, 'prisma');
});

test.serial('a schema folder without oauth2-kit’s models is refused with the command that copies them', async (t) => {
  const root = await appFolder({ models: 'none' });
  const error = await t.throwsAsync(withOAuthModels({ schema: 'prisma/schema.prisma' }, { root, engine: 'native' }), { instanceOf: OAuthPrismaConfigError });
  t.is(error?.code, 'oauth2kit_models_missing');
  t.regex(error?.message ?? '', /`cp node_modules\/oauth2-kit\/prisma\/oauth\.prisma prisma\/`/);
});

test.serial('a copy of the models that differs from the installed package’s is named, with how to update it', async (t) => {
  const root = await appFolder({ models: 'stale' });
  const { lines, notice } = collect();
  await withOAuthModels({ schema: 'prisma/schema.prisma' }, { root, engine: 'native', notice });
  t.is(lines.length, 1);
  t.regex(lines[0]!, /^prisma\/oauth\.prisma differs from the oauth\.prisma of the installed oauth2-kit: copy it again .* migrate dev/);
});

test.serial('offline on PostgreSQL with no native engine, the CLI is pointed at the WebAssembly engine, and the notice says why', async (t) => {
  const root = await appFolder();
  const { lines, notice } = collect();
  await withOAuthModels({ schema: 'prisma/schema.prisma' }, { root, notice });
  t.is(process.env.PRISMA_SCHEMA_ENGINE_BINARY, WASM_SCHEMA_ENGINE_BIN);
  t.is(lines.length, 1);
  t.regex(lines[0]!, /native schema engine is not installed and 127\.0\.0\.1:9 cannot be reached \(127\.0\.0\.1:9: ECONNREFUSED\)/);
});

test.serial('with the download host reachable, the CLI keeps its native engine (it downloads it)', async (t) => {
  const root = await appFolder();
  process.env.PRISMA_ENGINES_MIRROR = `http://127.0.0.1:${((await listening()).address() as { port: number }).port}`;
  const { lines, notice } = collect();
  await withOAuthModels({ schema: 'prisma/schema.prisma' }, { root, notice });
  t.is(process.env.PRISMA_SCHEMA_ENGINE_BINARY, undefined);
  t.deepEqual(lines, []);
});

test.serial('an engine the environment already names is kept, offline too', async (t) => {
  const root = await appFolder();
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = '/opt/prisma/schema-engine';
  await withOAuthModels({ schema: 'prisma/schema.prisma' }, { root, notice: () => {} });
  t.is(process.env.PRISMA_SCHEMA_ENGINE_BINARY, '/opt/prisma/schema-engine');
});

test.serial('on MySQL the WebAssembly engine, which refuses MySQL, is never chosen', async (t) => {
  const root = await appFolder({ provider: 'mysql' });
  const { lines, notice } = collect();
  await withOAuthModels({ schema: 'prisma/schema.prisma' }, { root, notice });
  t.is(process.env.PRISMA_SCHEMA_ENGINE_BINARY, undefined);
  t.deepEqual(lines, []);
});

test.serial('engine: "wasm" chooses the WebAssembly engine whatever the network', async (t) => {
  const root = await appFolder();
  process.env.PRISMA_ENGINES_MIRROR = `http://127.0.0.1:${((await listening()).address() as { port: number }).port}`;
  await withOAuthModels({ schema: 'prisma/schema.prisma' }, { root, engine: 'wasm', notice: () => {} });
  t.is(process.env.PRISMA_SCHEMA_ENGINE_BINARY, WASM_SCHEMA_ENGINE_BIN);
});

test.serial('the WebAssembly engine’s packages, when missing or at another engine build, are each found wanting, with the version required', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'oauth2-kit-packages-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const installed = async (name: string, version: string) => {
    await mkdir(join(root, 'node_modules', name), { recursive: true });
    await writeFile(join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
  };
  await installed('@prisma/adapter-pg', '7.10.1');
  await installed('@prisma/schema-engine-wasm', '7.10.0-1.0000000000000000000000000000000000000000');
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { peerDependencies: Record<string, string> };
  const engine = manifest.peerDependencies['@prisma/schema-engine-wasm']!;
  t.deepEqual(
    unmetEnginePackages(root).map(({ name, required, installed, status }) => ({ name, required, installed, status })),
    [
      { name: '@prisma/driver-adapter-utils', required: manifest.peerDependencies['@prisma/driver-adapter-utils']!, installed: null, status: 'missing' },
      { name: '@prisma/schema-engine-wasm', required: engine, installed: '7.10.0-1.0000000000000000000000000000000000000000', status: 'mismatched' },
    ],
  );
  await installed('@prisma/driver-adapter-utils', '7.10.1');
  await installed('@prisma/schema-engine-wasm', engine);
  t.deepEqual(unmetEnginePackages(root), []);
});
