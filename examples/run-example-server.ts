/**
 * The example servers' process: configuration from the environment, the database, first-run demo
 * data, listening, and graceful shutdown. `prisma-server.ts` and `sql-server.ts` call
 * {@link runExampleServer} with the one thing that differs: how the provider is built.
 *
 * Environment:
 * - `PORT` (default 3000; 0 picks a free port), `HOST` (default: every interface);
 * - `DATABASE_URL`: `postgresql://…`, `mysql://…`/`mariadb://…` (SQL example only) or `pglite:FOLDER`;
 *   default: the embedded PGlite database in `.data/pglite` — the same folder the CLI uses;
 * - `SHUTDOWN_TIMEOUT_MS` (default 10000): how long in-flight requests may take after SIGTERM/SIGINT;
 * - `CSRF_SECRET`: key of the sign-in form's CSRF tokens, at least 32 bytes, the same in every
 *   process behind one address; default: a random key per process;
 * - `ISSUER`: the authorization server's issuer identifier (RFC 8414 §2), an https URL in production;
 *   default `http://localhost:<port>`. Set explicitly, never taken from a request's Host header;
 * - `ALLOW_QUERY_ACCESS_TOKEN=1`: accept `?access_token=` at the demo API (RFC 6750 §2.3
 *   discourages it); off by default;
 * - `OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY`: the key the JWT signing keys are encrypted under at rest, 32
 *   random bytes base64url, the same in every process on one database; default: see `demo-signing-key.ts`;
 * - `CLIENT_METADATA_ALLOW_HOSTS`, `CLIENT_METADATA_CA_FILE`: see `demo-provider-options.ts`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuthStorageCheckError, type OAuthProvider } from 'oauth2-kit';
import { lockDataFolder, type DataFolderLock } from '../src/cli/data-folder-lock.js';
import { describeLocation, resolveDatabaseLocation, type DatabaseLocation } from '../src/cli/database-location.js';
import { describeFailure } from '../src/cli/failure-message.js';
import { preparePrivateDataFolder } from '../src/cli/private-data-folder.js';
import { createExampleApp } from './app.js';
import { ConfigurationError } from './configuration-error.js';
import { demoBanner } from './demo-banner.js';
import type { ExampleProviderSettings } from './demo-provider-options.js';
import { demoResources, registerDemoResources } from './demo-resources.js';
import { demoSigningKey } from './demo-signing-key.js';
import { seedDemo } from './demo-seed.js';
import { installGracefulShutdown } from './graceful-shutdown.js';
import { createJsonLog } from './json-log.js';

// How the CLI reads a mysql:// or mariadb:// URL, for sql-server.ts: of the examples, only this demo
// runner reaches into the CLI, whose database-location rules have no public entry point.
export { mysqlConnectionOptions } from '../src/cli/database-location.js';

/** A provider on an open, migrated database. */
export interface ExampleStore {
  provider: OAuthProvider;
  /** Closes the database; called once, after the last request has ended. */
  close(): Promise<void>;
}

/** What differs between the examples. */
export interface ExampleServerOptions {
  /** Names the process in every log line. */
  service: string;
  /** Opens (and migrates) the database and builds the provider on it, with `exampleProviderOptions(settings)`. */
  openStore(location: DatabaseLocation, settings: ExampleProviderSettings): Promise<ExampleStore>;
}


function integerFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new ConfigurationError(`${name} must be a whole number from 0 to ${max}`);
  return Number(raw);
}

/** The sign-in form's key must be shared by every process behind one address (RFC 6749 §10.12). */
const MIN_CSRF_SECRET_BYTES = 32;

function csrfSecretFromEnv(): string | undefined {
  const secret = process.env.CSRF_SECRET;
  if (secret === undefined) return undefined;
  // Set but short (an empty value included: usually a template variable that was never filled in).
  // The message never quotes the value.
  if (Buffer.byteLength(secret, 'utf8') < MIN_CSRF_SECRET_BYTES) {
    throw new ConfigurationError(
      `CSRF_SECRET must be at least ${MIN_CSRF_SECRET_BYTES} bytes (e.g. the output of: openssl rand -base64 32), or unset for a random key per process`,
    );
  }
  return secret;
}

function listen(server: Server, port: number, host: string | undefined): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the example server; on a startup failure logs one line and exits 1. */
export async function runExampleServer(options: ExampleServerOptions): Promise<void> {
  const log = createJsonLog(options.service);
  let lock: DataFolderLock | undefined;
  let store: ExampleStore | undefined;
  try {
    const port = integerFromEnv('PORT', 3000, 65535);
    const drainTimeoutMs = integerFromEnv('SHUTDOWN_TIMEOUT_MS', 10_000, 600_000);
    const host = process.env.HOST || undefined;
    const csrfSecret = csrfSecretFromEnv();
    const location = resolveDatabaseLocation(undefined);
    log.info('starting', {
      database: describeLocation(location),
      node: process.version,
      // Where the form key comes from (never the key): a per-process key behind a load balancer
      // explains forms refused as expired.
      csrf_secret: csrfSecret === undefined ? 'per_process' : 'environment',
    });
    if (location.kind === 'pglite') {
      // PGlite would let the CLI open the same folder concurrently and corrupt it: hold its lock.
      lock = lockDataFolder(location.folder, `the example server ${options.service}`);
      // Owner-only before PGlite creates it, which would make it readable by every local user.
      const warning = preparePrivateDataFolder(location.folder);
      if (warning !== undefined) log.warn('data_folder_not_private', { reason: warning });
    }
    const signingKey = demoSigningKey(location.kind === 'pglite' ? location.folder : undefined);
    if (signingKey.source === 'per_process') log.warn('signing_key_encryption_key_per_process', { fix: 'set OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY' });

    // Listening before the provider is built: the issuer names the port, and the provider signs
    // its JWT access tokens as that issuer. Nothing answers until the application is attached.
    const server = createServer();
    installGracefulShutdown({
      server,
      log,
      drainTimeoutMs,
      async release() {
        try {
          await store?.close();
        } finally {
          lock?.release();
        }
      },
    });
    const address = await listen(server, port, host);
    const baseUrl = `http://localhost:${address.port}`;
    const issuer = process.env.ISSUER || baseUrl;

    store = await options.openStore(location, { issuer, signingKeyEncryptionKey: signingKey.encryptionKey });
    const opened = store;
    // One read through every storage call the server makes, so that a broken database stops the
    // start with its cause instead of a server answering 503 to everything.
    await opened.provider.check();
    const allowQueryAccessToken = process.env.ALLOW_QUERY_ACCESS_TOKEN === '1';
    const resources = demoResources(issuer);
    await registerDemoResources(opened.provider, resources);
    server.on('request', createExampleApp({ provider: opened.provider, log, csrfSecret, issuer, allowQueryAccessToken, resources }).callback());
    const demo = await seedDemo(opened.provider, baseUrl);
    log.info('server_started', {
      url: baseUrl,
      port: address.port,
      database: describeLocation(location),
      first_run: demo !== null,
      mcp_url: resources.mcp.resource,
      // Where the key of the JWT signing keys comes from (never the key).
      signing_key_encryption_key: signingKey.source,
    });
    if (demo !== null) process.stderr.write(demoBanner(demo, baseUrl, 'npm run cli --', resources.mcp.resource));
  } catch (error) {
    log.error('startup_failed', { reason: error instanceof ConfigurationError || error instanceof OAuthStorageCheckError ? error.message : describeFailure(error).message });
    await store?.close().catch(() => {});
    lock?.release();
    process.exit(1);
  }
}
