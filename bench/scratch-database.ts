/**
 * Scratch databases for the benchmark: created on the PostgreSQL server, migrated with the committed
 * migrations (the SQL `prisma migrate deploy` runs), and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';

/** The server the benchmark runs against; `BENCH_POSTGRES_URL` overrides the local default. */
export const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const migrationsDir = new URL('../prisma/migrations/', import.meta.url);

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function migrationScripts(): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(folders.map((folder) => readFile(new URL(`${folder}/migration.sql`, migrationsDir), 'utf8')));
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database named `oauth2kit_bench_<label>_<random>`. */
export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `oauth2kit_bench_${label}_${randomBytes(4).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(serverUrl, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const script of await migrationScripts()) await client.query(script);
  } finally {
    await client.end();
  }
  return {
    name,
    url,
    drop: () => onServer((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
