/**
 * The purge as an operator runs it — `provider.purgeExpired()` from its own process (a cron job, the
 * CLI) — while the server under test keeps validating tokens. Reports its duration over IPC.
 *
 * Environment: `BENCH_DATABASE_URL`; `BENCH_PURGE_BATCH` (rows per statement, default 1000).
 */
import pg from 'pg';
import { OAuthSqlProvider, pgPoolAdapter } from '../src/providers/sql/index.js';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is not set');
const batchSize = Number(process.env.BENCH_PURGE_BATCH ?? '1000');
const pool = new pg.Pool({ connectionString: url, max: 1 });
try {
  const provider = new OAuthSqlProvider(pgPoolAdapter(pool));
  const started = performance.now();
  const purged = await provider.purgeExpired({ batchSize });
  process.send?.({ type: 'purged', tokens: purged.tokens, codes: purged.codes, seconds: (performance.now() - started) / 1000 });
} finally {
  await pool.end();
}
