/**
 * PGlite lets two processes open one data folder and corrupt it; the CLI refuses while another live
 * process (the example server, another CLI) holds the folder, and takes over a lock left by a dead one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { hasStackTrace, runCli } from './support/run-cli.js';

async function migratedFolder(t: import('ava').ExecutionContext): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'oauth2-kit-lock-'));
  t.teardown(() => rm(parent, { recursive: true, force: true }));
  const folder = join(parent, 'data');
  const migrated = await runCli(['--database-url', `pglite:${folder}`, 'migrate']);
  if (migrated.code !== 0) throw new Error(migrated.stderr);
  return folder;
}

test('a data folder held by a live process is refused with who holds it and what to do', async (t) => {
  const folder = await migratedFolder(t);
  // A live process other than the CLI: a sleeping child, recorded as the holder.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  t.teardown(() => void holder.kill());
  await writeFile(`${folder}.lock`, JSON.stringify({ pid: holder.pid, holder: 'the example server', since: new Date().toISOString() }));

  const run = await runCli(['--database-url', `pglite:${folder}`, 'client', 'list']);
  t.is(run.code, 1);
  t.false(hasStackTrace(run.stderr));
  t.is(
    run.stderr,
    `oauth2-kit: error: the embedded database ${folder} is in use by the example server (pid ${holder.pid}); ` +
      'PGlite allows one process at a time: stop it first, or use a PostgreSQL/MySQL database via --database-url\n',
  );
  t.is(JSON.parse(await readFile(`${folder}.lock`, 'utf8')).pid, holder.pid, 'the holder keeps its lock');
});

test('a lock left by a process that is gone is taken over, and released when the command ends', async (t) => {
  const folder = await migratedFolder(t);
  const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => dead.once('exit', resolve));
  await writeFile(`${folder}.lock`, JSON.stringify({ pid: dead.pid, holder: 'a crashed server', since: new Date().toISOString() }));

  const run = await runCli(['--database-url', `pglite:${folder}`, 'scope', 'list']);
  t.is(run.code, 0, run.stderr);
  await t.throwsAsync(readFile(`${folder}.lock`, 'utf8'), { code: 'ENOENT' });
});
