/**
 * Runs npm, npx and node the way a user's shell would: without the `npm_*` variables an enclosing
 * `npm test` exports (`npm_config_local_prefix` alone would make npm treat this repository as the
 * project of every command) and without NODE_OPTIONS, offline, with the registry out of reach so
 * that any download fails loudly.
 */
import { spawn } from 'node:child_process';

/** A registry address nothing answers on (TCP port 9, discard): npm must find everything in its cache. */
export const UNREACHABLE_REGISTRY = 'http://127.0.0.1:9/';

/** What one command printed, and how it exited. */
export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Where npm keeps its cache and configuration, when an enclosing npm says so: the cache is the point.
const KEPT_NPM_VARIABLES = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig']);

/** This process's environment less npm's per-run variables, offline, plus `extra`. */
export function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_') || KEPT_NPM_VARIABLES.has(name.toLowerCase())) env[name] = value;
  }
  // A loader such as tsx must not reach the application: it runs plain JavaScript.
  delete env.NODE_OPTIONS;
  return {
    ...env,
    npm_config_registry: UNREACHABLE_REGISTRY,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

/** Runs `command args` in `cwd` and resolves when it exits. */
export function runCommand(command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: userEnvironment(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** {@link runCommand}, failing with what the command printed unless it exits 0. */
export async function runCommandOrThrow(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CommandRun> {
  const run = await runCommand(command, args, options);
  if (run.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${run.code}:\n${run.stderr.slice(-4000)}\n${run.stdout.slice(-2000)}`);
  }
  return run;
}
