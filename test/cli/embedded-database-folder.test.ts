/**
 * The embedded database's folder holds password hashes and token digests as plain files: the CLI
 * creates it for its owner only, and warns about an existing one other users may enter.
 */
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from './support/run-cli.js';

// Permission bits are POSIX: elsewhere these tests are declared skips, said once.
const posix = process.platform !== 'win32';
if (!posix) console.warn(`[cli/embedded-database-folder] skipped: ${process.platform} has no POSIX file modes`);
const posixTest = posix ? test : test.skip;

async function parentFolder(t: import('ava').ExecutionContext): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'oauth2-kit-folder-'));
  t.teardown(() => rm(parent, { recursive: true, force: true }));
  return parent;
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

posixTest('migrate creates the embedded database folder readable by its owner only (0700)', async (t) => {
  const folder = join(await parentFolder(t), 'nested', 'pglite');
  const run = await runCli(['--database-url', `pglite:${folder}`, 'migrate']);
  t.is(run.code, 0, run.stderr);
  t.is((await modeOf(folder)).toString(8), '700');
  t.notRegex(run.stderr, /warning/);
});

posixTest('an existing embedded database folder open to other users is used as it is, with a warning saying how to close it', async (t) => {
  const folder = join(await parentFolder(t), 'pglite');
  await mkdir(folder);
  await chmod(folder, 0o755);
  const run = await runCli(['--database-url', `pglite:${folder}`, 'migrate']);
  t.is(run.code, 0, run.stderr);
  t.is(
    run.stderr,
    `oauth2-kit: warning: the embedded database folder ${folder} is open to other users (mode 0755) ` +
      `and holds password hashes and token digests: run "chmod 700 ${folder}"\n`,
  );
  t.is((await modeOf(folder)).toString(8), '755', 'the operator decides');
});
