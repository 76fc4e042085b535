/**
 * The TypeScript a Markdown document shows, checked as a reader would paste it: every ```ts (or
 * ```typescript) block becomes a module of its own, placed in a directory of the repository, and all
 * of them are typechecked together in one TypeScript program with the project's compiler options —
 * so `oauth2-kit`, `oauth2-kit/sql`, … resolve through tsconfig.json's `paths` to the entry points'
 * sources, packages to node_modules, and `./generated/prisma/client.js` to the generated client.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** A fenced code block of a Markdown document. */
export interface CodeBlock {
  /** The info string's first word, lower-cased (`ts`, `sh`, …); empty when there is none. */
  language: string;
  /** The document's line (1-based) of the block's first line of code. */
  line: number;
  code: string;
}

/** The languages whose blocks are checked. */
const TYPESCRIPT = new Set(['ts', 'typescript']);

/** Every fenced code block of `markdown` (CommonMark fences: ``` or ~~~, indented up to 3 spaces). */
export function fencedCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const opening = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[index]!);
    if (opening === null) continue;
    const [, indent, fence, info] = opening as unknown as [string, string, string, string];
    // A closing fence: the same character, at least as long, nothing after it but spaces.
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const code: string[] = [];
    let end = index + 1;
    while (end < lines.length && !closing.test(lines[end]!)) {
      code.push(lines[end]!.replace(new RegExp(`^ {0,${indent.length}}`), ''));
      end += 1;
    }
    blocks.push({ language: info.toLowerCase(), line: index + 2, code: code.join('\n') });
    index = end;
  }
  return blocks;
}

/** The blocks of `markdown` that are TypeScript. */
export function typescriptBlocks(markdown: string): CodeBlock[] {
  return fencedCodeBlocks(markdown).filter((block) => TYPESCRIPT.has(block.language));
}

/** Where a block is typechecked from, and how its errors are named. */
export interface CheckOptions {
  /** The directory the blocks are placed in: their relative imports resolve from there. */
  directory: string;
  /** Names the document in every error (`README.md`). */
  document: string;
  /** The tsconfig.json whose compiler options apply. */
  tsconfig: string;
}

/**
 * Typechecks every block as a module of its own, in one program; returns the errors, each as
 * `DOCUMENT:LINE:COLUMN - error TSnnnn: message` at the document's line, in document order.
 */
export function typecheckBlocks(blocks: readonly CodeBlock[], options: CheckOptions): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(resolve(options.tsconfig), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error(`cannot read ${options.tsconfig}`);
  // Global types are Node's only, as in an application: the project's own typecheck takes in every
  // @types package its dev dependencies brought, whose globals a user's application does not have.
  // What a block imports is resolved as usual, its types included.
  const compilerOptions: ts.CompilerOptions = { ...parsed.options, types: ['node'], noEmit: true, incremental: false, composite: false };

  // One file per block, named after the document and the block's line: `README.md.line-57.ts`.
  const files = new Map(blocks.map((block) => [join(resolve(options.directory), `${options.document}.line-${block.line}.ts`), block]));
  const host = ts.createCompilerHost(compilerOptions);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const block = files.get(resolve(fileName));
    return block === undefined
      ? getSourceFile(fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, block.code, languageVersion, false, ts.ScriptKind.TS);
  };
  host.fileExists = (fileName) => files.has(resolve(fileName)) || fileExists(fileName);
  host.readFile = (fileName) => files.get(resolve(fileName))?.code ?? readFile(fileName);

  const program = ts.createProgram({ rootNames: [...files.keys()], options: compilerOptions, host });
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[...files.keys()].flatMap((fileName) => {
      const source = program.getSourceFile(fileName)!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    }),
  ];
  return diagnostics.map((diagnostic) => describe(diagnostic, files, options.document));
}

function describe(diagnostic: ts.Diagnostic, files: ReadonlyMap<string, CodeBlock>, document: string): string {
  const message = `error TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  if (diagnostic.file === undefined || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const block = files.get(resolve(diagnostic.file.fileName));
  const where = block === undefined ? diagnostic.file.fileName : document;
  return `${where}:${(block?.line ?? 1) + line}:${character + 1} - ${message}`;
}

/** The repository's root, where the README and tsconfig.json are. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
