/** Runs an application's server file with plain node, and waits until it listens. */
import { spawn } from 'node:child_process';
import { userEnvironment } from './user-shell.js';

/** A running server: its port, what it printed, and how to stop it. */
export interface AppServer {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeArguments] file` in `cwd` (`['--import', 'tsx']` for a TypeScript file). The file prints `{"listening":PORT}` on stdout once it listens;
 * a process that exits first rejects with what it printed.
 */
export function startAppServer(cwd: string, file: string, env: Record<string, string>, nodeArguments: readonly string[] = []): Promise<AppServer> {
  const child = spawn(process.execPath, [...nodeArguments, file], { cwd, env: userEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    let listening = false;
    const onData = (chunk: string) => {
      output += chunk;
      const port = /\{"listening":(\d+)\}/.exec(output)?.[1];
      if (listening || port === undefined) return;
      listening = true;
      child.off('close', onEarlyExit);
      resolve({
        port: Number(port),
        output: () => output,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    const onEarlyExit = (code: number | null) => reject(new Error(`node ${file} exited ${code} before listening:\n${output}`));
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('close', onEarlyExit);
  });
}
