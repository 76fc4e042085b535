/**
 * The TypeScript of docs/resource-servers.md is code a user can paste: every ```ts block
 * typechecks as a module of its own against the package entry points, as the README's do.
 */
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { repositoryRoot, typecheckBlocks, typescriptBlocks } from './support/markdown-typescript.js';

test('every TypeScript block of docs/resource-servers.md typechecks on its own against the package entry points', async (t) => {
  const blocks = typescriptBlocks(await readFile(`${repositoryRoot}docs/resource-servers.md`, 'utf8'));
  t.true(blocks.length > 0, 'the document has TypeScript blocks');
  t.deepEqual(typecheckBlocks(blocks, { directory: repositoryRoot, document: 'docs/resource-servers.md', tsconfig: `${repositoryRoot}tsconfig.json` }), []);
});
