/**
 * docs/oidc.md is held to the code: its TypeScript typechecks against the package entry points,
 * and every test its checklist names exists and declares tests, so a row cannot point at nothing.
 */
import { access, readFile } from 'node:fs/promises';
import test from 'ava';
import { repositoryRoot, typecheckBlocks, typescriptBlocks } from './support/markdown-typescript.js';

const DOCUMENT = 'docs/oidc.md';

test('every TypeScript block of docs/oidc.md typechecks on its own against the package entry points', async (t) => {
  const blocks = typescriptBlocks(await readFile(`${repositoryRoot}${DOCUMENT}`, 'utf8'));
  t.true(blocks.length > 0, 'the document has TypeScript blocks');
  t.deepEqual(typecheckBlocks(blocks, { directory: repositoryRoot, document: DOCUMENT, tsconfig: `${repositoryRoot}tsconfig.json` }), []);
});

test('every test file the checklist of docs/oidc.md names exists and declares tests', async (t) => {
  const text = await readFile(`${repositoryRoot}${DOCUMENT}`, 'utf8');
  const files = [...new Set([...text.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map(([, path]) => path!))];
  t.true(files.length > 10, 'the checklist names its tests');
  for (const file of files) {
    await t.notThrowsAsync(access(`${repositoryRoot}${file}`), `${file} exists`);
    t.regex(await readFile(`${repositoryRoot}${file}`, 'utf8').catch(() => ''), /\btest(?:\.serial)?\(/, `${file} declares tests`);
  }
});

test('every row the checklist of docs/oidc.md marks done names the test that holds it', async (t) => {
  const rows = (await readFile(`${repositoryRoot}${DOCUMENT}`, 'utf8')).split('\n').filter((line) => /^\| [^|]+ \| .+ \| ✔ \|/.test(line));
  t.true(rows.length > 30);
  for (const row of rows) t.regex(row, /`test\/[^`]+\.test\.ts`/, row);
});
