/**
 * Loaded with `node --import` before the MCP conformance suite's CLI, which imports `globSync` from
 * `fs` (Node 22+) for a subcommand the runs here never use (tier-check). On Node 20, where the named
 * import alone would stop the CLI from loading, the suite gets an `fs` with a `globSync` that says
 * so if it is ever called. Nothing changes on Node 22+.
 */
import fs from 'node:fs';
import { register } from 'node:module';

if (typeof fs.globSync !== 'function') {
  const shim = [
    "export * from 'node:fs';",
    "import fs from 'node:fs';",
    'export default fs;',
    "export function globSync() { throw new Error('fs.globSync needs Node 22 or later'); }",
  ].join('\n');
  const hooks = `
    const shim = ${JSON.stringify(`data:text/javascript,${encodeURIComponent(shim)}`)};
    export async function resolve(specifier, context, next) {
      if ((specifier === 'fs' || specifier === 'node:fs') && (context.parentURL ?? '').includes('/@modelcontextprotocol/conformance/')) {
        return { url: shim, shortCircuit: true };
      }
      return next(specifier, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
