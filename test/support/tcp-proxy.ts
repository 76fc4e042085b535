/**
 * A loopback TCP proxy that a test puts between the server under test and its database, so that it
 * can take the database away mid-traffic and give it back, without touching the database server
 * (which other test files share).
 *
 * Three states:
 * - `open`: bytes flow both ways;
 * - `refused` ({@link TcpProxy.cut}): every proxied connection is reset and every new one is reset
 *   on arrival — the database looks crashed or restarted;
 * - `blackholed` ({@link TcpProxy.blackhole}): connections are accepted and kept, but nothing is
 *   forwarded either way — a network partition, where only timeouts end the wait.
 * {@link TcpProxy.restore} reopens it; connections held in a blackhole are reset then, as the
 * partition's TCP connections would be once it heals.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyState = 'open' | 'refused' | 'blackholed';

export interface TcpProxy {
  /** The port on 127.0.0.1 clients connect to instead of the target's. */
  readonly port: number;
  readonly state: ProxyState;
  /** Connections accepted since start (each is one database connection the driver opened). */
  readonly accepted: number;
  /** Resets every connection and refuses new ones until {@link restore}. */
  cut(): void;
  /** Keeps connections open but silent, and new ones too, until {@link restore}. */
  blackhole(): void;
  /** Forwards again; connections held silent by a blackhole are reset. */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy on an ephemeral loopback port forwarding to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let state: ProxyState = 'open';
  let accepted = 0;
  /** Each accepted client socket with its upstream socket (absent while blackholed). */
  const pairs = new Set<{ client: Socket; upstream?: Socket }>();

  const reset = (socket: Socket | undefined) => {
    if (socket && !socket.destroyed) socket.resetAndDestroy();
  };

  const server: Server = createServer((client) => {
    accepted += 1;
    client.on('error', () => {});
    if (state === 'refused') {
      reset(client);
      return;
    }
    const pair: { client: Socket; upstream?: Socket } = { client };
    pairs.add(pair);
    client.on('close', () => {
      pairs.delete(pair);
      reset(pair.upstream);
    });
    if (state === 'blackholed') {
      // Read and drop whatever the driver sends, so that its writes never block.
      client.on('data', () => {});
      return;
    }
    const upstream = connect(target);
    pair.upstream = upstream;
    upstream.on('error', () => reset(client));
    upstream.on('close', () => reset(client));
    client.on('data', (chunk) => {
      if (state === 'open') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (state === 'open') client.write(chunk);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const resetAll = () => {
    for (const pair of pairs) {
      reset(pair.client);
      reset(pair.upstream);
    }
    pairs.clear();
  };

  return {
    port,
    get state() {
      return state;
    },
    get accepted() {
      return accepted;
    },
    cut() {
      state = 'refused';
      resetAll();
    },
    blackhole() {
      state = 'blackholed';
    },
    restore() {
      if (state === 'blackholed') resetAll();
      state = 'open';
    },
    close() {
      resetAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
