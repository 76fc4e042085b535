/**
 * How a bench server process runs: it builds its request handler, listens on a free loopback port,
 * tells the harness the port over IPC, reports its CPU use when asked, and closes cleanly when
 * told to. With `BENCH_WORKERS=n` (n > 1) the process is a node:cluster primary that only forks n
 * workers sharing one port, which is how docs/scaling.md measures several server processes.
 */
import cluster, { type Worker } from 'node:cluster';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a bench server is made of. */
export interface BenchServer {
  handler: RequestListener;
  /** Releases database pools; called once no request is running any more. */
  close(): Promise<void>;
}

/**
 * CPU time the server process(es) used so far, and requests completed: the harness divides the
 * differences over an interval. CPU per request is a steadier measure than throughput on a shared
 * machine, where another process can take the core the server would have used.
 */
export interface CpuReport {
  /** Microseconds of user + system CPU. */
  cpuMicros: number;
  requests: number;
}

/** Messages a bench server process sends to the harness. */
export type BenchServerMessage =
  | { type: 'listening'; port: number }
  | { type: 'failed'; reason: string }
  | ({ type: 'cpu' } & CpuReport);

type Message = { type?: string; port?: number; reason?: string } & Partial<CpuReport>;

let completed = 0;

function cpuReport(): CpuReport {
  const { user, system } = process.cpuUsage();
  return { cpuMicros: user + system, requests: completed };
}

function workersWanted(): number {
  const raw = process.env.BENCH_WORKERS ?? '1';
  const workers = Number(raw);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new Error(`BENCH_WORKERS must be 1–16, got ${raw}`);
  return workers;
}

/** Runs the server built by `build` until the harness sends `shutdown` (or goes away). */
export async function runBenchServer(build: () => Promise<BenchServer>): Promise<void> {
  try {
    const workers = workersWanted();
    if (workers > 1 && cluster.isPrimary) return await runPrimary(workers);
    const port = await serve(await build());
    if (cluster.isWorker) process.send?.({ type: 'worker-listening', port });
    else process.send?.({ type: 'listening', port });
  } catch (error) {
    process.send?.({ type: 'failed', reason: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
}

async function serve({ handler, close }: BenchServer): Promise<number> {
  // Requests still running when the harness stops the server would find the pool closed.
  let active = 0;
  const server = createServer((req, res) => {
    active += 1;
    // Koa's handler returns the promise of the whole middleware chain.
    void Promise.resolve(handler(req, res) as unknown).finally(() => {
      active -= 1;
      completed += 1;
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Port 0 in cluster workers: the primary picks one port and every worker shares it.
    server.listen(0, '127.0.0.1', () => resolve());
  });
  onMessages({
    cpu: () => process.send?.({ type: cluster.isWorker ? 'worker-cpu' : 'cpu', ...cpuReport() }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (let waited = 0; active > 0 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      await close();
      process.exit(0);
    },
  });
  return (server.address() as AddressInfo).port;
}

/** Answers `cpu` and stops on `shutdown`, SIGTERM or the harness going away. */
function onMessages(handlers: { cpu: () => void; stop: () => Promise<void> }): void {
  let stopping = false;
  const stopOnce = () => {
    if (stopping) return;
    stopping = true;
    void handlers.stop();
  };
  process.on('SIGTERM', stopOnce);
  process.on('disconnect', stopOnce);
  process.on('message', (message: Message) => {
    if (message?.type === 'shutdown') stopOnce();
    if (message?.type === 'cpu') handlers.cpu();
  });
}

function ask(worker: Worker, type: string, replyType: string): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (reply: Message) => {
      if (reply?.type !== replyType) return;
      worker.off('message', listener);
      resolve(reply);
    };
    worker.on('message', listener);
    worker.send({ type });
  });
}

async function runPrimary(count: number): Promise<void> {
  const workers = Array.from({ length: count }, () => cluster.fork());
  const ports = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<number>((resolve, reject) => {
          worker.on('message', (message: Message) => {
            if (message?.type === 'worker-listening' && typeof message.port === 'number') resolve(message.port);
            if (message?.type === 'failed') reject(new Error(message.reason));
          });
          worker.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
        }),
    ),
  );
  const port = ports[0]!;
  if (!ports.every((p) => p === port)) throw new Error(`workers listen on different ports: ${ports.join(', ')}`);
  onMessages({
    // The primary only forks: the figures are the workers' sums.
    cpu: () =>
      void Promise.all(workers.map((worker) => ask(worker, 'cpu', 'worker-cpu'))).then((reports) =>
        process.send?.({
          type: 'cpu',
          cpuMicros: reports.reduce((sum, r) => sum + (r.cpuMicros ?? 0), 0),
          requests: reports.reduce((sum, r) => sum + (r.requests ?? 0), 0),
        }),
      ),
    stop: async () => {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              worker.once('exit', () => resolve());
              worker.send({ type: 'shutdown' });
            }),
        ),
      );
      process.exit(0);
    },
  });
  process.send?.({ type: 'listening', port });
}
