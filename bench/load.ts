/**
 * The load generator: autocannon, driven programmatically from the harness process (the servers run
 * in their own processes). Latency percentiles are computed here from every response's own time, at
 * full resolution: autocannon's histogram rounds to whole milliseconds, too coarse for p50 ≈ 2 ms.
 */
import autocannon from 'autocannon';

/** One HTTP request as autocannon builds it. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * What to send: a fixed cycle of prebuilt requests shared by every connection, a cycle of its own
 * for each connection (as when each caller holds its own token), or a request built afresh for
 * every request.
 */
export type RequestSource =
  | { kind: 'cycle'; requests: LoadRequest[] }
  | { kind: 'per-connection'; requestsFor: (connection: number, connections: number) => LoadRequest[] }
  | { kind: 'fresh'; next: () => LoadRequest };

/** One measured interval. */
export interface LoadSample {
  /** Completed responses per second (any status). */
  rps: number;
  /** Latency percentiles of 2xx responses, milliseconds. */
  p50: number;
  p99: number;
  /** Responses that were not 2xx, plus connection errors and timeouts. */
  errors: number;
  /** Responses counted. */
  responses: number;
  durationSeconds: number;
  /** Server CPU time per response over the interval, µs; NaN when not measured. */
  cpuMicrosPerRequest: number;
  /** PostgreSQL CPU time per response over the interval, µs; NaN when not measured. */
  dbCpuMicrosPerRequest: number;
}

export interface LoadOptions {
  port: number;
  connections: number;
  seconds: number;
  source: RequestSource;
}

function toAutocannonRequests(source: RequestSource, connections: number): autocannon.Request[] {
  if (source.kind === 'cycle') return source.requests.map((request) => ({ ...request }));
  if (source.kind === 'per-connection') return source.requestsFor(0, connections).map((request) => ({ ...request }));
  return [
    {
      setupRequest: (request: autocannon.Request) => {
        const next = source.next();
        return { ...request, ...next, headers: { ...(request.headers ?? {}), ...(next.headers ?? {}) } };
      },
    } as autocannon.Request,
  ];
}

function perConnection(
  source: Extract<RequestSource, { kind: 'per-connection' }>,
  connections: number,
): (client: autocannon.Client) => void {
  let next = 0;
  return (client) => {
    const connection = next++ % connections;
    (client as unknown as { setRequests(requests: autocannon.Request[]): void }).setRequests(
      source.requestsFor(connection, connections).map((request) => ({ ...request })),
    );
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Drives the server on `port` for `seconds` and measures it. */
export async function runLoad(options: LoadOptions): Promise<LoadSample> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let bad = 0;
  const instance = autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    timeout: 10,
    requests: toAutocannonRequests(options.source, options.connections),
    ...(options.source.kind === 'per-connection' ? { setupClient: perConnection(options.source, options.connections) } : {}),
    // Without a callback autocannon returns its tracker, which is also a promise of the result.
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 200 || statusCode >= 300) {
      bad += 1;
      return;
    }
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
  });
  const result = await instance;
  const sorted = latencies.subarray(0, count).sort();
  const responses = count + bad;
  return {
    rps: responses / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: bad + result.errors + result.timeouts,
    responses,
    durationSeconds: result.duration,
    cpuMicrosPerRequest: Number.NaN,
    dbCpuMicrosPerRequest: Number.NaN,
  };
}

/** The median of some numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
