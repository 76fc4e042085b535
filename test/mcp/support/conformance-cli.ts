/**
 * The MCP conformance suite's CLI (`@modelcontextprotocol/conformance`), run as a child process, and
 * the results it writes: one folder per scenario (`<suite>-<scenario>-<timestamp>/checks.json`).
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');
const NODE20_SHIM = fileURLToPath(new URL('./conformance-node20.mjs', import.meta.url));

/** The suite's version, for the report. */
export const conformanceVersion: string = (require('@modelcontextprotocol/conformance/package.json') as { version: string }).version;

/** One check of a scenario, as the suite records it. */
export interface ConformanceCheck {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
  details?: { message?: string };
}

/** A scenario's checks. */
export interface ScenarioResult {
  scenario: string;
  checks: ConformanceCheck[];
}

/**
 * Runs the CLI with `args`; `onLine` sees each line it prints on stdout as it comes (a scenario
 * that waits for a person to sign in prints the URL there), and `signal` stops it. Resolves with
 * the exit code (null when stopped) and everything printed.
 */
export function runConformanceCli(
  args: readonly string[],
  onLine: (line: string) => void = () => {},
  signal?: AbortSignal,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', NODE20_SHIM, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let output = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', (error) => {
      if (error.name !== 'AbortError') reject(error);
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

const TIMESTAMP = /-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/** The scenarios' checks in `folder`, written by a run with `-o folder`; `prefix` is the suite's (`server-`, `authorization-server-`). */
export async function readScenarioResults(folder: string, prefix: string): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const entry of (await readdir(folder)).sort()) {
    if (!entry.startsWith(prefix) || !TIMESTAMP.test(entry)) continue;
    const checks = JSON.parse(await readFile(join(folder, entry, 'checks.json'), 'utf8')) as ConformanceCheck[];
    results.push({ scenario: entry.slice(prefix.length).replace(TIMESTAMP, ''), checks });
  }
  return results;
}
