#!/usr/bin/env node
// The one test command (`npm test`): generate the Prisma client the tests and examples use, typecheck
// the whole project, check that docs/rfc-coverage.md matches the test titles, check the import rules
// (.dependency-cruiser.cjs), lint the package as npm would publish it (publint, attw), then run every
// ava test file.
// Extra arguments go to ava (e.g. a file path).
// It ends with a plain "N passed, N failed, N skipped" line and exits non-zero when anything fails.
import { spawn } from 'node:child_process';

const extra = process.argv.slice(2);

function run(command, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'] });
    let output = '';
    if (capture) {
      for (const stream of [child.stdout, child.stderr]) {
        stream.on('data', (chunk) => {
          output += chunk;
          (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
        });
      }
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

function step(title) {
  process.stdout.write(`\n── ${title} ${'─'.repeat(Math.max(0, 72 - title.length))}\n`);
}

step('prisma generate');
if ((await run('npx', ['prisma', 'generate'])).code !== 0) process.exit(1);

step('typecheck (tsc --noEmit)');
if ((await run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])).code !== 0) process.exit(1);

step('RFC coverage page (docs/rfc-coverage.md)');
if ((await run('node', ['scripts/rfc-coverage.mjs', '--check'])).code !== 0) process.exit(1);

step('import rules (dependency-cruiser)');
if ((await run('npm', ['run', '--silent', 'lint:imports'])).code !== 0) process.exit(1);

// Builds dist/ through `npm pack` (prepack) and checks the tarball's exports and types; offline.
step('package lint (attw, publint)');
if ((await run('npm', ['run', '--silent', 'lint:package'])).code !== 0) process.exit(1);

step('ava');
const ava = await run('npx', ['ava', ...extra], { capture: true });

// ava's summary lines look like "  12 tests passed", "  1 test failed", "  2 tests skipped".
const count = (word) => {
  const m = ava.output.match(new RegExp(`(\\d+) (?:tests?|known failures?) ${word}`));
  return m ? Number(m[1]) : 0;
};
// When something fails ava prints no passed total: count the passing tests' own lines then.
const passed = count('passed') || (ava.output.match(/^\s*✔ /gmu) ?? []).length;
const failed = count('failed') + (ava.output.match(/(\d+) uncaught exceptions?/) ? 1 : 0);
const skipped = count('skipped');
const failedAll = ava.code !== 0 ? Math.max(failed, 1) : failed;
process.stdout.write(`\n${passed} passed, ${failedAll} failed, ${skipped} skipped\n`);
process.exit(ava.code !== 0 || passed === 0 ? 1 : 0);
