/**
 * The README's TypeScript is code a user can paste: every ```ts block, found in the README itself (a
 * block added later is checked without anyone listing it), typechecks as a module of its own against
 * the entry points `oauth2-kit`, `oauth2-kit/sql`, `/prisma`, `/koa` and `/testing`, with the
 * project's compiler options. All blocks make one TypeScript program.
 */
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { repositoryRoot, typecheckBlocks, typescriptBlocks } from './support/markdown-typescript.js';

test('every TypeScript block of the README typechecks on its own against the package entry points', async (t) => {
  const blocks = typescriptBlocks(await readFile(`${repositoryRoot}README.md`, 'utf8'));
  t.true(blocks.length > 0, 'the README has TypeScript blocks');

  const started = performance.now();
  const errors = typecheckBlocks(blocks, { directory: repositoryRoot, document: 'README.md', tsconfig: `${repositoryRoot}tsconfig.json` });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  t.log(`${blocks.length} blocks (README lines ${blocks.map((block) => block.line).join(', ')}) typechecked in ${seconds} s`);
  t.deepEqual(
    errors,
    [],
    'each block must be complete: its imports and the declarations it uses included (`./generated/prisma/client.js` is the client `npx prisma generate` makes)',
  );
});
