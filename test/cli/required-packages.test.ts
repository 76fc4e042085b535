/**
 * The CLI's table of required packages stays true to package.json and to the code: each name is a
 * peer dependency whose range the version check understands, and every peer package the CLI or a
 * provider imports at run time is in the table.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { parsePeerRange } from '../../src/providers/peer-range.js';
import { applicationEntryPoints, cliPackages, type CliTask, type DatabaseKind } from '../../src/cli/required-packages.js';
import { repoRoot } from '../support/databases.js';
import { peerRanges } from './support/stand-in-installation.js';

const TASKS: CliTask[] = ['commands', 'migrate'];
const DATABASES: DatabaseKind[] = ['postgres', 'mysql', 'pglite'];
const tabled = new Set(TASKS.flatMap((task) => DATABASES.flatMap((database) => cliPackages(task, database))));

test('every package the CLI requires or reports is a peer dependency with a range the version check understands', async (t) => {
  const ranges = await peerRanges();
  const named = new Set([...tabled, ...DATABASES.flatMap((database) => applicationEntryPoints(database).flatMap((entry) => entry.packages))]);
  for (const name of named) {
    t.truthy(ranges[name], `${name} is a peer dependency`);
    t.notThrows(() => parsePeerRange(ranges[name]!), name);
  }
  t.deepEqual(Object.keys(ranges).filter((name) => !named.has(name)), [], 'every peer dependency is accounted for');
});

test('migrate on a database needs everything the CLI needs there', (t) => {
  for (const database of DATABASES) {
    t.deepEqual(cliPackages('commands', database).filter((name) => !cliPackages('migrate', database).includes(name)), [], database);
  }
});

test('every peer package src/cli or a provider imports at run time is in the CLI table', async (t) => {
  const ranges = await peerRanges();
  const imported = new Map<string, string>();
  for (const folder of ['src/cli', 'src/providers']) {
    for (const entry of await readdir(join(repoRoot, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.(ts|mjs)$/.test(entry.name) || /\.d\.m?ts$/.test(entry.name)) continue;
      const file = join(entry.parentPath, entry.name);
      const text = await readFile(file, 'utf8');
      // `await import('x')` and `import … from 'x'`, but not `import type`, nor `import('x').Type` in a type or JSDoc.
      const specifiers = [
        ...[...text.matchAll(/await import\('([^']+)'\)/g)].map((match) => match[1]!),
        ...[...text.matchAll(/^import (?!type )[^;]*? from '([^']+)'/gm)].map((match) => match[1]!),
      ];
      for (const specifier of specifiers) {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (ranges[name] !== undefined) imported.set(name, file.slice(repoRoot.length));
      }
    }
  }
  t.true(imported.size >= 6, [...imported.keys()].join(', '));
  for (const [name, file] of imported) t.true(tabled.has(name), `${name}, imported by ${file}, is in the table`);
});
