// The schema engine's server mode, as the Prisma CLI drives it: JSON-RPC 2.0, one message per line,
// requests on stdin, responses on stdout, JSON logs on stderr. The engine may itself send the CLI a
// `print` request (the CLI writes `params.content` to its stdout and replies); `diff` uses it.
import { readFile } from 'node:fs/promises';
import readline from 'node:readline';
import { EngineUserError } from './connection-errors.mjs';
import { checkConnection, createDatabase } from './database-lifecycle.mjs';
import { toEngineErrorData } from './engine-errors.mjs';
import { forwardEngineLog } from './native-log.mjs';
import { createPostgresAdapterFactory } from './postgres-adapter-factory.mjs';
import { createSchemaEngine } from './wasm-schema-engine.mjs';

// JSON-RPC methods whose parameters and result are the WASM engine's, unchanged.
const PASSTHROUGH = new Set([
  'applyMigrations',
  'createMigration',
  'dbExecute',
  'devDiagnostic',
  'diagnoseMigrationHistory',
  'ensureConnectionValidity',
  'evaluateDataLoss',
  'introspect',
  'introspectSql',
  'markMigrationApplied',
  'markMigrationRolledBack',
  'reset',
  'schemaPush',
]);

// The WASM engine builds "the schema the migrations produce" on a shadow database only inside
// diagnoseMigrationHistory/devDiagnostic, and caches it under the list of migrations applied to the
// main database at that moment. evaluateDataLoss and createMigration look the cache up under the full
// list and, on a miss, fail with "PostgreSQL shadow DB must be provided through an external factory"
// (they cannot reach the adapter factory). In `migrate dev` that happens whenever a migration was
// pending at diagnosis time (it is applied in between). Diagnosing again, now that everything is
// applied, fills the cache under the full list; the diagnosis result itself is not needed.
const NEEDS_HISTORY_SCHEMA = new Set(['evaluateDataLoss', 'createMigration']);
const CACHE_MISS = /shadow DB must be provided through an external factory/;

/** @param {any} engine @param {string} method @param {any} params */
async function withHistorySchema(engine, method, params) {
  try {
    return await engine[method](params);
  } catch (error) {
    if (!CACHE_MISS.test(String(/** @type {Error} */ (error)?.message))) throw error;
    await engine.diagnoseMigrationHistory({ migrationsList: params.migrationsList, optInToShadowDatabase: true, filters: params.filters });
    return engine[method](params);
  }
}

// The native engine's code for "see error.data".
const USER_FACING_ERROR = 4466;

/**
 * @param {{ datamodelPaths: string[], datasource: { url?: string, shadowDatabaseUrl?: string } | undefined }} options
 * @returns {Promise<number>} the exit code
 */
