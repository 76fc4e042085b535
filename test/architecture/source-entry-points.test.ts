/**
 * In this repository `oauth2-kit`, `oauth2-kit/sql`, … are the entry points' sources: tsconfig.json's
 * `paths` map each name of package.json `exports` to the source its build is compiled from (for the
 * typecheck, dependency-cruiser and tsx alike), so that examples import the package as a user does and
 * run without a build. A test importing `../src/...` and an example importing `oauth2-kit` then share
 * the same modules: the core's brand checks hold when they meet in one process.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));

type ExportTarget = string | Record<string, string>;

test('tsconfig.json maps every entry point of package.json exports, and nothing else, to the source its build comes from', async (t) => {
  const manifest = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { name: string; exports: Record<string, ExportTarget> };
  const expected = Object.fromEntries(
    Object.entries(manifest.exports)
      .filter((entry): entry is [string, Record<string, string>] => typeof entry[1] === 'object')
      .map(([subpath, target]) => [
        subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
        [target.default!.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts')],
      ]),
  );
  const config = ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile);
  t.is(config.error, undefined);
  t.deepEqual((config.config as { compilerOptions: { paths?: unknown } }).compilerOptions.paths, expected);
});

test('oauth2-kit, /sql, /prisma, /koa and /testing load the very modules a test gets from ../src', async (t) => {
  const pairs: Array<[string, unknown, unknown]> = [
    ['oauth2-kit', await import('oauth2-kit'), await import('../../src/core/index.js')],
    ['oauth2-kit/sql', await import('oauth2-kit/sql'), await import('../../src/providers/sql/index.js')],
    ['oauth2-kit/prisma', await import('oauth2-kit/prisma'), await import('../../src/providers/prisma/index.js')],
    ['oauth2-kit/koa', await import('oauth2-kit/koa'), await import('../../src/koa/index.js')],
    ['oauth2-kit/testing', await import('oauth2-kit/testing'), await import('../../src/testing/index.js')],
  ];
  for (const [name, byName, bySource] of pairs) t.is(byName, bySource, name);
});
