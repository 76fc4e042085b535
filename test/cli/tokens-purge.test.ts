/** `oauth2-kit tokens purge-expired` against a fresh PostgreSQL database. */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { provisionPostgres } from '../support/databases.js';
import { runCli, runCliJson } from './support/run-cli.js';
import { tokenEndpointOn } from './support/token-endpoint.js';

const database = await provisionPostgres();

if ('skip' in database) {
  console.warn(`[cli/tokens] skipped: ${database.skip}`);
  test.skip('cli: tokens purge-expired (no PostgreSQL server)', () => {});
} else {
  const db = ['--database-url', database.url];
  test.after.always(() => database.close());

  test('tokens purge-expired deletes the expired issuances and failed-attempt counters only and reports how many', async (t) => {
    await runCliJson([...db, 'scope', 'define', 'api']);
    const created = await runCliJson<{ clientSecret: string }>([
      ...db, 'client', 'create', '--id', 'svc', '--name', 'Service', '--grant', 'client_credentials', '--scope', 'api',
    ]);
    const client = { id: 'svc', secret: created.clientSecret };
    // Two days ago, a one-hour token: long expired by now. And one issued now.
    const past = tokenEndpointOn(database.url, () => new Date(Date.now() - 2 * 24 * 3600 * 1000));
    const present = tokenEndpointOn(database.url);
    t.teardown(() => Promise.all([past.close(), present.close()]).then(() => undefined));
    t.is((await past.token({ grant_type: 'client_credentials', scope: 'api' }, client)).status, 200);
    t.is((await past.token({ grant_type: 'client_credentials', scope: 'api' }, client)).status, 200);
    t.is((await present.token({ grant_type: 'client_credentials', scope: 'api' }, client)).status, 200);

    // Two counters whose window ended yesterday, and one open for another hour.
    const counters = new pg.Client({ connectionString: database.url });
    await counters.connect();
    const day = 24 * 3600 * 1000;
    const live = randomBytes(32).toString('hex');
    try {
      for (const [key, expiresAt] of [
        [randomBytes(32).toString('hex'), new Date(Date.now() - day)],
        [randomBytes(32).toString('hex'), new Date(Date.now() - day)],
        [live, new Date(Date.now() + 3600 * 1000)],
      ] as const) {
        await counters.query('INSERT INTO oauth_attempt_counters (key, points, expires_at) VALUES ($1, 1, $2)', [key, expiresAt.toISOString()]);
      }

      t.deepEqual(await runCliJson([...db, 'tokens', 'purge-expired']), { tokens: 2, codes: 0, attemptCounters: 2, signingKeys: 0, sessions: 0 });
      const left = await counters.query('SELECT key FROM oauth_attempt_counters');
      t.deepEqual(left.rows.map((row: { key: string }) => row.key), [live]);
    } finally {
      await counters.end();
    }
    const again = await runCli([...db, 'tokens', 'purge-expired']);
    t.is(again.code, 0, again.stderr);
    t.regex(again.stdout, /^Purged 0 expired token issuance\(s\), 0 expired authorization code\(s\) and 0 expired failed-attempt counter\(s\)/);
  });

  // Serial: it runs before the test above, whose counts its purge would otherwise change.
  test.serial('tokens purge-expired --unused-clients-after-days deletes the self-registered clients unused for that long, and only those', async (t) => {
    const day = 24 * 3600 * 1000;
    // Operators cannot take the dcr_ prefix: the clients are made self-registered by their registration rows alone.
    const ids = { stale: `self-stale${randomBytes(8).toString('hex')}`, fresh: `self-fresh${randomBytes(8).toString('hex')}`, operator: `op-${randomBytes(8).toString('hex')}` };
    for (const id of Object.values(ids)) {
      await runCliJson([...db, 'client', 'create', '--id', id, '--name', id, '--grant', 'client_credentials']);
    }
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    try {
      const registration = 'INSERT INTO oauth_client_registrations (client_id, kind, metadata, last_used_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)';
      await sql.query(registration, [ids.stale, 'dynamic', '{}', new Date(Date.now() - 40 * day), new Date(Date.now() - 60 * day)]);
      await sql.query(registration, [ids.fresh, 'dynamic', '{}', new Date(Date.now() - 2 * day), new Date(Date.now() - 60 * day)]);
      const purged = await runCliJson<{ unusedClients: number }>([...db, 'tokens', 'purge-expired', '--unused-clients-after-days', '30']);
      t.is(purged.unusedClients, 1);
      const left = await sql.query('SELECT id FROM oauth_clients WHERE id = ANY($1) ORDER BY id', [Object.values(ids)]);
      t.deepEqual(left.rows.map((row: { id: string }) => row.id).sort(), [ids.fresh, ids.operator].sort());
    } finally {
      await sql.end();
    }
    const refused = await runCli([...db, 'tokens', 'purge-expired', '--unused-clients-after-days', 'soon']);
    t.not(refused.code, 0);
    t.regex(refused.stderr, /--unused-clients-after-days must be a positive whole number of days/);
  });
}