export async function serveJsonRpc({ datamodelPaths, datasource }) {
  const datamodels = await Promise.all(datamodelPaths.map(async (file) => /** @type {[string, string]} */ ([file, await readFile(file, 'utf8')])));

  /** @type {{ engine: any, factory: { close(): Promise<void> } } | undefined} */
  let session;
  let poisoned = false;

  const openSession = async () => {
    if (session) return session;
    const url = datasource?.url;
    let factory;
    if (url) {
      if (!/^postgres(ql)?:/i.test(url)) {
        throw new EngineUserError(
          'This WASM schema-engine stand-in only drives PostgreSQL (the WASM engine refuses MySQL; use the native engine there).',
          undefined,
        );
      }
      await checkConnection(url);
      factory = await createPostgresAdapterFactory({ url, shadowDatabaseUrl: datasource?.shadowDatabaseUrl });
    } else {
      // Nothing to connect to (e.g. a diff between files): the engine still wants a PostgreSQL
      // connection for its version query, so give it an in-memory PGlite.
      const { PGlite } = await import('@electric-sql/pglite');
      const { createPGliteAdapterFactory } = await import('./pglite-adapter-factory.mjs');
      const pglite = new PGlite();
      const inner = await createPGliteAdapterFactory(pglite);
      factory = { ...inner, close: async () => { await inner.close(); await pglite.close(); } };
    }
    try {
      session = { engine: await createSchemaEngine({ factory, datamodels, onLog: forwardEngineLog }), factory };
    } catch (error) {
      await factory.close();
      throw error;
    }
    return session;
  };

  let outgoingId = 0;
  /** @type {Map<number, (message: any) => void>} */
  const awaitingClient = new Map();
  const send = (/** @type {unknown} */ message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const askClient = (/** @type {string} */ method, /** @type {unknown} */ params) =>
    new Promise((resolve) => {
      // Ids of our requests must not collide with the CLI's, which count up from 1.
      const id = `engine-${++outgoingId}`;
      awaitingClient.set(/** @type {any} */ (id), resolve);
      send({ jsonrpc: '2.0', id, method, params });
    });

  /** @param {string} method @param {any} params */
  const dispatch = async (method, params) => {
    if (method === 'createDatabase') {
      const url = params?.datasource?.tag === 'ConnectionString' ? params.datasource.url : datasource?.url;
      if (!url) throw new EngineUserError('createDatabase needs a connection string.', undefined);
      return { databaseName: await createDatabase(url) };
    }
    const { engine } = await openSession();
    if (method === 'getDatabaseVersion') return engine.version(params ?? null);
    if (method === 'debugPanic') return engine.debugPanic();
    if (method === 'diff') {
      const result = await engine.diff(params);
      if (result.stdout) await askClient('print', { content: result.stdout });
      return { exitCode: result.exitCode, stdout: null };
    }
    if (NEEDS_HISTORY_SCHEMA.has(method)) return withHistorySchema(engine, method, params);
    if (PASSTHROUGH.has(method)) return engine[method](params);
    throw Object.assign(new Error(`Method not found: ${method}`), { rpcCode: -32601 });
  };

  let queue = Promise.resolve();
  const handle = (/** @type {any} */ request) => {
    // The WASM engine is not re-entrant: one call at a time, in arrival order.
    queue = queue.then(async () => {
      if (poisoned) {
        send({ jsonrpc: '2.0', id: request.id, error: { code: USER_FACING_ERROR, message: 'The schema engine panicked earlier.', data: { is_panic: true, message: 'The schema engine panicked earlier.' } } });
        return;
      }
      try {
        const result = await dispatch(request.method, request.params);
        send({ jsonrpc: '2.0', id: request.id, result: result ?? {} });
      } catch (error) {
        if (/** @type {any} */ (error)?.rpcCode) {
          send({ jsonrpc: '2.0', id: request.id, error: { code: /** @type {any} */ (error).rpcCode, message: /** @type {Error} */ (error).message } });
          return;
        }
        const data = toEngineErrorData(error);
        if (data.is_panic) poisoned = true;
        send({ jsonrpc: '2.0', id: request.id, error: { code: USER_FACING_ERROR, message: 'An error happened. Check the data field for details.', data } });
      }
    });
  };

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (message.method === undefined && awaitingClient.has(message.id)) {
      const resolve = awaitingClient.get(message.id);
      awaitingClient.delete(message.id);
      resolve?.(message);
      return;
    }
    handle(message);
  });

  const shutdown = async () => {
    await queue.catch(() => {});
    if (session) {
      const { engine, factory } = session;
      session = undefined;
      try {
        engine.free();
      } catch {
        // a panicked engine cannot be freed; the process ends anyway
      }
      await factory.close();
    }
  };

  return new Promise((resolve) => {
    let stopping = false;
    const stop = (/** @type {number} */ code) => {
      if (stopping) return;
      stopping = true;
      // Temporary shadow databases must be dropped even when the CLI kills us right after its last
      // request (it does, on Linux, as soon as it closes stdin); a hung drop must not keep us alive.
      setTimeout(() => resolve(code), 15_000).unref();
      shutdown().then(() => resolve(code), () => resolve(code));
    };
    lines.on('close', () => stop(poisoned ? 101 : 0));
    process.once('SIGTERM', () => stop(0));
    process.once('SIGINT', () => stop(130));
  });
}
