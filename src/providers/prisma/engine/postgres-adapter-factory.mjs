// A migration-aware driver adapter factory for PostgreSQL, shaped for the schema engine.
//
// - One connection per database (pool max 1): the engine takes a session-level advisory lock before
//   migrating and releases it at the end; on a larger pool the unlock can land on another connection
//   and the lock would outlive the run.
// - A real, separate shadow database. PrismaPg#connectToShadowDb keeps the connection string's
//   database (it wins over `database` in pg's config), so the engine's shadow work would run in the
//   main database: a diagnostic then applies every migration there without recording them.
// - Whole-script execution and `"char"` catalog columns: see whole-script.mjs and pg-catalog-char.mjs.
import { randomUUID } from 'node:crypto';
import { clientReadingCatalogChar } from './pg-catalog-char.mjs';
import { databaseOf, parsePostgresUrl, quoteIdentifier, withDatabase } from './postgres-url.mjs';
import { executeScriptsWhole } from './whole-script.mjs';

/**
 * @param {{ url?: string, pool?: import('pg').Pool, shadowDatabaseUrl?: string }} target
 *   `url`: a connection string (Prisma's `?schema=` honoured). `pool`: an existing pool; its settings
 *   are reused for one dedicated connection, and the pool itself is left untouched.
 */
export async function createPostgresAdapterFactory(target) {
  const pg = (await import('pg')).default;
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const Client = clientReadingCatalogChar(pg);

  /** @type {Record<string, unknown>} */
  let baseConfig;
  /** @type {string | undefined} */
  let schema;
  let mainUrl;
  if (target.url !== undefined) {
    const parsed = parsePostgresUrl(target.url);
    baseConfig = { connectionString: parsed.connectionString, options: parsed.options };
    schema = parsed.schema;
    mainUrl = parsed.connectionString;
  } else if (target.pool !== undefined) {
    baseConfig = { ...target.pool.options };
    delete baseConfig.max;
  } else {
    throw new TypeError('A PostgreSQL target needs a connection string or a pg Pool.');
  }

  /** @type {Set<{ end(): Promise<void> }>} */
  const openPools = new Set();
  /** @type {Set<string>} */
  const temporaryDatabases = new Set();
  /**
   * Every connection our pools opened. The engine keeps one checked out for its session (the
   * advisory lock) and `free()` does not give it back, so `pool.end()` leaves its socket open and
   * the process alive until an engine timer lets go of it ~10 s later; `close()` ends them itself.
   * @type {Set<{ end(): Promise<void> }>}
   */
  const openClients = new Set();

  const openPool = (/** @type {Record<string, unknown>} */ config) => {
    const pool = new pg.Pool({ ...config, max: 1, Client });
    // An idle connection killed by the server (e.g. DROP DATABASE … WITH (FORCE)) must not crash us.
    pool.on('error', () => {});
    pool.on('connect', (client) => openClients.add(client));
    pool.on('remove', (client) => openClients.delete(client));
    openPools.add(pool);
    return pool;
  };

  const connectTo = async (/** @type {Record<string, unknown>} */ config, /** @type {() => Promise<void>} */ cleanup) => {
    const pool = openPool(config);
    const adapter = await new PrismaPg(pool, { schema }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      openPools.delete(pool);
      await pool.end();
      await cleanup();
    };
    return executeScriptsWhole(adapter, (script) => pool.query(script), (error) => /** @type {any} */ (adapter).onError(error));
  };

  // Administrative statements (CREATE/DROP DATABASE) cannot run in a transaction block; a plain query
  // on the main connection settings is enough.
  const admin = async (/** @type {string} */ sql) => {
    const pool = openPool(baseConfig);
    try {
      await pool.query(sql);
    } finally {
      openPools.delete(pool);
      await pool.end();
    }
  };

  const dropTemporary = async (/** @type {string} */ name) => {
    if (!temporaryDatabases.delete(name)) return;
    await admin(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  };

  return {
    provider: /** @type {const} */ ('postgres'),
    adapterName: '@prisma/adapter-pg',
    connect: () => connectTo(baseConfig, async () => {}),
    async connectToShadowDb() {
      if (target.shadowDatabaseUrl !== undefined) {
        const parsed = parsePostgresUrl(target.shadowDatabaseUrl);
        return connectTo({ connectionString: parsed.connectionString, options: parsed.options }, async () => {});
      }
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await admin(`CREATE DATABASE ${quoteIdentifier(name)}`);
      temporaryDatabases.add(name);
      const config = mainUrl !== undefined ? { ...baseConfig, connectionString: withDatabase(mainUrl, name) } : { ...baseConfig, database: name };
      return connectTo(config, () => dropTemporary(name));
    },
    /** Ends every connection and drops shadow databases the engine did not dispose of. */
    async close() {
      await Promise.allSettled([...openPools].map((pool) => pool.end()));
      openPools.clear();
      await Promise.allSettled([...openClients].map((client) => client.end()));
      openClients.clear();
      for (const name of [...temporaryDatabases]) await dropTemporary(name);
    },
    /** The database name of the main connection (for messages). */
    get database() {
      return mainUrl !== undefined ? databaseOf(mainUrl) : String(baseConfig.database ?? '');
    },
  };
}
