#!/usr/bin/env node
// The `oauth2-kit` admin CLI. A checkout of the repository (it has tsconfig.json, which the published
// package does not ship) runs the TypeScript source through tsx, so `npm run cli` never runs a stale
// build; an installed package runs the compiled CLI (dist/cli/main.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const checkout = existsSync(fileURLToPath(new URL('../tsconfig.json', import.meta.url)));
const built = new URL('../dist/cli/main.js', import.meta.url);
let main;
if (!checkout && existsSync(fileURLToPath(built))) {
  main = await import(built.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('oauth2-kit: error: the CLI is not built (run "npm run build") and tsx is not installed\n');
    process.exit(1);
  }
  register();
  main = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
process.exitCode = await main.runCli(process.argv.slice(2));
