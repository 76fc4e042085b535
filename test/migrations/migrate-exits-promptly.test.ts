/**
 * `migrate()` leaves nothing behind that keeps the process alive: no database socket and no timer
 * of the WASM schema engine, so a release step or `oauth2-kit migrate` exits as soon as the work is
 * done (it used to wait out a ten-second engine timer).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { provisionPostgres, serverGate } from '../support/databases.js';

const SCRIPT = fileURLToPath(new URL('./support/migrate-then-report.ts', import.meta.url));
const postgres = await serverGate('postgres', 'migrations');

postgres.register(test, 'migrate() on PostgreSQL leaves no socket and no timer alive: the process exits when it returns', async (t) => {
  const database = await provisionPostgres({ migrate: false });
  if ('skip' in database) throw new Error(database.skip);
  t.teardown(() => database.close());
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { env: { ...process.env, DATABASE_URL: database.url }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const report = JSON.parse(output.trim()) as { applied: string[]; migrateMs: number; alive: string[] };
  t.log(`migrate() took ${report.migrateMs} ms; the process, start to exit, ${Math.round(performance.now() - started)} ms`);
  t.is(code, 0);
  t.true(report.applied.length >= 2, report.applied.join(', '));
  t.deepEqual(
    report.alive.filter((kind) => kind !== 'PipeWrap'),
    [],
    'nothing but the stdio pipes keeps the process alive once migrate() has returned',
  );
});
