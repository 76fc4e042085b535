// Checking, creating and dropping the database a URL names, with plain pg connections (the WASM
// engine cannot create databases). Used by the stand-in's one-shot `cli` commands and its
// `createDatabase` method.
import { describeConnectionError } from './connection-errors.mjs';
import { databaseOf, parsePostgresUrl, quoteIdentifier, withDatabase } from './postgres-url.mjs';

/** @param {string} url */
async function withClient(url, /** @type {(client: import('pg').Client) => Promise<unknown>} */ work) {
  const pg = (await import('pg')).default;
  const { connectionString, options } = parsePostgresUrl(url);
  const client = new pg.Client({ connectionString, options });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw describeConnectionError(error, url);
  }
  try {
    return await work(client);
  } catch (error) {
    throw describeConnectionError(error, url);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Resolves when the database accepts a connection; throws an EngineUserError otherwise. */
export async function checkConnection(/** @type {string} */ url) {
  await withClient(url, (client) => client.query('SELECT 1'));
}

// Like the native engine, administrative statements go through the `postgres` maintenance database,
// then `template1` where `postgres` does not exist.
async function onMaintenanceDatabase(/** @type {string} */ url, /** @type {(client: import('pg').Client) => Promise<unknown>} */ work) {
  try {
    return await withClient(withDatabase(url, 'postgres'), work);
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code !== 'P1003') throw error;
    return withClient(withDatabase(url, 'template1'), work);
  }
}

/** Creates the database the URL names; returns its name. */
export async function createDatabase(/** @type {string} */ url) {
  const name = databaseOf(url);
  try {
    await onMaintenanceDatabase(url, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  } catch (error) {
    // Re-describe against the target URL so that "already exists" names the right database.
    throw /** @type {{ code?: string }} */ (error).code === 'P1009' ? describeConnectionError({ code: '42P04' }, url) : error;
  }
  return name;
}

/** Drops the database the URL names. */
export async function dropDatabase(/** @type {string} */ url) {
  const name = databaseOf(url);
  await onMaintenanceDatabase(url, (client) => client.query(`DROP DATABASE ${quoteIdentifier(name)}`));
}
