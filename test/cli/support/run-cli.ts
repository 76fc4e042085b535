/**
 * Runs the real `bin/oauth2-kit.mjs` as a child process, as an operator would, and captures what it
 * printed. Nothing is mocked: the CLI opens the database itself.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const binPath = fileURLToPath(new URL('../../../bin/oauth2-kit.mjs', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What one CLI run printed, and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Written to the CLI's stdin, which is then closed (stdin is always a pipe, never a terminal). */
  input?: string;
  env?: Record<string, string | undefined>;
  /** Working directory (where the default `.data/pglite` would be). Default: the repository root. */
  cwd?: string;
}

/** Runs `oauth2-kit ...args` and resolves when it exits. `DATABASE_URL` is unset unless given. */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: undefined, OAUTH2KIT_DEBUG: undefined, ...options.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd: options.cwd ?? repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the CLI with `--json` and parses its output; fails loudly with stderr when it did not succeed. */
export async function runCliJson<T = unknown>(args: readonly string[], options: RunCliOptions = {}): Promise<T> {
  const run = await runCli([...args, '--json'], options);
  if (run.code !== 0) throw new Error(`oauth2-kit ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** Whether output contains a JavaScript stack frame ("    at fn (file:line)"). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+/m.test(text);
}
