/**
 * An application's installation as the CLI sees it when it looks for its optional packages: a
 * temporary folder with `node_modules/<name>/package.json` files and nothing else, and the CLI run
 * in-process with its packages resolved from there. Only the package check reads these files: the
 * modules the CLI then imports are the repository's own.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ExecutionContext } from 'ava';
import { runCli as runCliInProcess } from '../../../src/cli/main.js';
import { readRepoFile } from '../../support/databases.js';
import type { CliRun } from './run-cli.js';

/** Our peerDependencies, as package.json states them. */
export async function peerRanges(): Promise<Record<string, string>> {
  return (JSON.parse(await readRepoFile('package.json')) as { peerDependencies: Record<string, string> }).peerDependencies;
}

/** A version each peer range accepts: its lower bound. */
export async function acceptedVersions(): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(await peerRanges()).map(([name, range]) => [name, range.replace(/^\^/, '')]));
}

/**
 * A fresh folder holding `node_modules/<name>/package.json` for each package given (name → version),
 * removed when the test ends. Returns the folder.
 */
export async function standInInstallation(t: ExecutionContext, packages: Record<string, string>, under = ''): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'oauth2-kit-installation-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  for (const [name, version] of Object.entries(packages)) {
    const folder = join(root, under, 'node_modules', name);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'package.json'), `${JSON.stringify({ name, version })}\n`);
  }
  return root;
}

/** Runs `oauth2-kit ...args` in this process, its optional packages resolved from `from`. */
export async function runCliResolvingFrom(from: string, args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await runCliInProcess(
    args,
    { stdout: sink((text) => (stdout += text)), stderr: sink((text) => (stderr += text)) },
    { resolvePackagesFrom: from },
  );
  return { code, stdout, stderr };
}
