/**
 * Starts a bench server (`bench/servers/*.ts`) in its own Node process, so that the server and the
 * load generator never share an event loop, and stops it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchServerMessage, CpuReport } from './servers/bench-listen.js';

/** A running bench server. */
export interface ServerProcess {
  /** Human-readable name, e.g. `sql exact`. */
  name: string;
  port: number;
  /** The scratch database it uses, if any. */
  database: string | undefined;
  /** CPU used and requests served so far by the server process(es). */
  cpu(): Promise<CpuReport>;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** File under `bench/servers/`. */
  script: 'bare-koa.ts' | 'oauth-server.ts' | 'jwt-guard-server.ts';
  env?: Record<string, string>;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

const STARTUP_TIMEOUT_MS = 120_000;

export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const script = fileURLToPath(new URL(`./servers/${spec.script}`, import.meta.url));
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx', ...(spec.nodeFlags ?? [])],
    env: { ...process.env, NODE_ENV: 'production', ...spec.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.name}: no answer within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    child.on('message', (message: BenchServerMessage) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${spec.name} failed to start:\n${message.reason}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.name} exited with code ${code} before listening`));
    });
  });
  const url = spec.env?.BENCH_DATABASE_URL;
  return {
    name: spec.name,
    port,
    database: url === undefined ? undefined : decodeURIComponent(new URL(url).pathname.slice(1)),
    cpu() {
      return new Promise<CpuReport>((resolve) => {
        const listener = (message: BenchServerMessage) => {
          if (message.type !== 'cpu') return;
          child.off('message', listener);
          resolve({ cpuMicros: message.cpuMicros, requests: message.requests });
        };
        child.on('message', listener);
        child.send({ type: 'cpu' });
      });
    },
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ type: 'shutdown' });
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
