/** `oauth2-kit tokens purge-expired` against a fresh PostgreSQL database. */
import test from 'ava';
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

  test('tokens purge-expired deletes the expired issuances only and reports how many', async (t) => {
    const created = await runCliJson<{ clientSecret: string }>([...db, 'client', 'create', '--id', 'svc', '--name', 'Service', '--grant', 'client_credentials']);
    const client = { id: 'svc', secret: created.clientSecret };
    // Two days ago, a one-hour token: long expired by now. And one issued now.
    const past = tokenEndpointOn(database.url, () => new Date(Date.now() - 2 * 24 * 3600 * 1000));
    const present = tokenEndpointOn(database.url);
    t.teardown(() => Promise.all([past.close(), present.close()]).then(() => undefined));
    t.is((await past.token({ grant_type: 'client_credentials' }, client)).status, 200);
    t.is((await past.token({ grant_type: 'client_credentials' }, client)).status, 200);
    t.is((await present.token({ grant_type: 'client_credentials' }, client)).status, 200);

    t.deepEqual(await runCliJson([...db, 'tokens', 'purge-expired']), { tokens: 2, codes: 0 });
    const again = await runCli([...db, 'tokens', 'purge-expired']);
    t.is(again.code, 0, again.stderr);
    t.regex(again.stdout, /^Purged 0 expired token/);
  });
}
