/**
 * The README's "Mount the router in a Koa app" block is examples/existing-app.ts, so that the code
 * users copy first is a file of this repository: typechecked with it, and imported by the package
 * names a user writes.
 */
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { fencedCodeBlocks, repositoryRoot } from './support/markdown-typescript.js';

const HEADING = '## Mount the router in a Koa app';

test('the README’s Koa block is examples/existing-app.ts after its opening comment, character for character', async (t) => {
  const readme = await readFile(`${repositoryRoot}README.md`, 'utf8');
  const example = await readFile(`${repositoryRoot}examples/existing-app.ts`, 'utf8');

  const headingLine = readme.split('\n').indexOf(HEADING) + 1;
  t.true(headingLine > 0, `the README has the heading "${HEADING}"`);
  const block = fencedCodeBlocks(readme).find((candidate) => candidate.line > headingLine);
  t.is(block?.language, 'ts', `the first block after "${HEADING}" is TypeScript`);

  const opening = /^\/\*\*[\s\S]*?\*\/\n/.exec(example);
  t.not(opening, null, 'examples/existing-app.ts opens with a comment saying what it is');
  t.is(`${block?.code}\n`, example.slice(opening?.[0].length ?? 0));
});
