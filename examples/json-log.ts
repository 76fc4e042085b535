/**
 * Structured logs: one JSON object per line on stdout, so that a log collector can parse every line.
 * Callers pass facts only (method, path, status, durations, ids); nothing here redacts, so nothing
 * secret may be handed to it — the first-run banner, which does show the demo secret, is written
 * elsewhere as human text on stderr.
 */

/** A field value a log line may carry. */
export type LogValue = string | number | boolean | null;

/** Writes one log line per call. */
export interface JsonLog {
  info(event: string, fields?: Record<string, LogValue>): void;
  /** Something the operator should fix, though the server runs. */
  warn(event: string, fields?: Record<string, LogValue>): void;
  error(event: string, fields?: Record<string, LogValue>): void;
}

/** A logger writing to `stream` (stdout by default), stamped with `service`. */
export function createJsonLog(service: string, stream: NodeJS.WritableStream = process.stdout): JsonLog {
  const write = (level: 'info' | 'warn' | 'error', event: string, fields: Record<string, LogValue> = {}) => {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, service, event, ...fields })}\n`);
  };
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}

/**
 * What an unexpected error may reveal in a log line: its class and code, never its message, which
 * for driver errors can quote SQL parameters (and so a token digest or a username).
 */
export function describeError(error: unknown): Record<string, LogValue> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { error: error.name, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}) };
  }
  return { error: typeof error };
}
