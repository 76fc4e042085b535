/**
 * Runs the real Prisma CLI (what `npx prisma …` runs) in a child process, with the project's
 * prisma.config.ts unless another working directory is given.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const prismaBin = fileURLToPath(new URL('../../../node_modules/.bin/prisma', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Both streams, for failure messages. */
  output: string;
}

export function runPrisma(args: string[], options: { databaseUrl?: string; cwd?: string } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(prismaBin, args, { cwd: options.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, output: `${stdout}\n${stderr}` }));
  });
}
