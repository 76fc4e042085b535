/**
 * The README check (support/markdown-typescript.ts) is a real typecheck: run here on a document of
 * its own, it finds every TypeScript block, and reports a wrong block, a fragment and an import the
 * entry points do not have at the document's lines. One program for the whole document, as for the README.
 */
import test from 'ava';
import { fencedCodeBlocks, repositoryRoot, typecheckBlocks, typescriptBlocks } from './support/markdown-typescript.js';

const fence = '```';
const DOCUMENT = [
  '# A document', //                                                         1
  '',
  `${fence}ts`, //                                                           3
  "import { OAuthProvider } from 'oauth2-kit';",
  "import { OAuthSqlProvider } from 'oauth2-kit/sql';",
  "import { OAuthPrismaProvider } from 'oauth2-kit/prisma';",
  "import { createOAuthRouter } from 'oauth2-kit/koa';",
  "import { MemoryStorage } from 'oauth2-kit/testing';",
  'const provider = new OAuthProvider(new MemoryStorage());',
  'export const parts = [provider, OAuthSqlProvider, OAuthPrismaProvider, createOAuthRouter];',
  fence,
  '',
  `${fence}sh`, //                                                           13
  "const notChecked: number = 'shell';",
  fence,
  '',
  `${fence}ts`, //                                                           17
  "import { MemoryStorage } from 'oauth2-kit/testing';",
  '',
  "const storage: number = new MemoryStorage(); // wrong: not a number",
  'export { storage };',
  fence,
  '',
  '~~~typescript', //                                                        24
  'await provider.check(); // a fragment: provider is declared in another block only',
  '~~~',
  '',
  `${fence}ts`, //                                                           28
  "import { OAuthSqlProvider, noSuchExport } from 'oauth2-kit/sql';",
  'export const parts = [OAuthSqlProvider, noSuchExport];',
  fence,
  '',
  `${fence}${fence[0]}md`, //                                                33: a block that shows a block
  `${fence}ts`,
  "const shown: number = 'not checked: it is the text of a Markdown block';",
  fence,
  `${fence}${fence[0]}`,
  '',
].join('\n');

const blocks = typescriptBlocks(DOCUMENT);
let checked: string[] | undefined;
/** The document's errors: one program, made once for every test here. */
const errors = () => (checked ??= typecheckBlocks(blocks, { directory: repositoryRoot, document: 'example.md', tsconfig: `${repositoryRoot}tsconfig.json` }));
const errorsAt = (line: number) => errors().filter((error) => error.startsWith(`example.md:${line}:`));

test('every ts and typescript block is found, at the line its code starts, and no block of another language', (t) => {
  t.deepEqual(
    fencedCodeBlocks(DOCUMENT).map((block) => [block.language, block.line]),
    [['ts', 4], ['sh', 14], ['ts', 18], ['typescript', 25], ['ts', 29], ['md', 34]],
  );
  t.deepEqual(blocks.map((block) => block.line), [4, 18, 25, 29]);
  t.is(blocks[1]!.code, "import { MemoryStorage } from 'oauth2-kit/testing';\n\nconst storage: number = new MemoryStorage(); // wrong: not a number\nexport { storage };");
});

test('a block importing every entry point, oauth2-kit, /sql, /prisma, /koa and /testing, and using them correctly has no error', (t) => {
  t.deepEqual(errorsAt(4).concat(errorsAt(5), errorsAt(6), errorsAt(7), errorsAt(8), errorsAt(9), errorsAt(10)), []);
});

test('a type error is reported at its line of the document, with its column and TypeScript code', (t) => {
  t.deepEqual(errorsAt(20), [
    "example.md:20:7 - error TS2322: Type 'MemoryStorage' is not assignable to type 'number'.",
  ]);
});

test('a fragment that uses a name declared only in another block is an error: each block is a module of its own', (t) => {
  t.deepEqual(errorsAt(25), ["example.md:25:7 - error TS2304: Cannot find name 'provider'."]);
});

test('imports resolve to the entry points themselves: a name oauth2-kit/sql does not export is an error', (t) => {
  t.deepEqual(errorsAt(29), ['example.md:29:28 - error TS2305: Module \'"oauth2-kit/sql"\' has no exported member \'noSuchExport\'.']);
});

test('nothing else is reported: not the shell block, not a block shown inside another block', (t) => {
  t.is(errors().length, 3, errors().join('\n'));
});
