/**
 * Runs an example server as a child process, exactly as `npm start` does (node with tsx), on a
 * free port and a temporary embedded database, and watches what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A running example server. */
export interface ExampleProcess {
  child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** The JSON log lines printed so far (stdout). */
  logs(): Array<Record<string, unknown>>;
  /** Resolves with the first log line satisfying `match` (now or later); rejects if the process exits first. */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves when stderr satisfies `match`; rejects if the process exits first. */
  waitForStderr(match: (text: string) => boolean): Promise<string>;
  /** Resolves with the exit status (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `script` (relative to the repository) with `env` added to this process's environment; with
 * `launcher`, runs that command instead (e.g. `npm start`), which must start the same server.
 */
export function startExample(script: string, env: Record<string, string>, launcher?: { command: string; args: string[] }): ExampleProcess {
  const child = spawn(launcher?.command ?? process.execPath, launcher?.args ?? ['--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      ended = true;
      notify();
      resolve({ code, signal });
    });
  });
  const logs = () =>
    stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  function waitFor<T>(check: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const waiter = () => {
        let found: T | undefined;
        try {
          found = check();
        } catch (error) {
          waiters.delete(waiter);
          reject(error);
          return;
        }
        if (found !== undefined) {
          waiters.delete(waiter);
          resolve(found);
        } else if (ended) {
          waiters.delete(waiter);
          reject(new Error(`the example exited before ${what}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      };
      waiters.add(waiter);
      waiter();
    });
  }

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    logs,
    waitForLog: (match) => waitFor(() => logs().find(match), 'the expected log line'),
    waitForStderr: (match) => waitFor(() => (match(stderr) ? stderr : undefined), 'the expected output on stderr'),
    exited,
  };
}

/** A fresh temporary folder for an embedded database, removed by the returned cleanup. */
export async function temporaryDataFolder(): Promise<{ url: string; folder: string; remove(): Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), 'oauth2-kit-example-'));
  const folder = join(parent, 'pglite');
  return { url: `pglite:${folder}`, folder, remove: () => rm(parent, { recursive: true, force: true }) };
}

/** The command lines of the first-run banner, as printed (indented lines starting with a command). */
export function bannerCommands(banner: string): string[] {
  return banner
    .split('\n')
    .filter((line) => /^ {3}(curl |[A-Z_]+=)/.test(line))
    .map((line) => line.slice(3));
}

/** Runs shell commands one after another in one bash, returning each one's stdout. */
export function runShell(commands: readonly string[]): Promise<string[]> {
  const marker = `--- end of command ${process.pid} ---`;
  const script = commands.map((command) => `${command}\necho; echo '${marker}'`).join('\n');
  return new Promise((resolve, reject) => {
    const shell = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    shell.on('error', reject);
    shell.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bash exited ${code}: ${err}`));
      resolve(out.split(`${marker}\n`).slice(0, commands.length).map((part) => part.trim()));
    });
  });
}
