/**
 * Graceful shutdown for an HTTP server: on SIGTERM or SIGINT stop accepting connections, let the
 * requests already running finish (for a bounded time), then release resources and exit 0.
 * A second signal while draining exits at once with status 1, as an operator pressing Ctrl-C twice expects.
 */
import type { Server } from 'node:http';
import type { JsonLog } from './json-log.js';

/** What {@link installGracefulShutdown} needs. */
export interface GracefulShutdownOptions {
  server: Server;
  log: JsonLog;
  /** How long in-flight requests may take to finish before their connections are cut. */
  drainTimeoutMs: number;
  /** Closes everything the server used (database, locks), after the last request has ended. */
  release(): Promise<void>;
}

/**
 * Counts in-flight requests and installs the signal handlers. Call before the server starts
 * listening so that no request escapes the count.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): void {
  const { server, log } = options;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  server.on('request', (_req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.error('shutdown_forced', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutdown_started', { signal, in_flight: inFlight });
    // close() stops accepting; idle keep-alive sockets would otherwise hold it open until they time out.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const allDone = new Promise<boolean>((resolve) => {
      if (inFlight === 0) return resolve(true);
      drained = () => resolve(true);
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.drainTimeoutMs);
    });
    const finished = await Promise.race([allDone, timedOut]);
    clearTimeout(timer);
    const abandoned = finished ? 0 : inFlight;
    server.closeAllConnections();
    await closed;
    let code = 0;
    try {
      await options.release();
    } catch (error) {
      code = 1;
      log.error('shutdown_release_failed', { error: error instanceof Error ? error.name : typeof error });
    }
    log.info('shutdown_complete', { signal, abandoned_requests: abandoned, exit_code: code });
    process.exit(code);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}
