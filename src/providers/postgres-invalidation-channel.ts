import type { CacheInvalidationChannel, CacheInvalidationChannelEvents } from '../core/index.js';

/**
 * The part of a `pg` Client the listener uses, typed by shape so that this module's declarations
 * need no `@types/pg` (the Prisma entry point exports it, and a Prisma application may have none).
 */
interface Client {
  connect(): Promise<unknown>;
  query(text: string, values?: unknown[]): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'notification', listener: (notification: Notification) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

interface Notification {
  channel: string;
  payload?: string | undefined;
}

/** The part of a `pg` Pool the channel uses: its options and Client class (pg-pool keeps both), and `query`. */
interface Pool {
  readonly options: object;
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** The PostgreSQL NOTIFY channel name, and the `application_name` of the listening connection. */
export const DEFAULT_NOTIFY_CHANNEL = 'oauth2kit_cache';
export const LISTENER_APPLICATION_NAME = 'oauth2kit-cache-listener';

/** Backoff between reconnection attempts of the listener: doubling from the first to the last. */
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;

/** Options of {@link postgresInvalidationChannel}. */
export interface PostgresInvalidationChannelOptions {
  /** The database to LISTEN and NOTIFY on: the one the provider's storage uses. */
  connectionString: string;
  /** The NOTIFY channel (an unquoted PostgreSQL identifier). Default `oauth2kit_cache`. */
  channel?: string;
}

/** How the channel opens its listening connection and sends a notification. */
interface NotifyTransport {
  /** A new, unconnected client for the listening connection. */
  newClient(): Promise<Client>;
  /** Sends {@link NOTIFY_ALL}; when absent, it goes through the listening connection. */
  notify?: (channel: string, payloads: string[]) => Promise<unknown>;
}

/**
 * A cache-invalidation channel on PostgreSQL LISTEN/NOTIFY, from a connection string: for
 * `OAuthPrismaProvider` (Prisma cannot LISTEN) or any provider on PostgreSQL. One connection of its
 * own, opened by `subscribe`, LISTENs and also sends the notifications. Needs the `pg` package.
 */
export function postgresInvalidationChannel(options: PostgresInvalidationChannelOptions): CacheInvalidationChannel {
  if (typeof options?.connectionString !== 'string' || options.connectionString === '') {
    throw new TypeError('postgresInvalidationChannel({ connectionString }) needs the database URL');
  }
  return notifyChannel(channelName(options.channel), {
    async newClient() {
      const pg = (await import('pg')).default;
      return new pg.Client({ connectionString: options.connectionString, ...LISTENER_OPTIONS });
    },
  });
}

/**
 * The channel of a `pg` pool's database: the listening connection is opened with the pool's own
 * options (and `Client` class), and notifications are sent through the pool.
 */
export function poolInvalidationChannel(pool: Pool, channel?: string): CacheInvalidationChannel {
  const ClientClass = (pool as unknown as { Client: new (config: object) => Client }).Client;
  return notifyChannel(channelName(channel), {
    newClient: async () => new ClientClass({ ...pool.options, ...LISTENER_OPTIONS }),
    notify: (name, payloads) => pool.query(NOTIFY_ALL, [name, payloads]),
  });
}

/**
 * The listening connection's own settings: named, so that operators (and tests) can find it; TCP
 * keep-alive, so that a connection a NAT or firewall silently dropped is noticed and replaced
 * rather than waited on for ever; and a bound on connecting, so that `check()` and `close()` do
 * not wait the operating system's TCP time-out on an unreachable host.
 */
const LISTENER_OPTIONS = { application_name: LISTENER_APPLICATION_NAME, keepAlive: true, keepAliveInitialDelayMillis: 10_000, connectionTimeoutMillis: 5_000 };

function channelName(channel: string | undefined): string {
  const name = channel ?? DEFAULT_NOTIFY_CHANNEL;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new TypeError(`channel must be a lower-case PostgreSQL identifier, not ${JSON.stringify(name)}`);
  return name;
}

/** Several notifications in one statement, delivered in order at its commit. */
const NOTIFY_ALL = 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload';

function notifyChannel(name: string, transport: NotifyTransport): CacheInvalidationChannel {
  let listening: Client | null = null;
  /** Messages published in this turn of the event loop, sent together at its end. */
  let gathering: { payloads: string[]; sent: Promise<void> } | null = null;
  const send = async (payloads: string[]) => {
    if (transport.notify !== undefined) {
      await transport.notify(name, payloads);
      return;
    }
    if (listening === null) throw new Error('the PostgreSQL LISTEN connection is down: nothing to NOTIFY through');
    await listening.query(NOTIFY_ALL, [name, payloads]);
  };
  return {
    // The writes of a busy server's requests (a batch of rotations above all) each publish: one
    // statement per turn instead of one per message spares the database a round trip each.
    publish(message) {
      if (gathering === null) {
        const batch = { payloads: [] as string[], sent: Promise.resolve() };
        batch.sent = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          gathering = null;
          return send(batch.payloads);
        });
        gathering = batch;
      }
      gathering.payloads.push(message);
      return gathering.sent;
    },
    async subscribe(onMessage, events) {
      const listener = new Listener(name, transport, onMessage, events, (client) => (listening = client));
      await listener.connect();
      return () => listener.close();
    },
  };
}

/**
 * One LISTEN connection that reconnects with backoff when it drops (a restart, a failover,
 * `pg_terminate_backend`), telling its subscriber when it goes and comes back.
 */
class Listener {
  #client: Client | null = null;
  #failures = 0;
  #lostReported = false;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly name: string,
    private readonly transport: NotifyTransport,
    private readonly onMessage: (message: string) => void,
    private readonly events: CacheInvalidationChannelEvents,
    private readonly current: (client: Client | null) => void,
  ) {}

  async connect(): Promise<void> {
    let client: Client | undefined;
    let failure: Error | undefined;
    try {
      client = await this.transport.newClient();
      // A dropped connection emits `error` then `end`; the error names the cause, `end` acts on it.
      client.on('error', (error: Error) => {
        failure = error;
      });
      client.on('notification', (notification: Notification) => {
        if (notification.channel === this.name && notification.payload !== undefined) this.onMessage(notification.payload);
      });
      client.on('end', () => {
        if (this.#client !== client) return;
        this.#client = null;
        this.current(null);
        this.#dropped(failure ?? new Error('the PostgreSQL LISTEN connection ended'));
      });
      await client.connect();
      await client.query(`LISTEN ${this.name}`);
    } catch (error) {
      client?.end().catch(() => undefined);
      this.#dropped(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    // Background machinery: the listener alone never keeps the process alive.
    (client as unknown as { connection?: { stream?: { unref?(): void } } }).connection?.stream?.unref?.();
    this.#client = client;
    this.current(client);
    this.#failures = 0;
    if (this.#lostReported) {
      this.#lostReported = false;
      this.events.onRestored();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    this.current(null);
    await client?.end().catch(() => undefined);
  }

  #dropped(error: Error): void {
    if (this.#closed) return;
    if (!this.#lostReported) {
      this.#lostReported = true;
      this.events.onLost(new Error(`PostgreSQL LISTEN ${this.name}: ${error.message}`, { cause: error }));
    }
    const delay = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** this.#failures);
    this.#failures += 1;
    this.#retry = setTimeout(() => void this.connect(), delay);
    this.#retry.unref();
  }
}
