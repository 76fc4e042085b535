/**
 * What the README tells a user to run, read from the README itself so that the tests follow it
 * and fail when it stops working: the install commands and the Koa mounting snippet.
 */
import ts from 'typescript';

/** The first fenced block of `language` after the heading `heading`. */
function fencedBlockAfter(readme: string, heading: string, language: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`the README has no heading "${heading}"`);
  const block = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(readme.slice(start));
  if (block === null) throw new Error(`the README has no \`\`\`${language} block after "${heading}"`);
  return block[1]!;
}

/**
 * The packages the README's "Install in your app" block installs for one setup: its command
 * without a comment (what every application installs) and the one whose comment matches `setup`.
 */
export function readmeInstallPackages(readme: string, setup: RegExp): string[] {
  const lines = fencedBlockAfter(readme, '## Install in your app', 'sh')
    .split('\n')
    .filter((line) => line.startsWith('npm install '));
  const chosen = lines.filter((line) => !line.includes('#') || setup.test(line.slice(line.indexOf('#'))));
  if (!chosen.some((line) => line.includes('#'))) throw new Error(`the README's install block has no line for ${setup}`);
  return [...new Set(chosen.flatMap((line) => line.replace(/#.*$/, '').trim().split(/\s+/).slice(2)))];
}

/**
 * The README's "Mount the router in a Koa app" snippet as the JavaScript a user writes from it:
 * TypeScript's own transpiler removes the types and nothing else. Its `.listen(3000)` becomes a
 * free port, printed as `{"listening":PORT}` once the server accepts connections.
 */
export function readmeKoaSnippetAsJavaScript(readme: string): string {
  const snippet = fencedBlockAfter(readme, '## Mount the router in a Koa app', 'ts');
  return ts.transpileModule(listeningOnFreePort(snippet), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
}

/** The README's section under `heading` (a `## ` heading), up to the next one. */
export function readmeSection(readme: string, heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`the README has no heading "${heading}"`);
  const end = readme.indexOf('\n## ', start + heading.length + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** Every fenced block of `language` in `text`, in order. */
export function fencedBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1]!);
}

/**
 * A server file's `.listen(3000)` as a free port, printed as `{"listening":PORT}` once the server
 * accepts connections (what `startAppServer` waits for).
 */
export function listeningOnFreePort(source: string): string {
  const listen = '.listen(3000)';
  if (!source.includes(listen)) throw new Error(`the README's server code no longer calls ${listen}`);
  return source.replace(listen, '.listen(0, function (this: import("node:net").Server) { console.log(JSON.stringify({ listening: (this.address() as import("node:net").AddressInfo).port })); })');
}
