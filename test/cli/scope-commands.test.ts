/** `oauth2-kit scope …` against a fresh PostgreSQL database. */
import test from 'ava';
import { provisionPostgres } from '../support/databases.js';
import { runCli, runCliJson } from './support/run-cli.js';

const database = await provisionPostgres();

if ('skip' in database) {
  console.warn(`[cli/scope] skipped: ${database.skip}`);
  test.skip('cli: scope commands (no PostgreSQL server)', () => {});
} else {
  const db = ['--database-url', database.url];
  test.after.always(() => database.close());

  test('scope define adds a scope with its description, and defining it again updates the description', async (t) => {
    t.is((await runCli([...db, 'scope', 'define', 'profile', '--description', 'Read your profile'])).code, 0);
    t.is((await runCli([...db, 'scope', 'define', 'profile', '--description', 'Your profile'])).code, 0);
    const scopes = await runCliJson<Array<{ name: string; description: string | null }>>([...db, 'scope', 'list']);
    t.deepEqual(scopes.filter((s) => s.name === 'profile').map((s) => s.description), ['Your profile']);
    const human = await runCli([...db, 'scope', 'list']);
    t.regex(human.stdout, /^profile\s+Your profile$/m);
  });

  test('scope delete removes the scope from the catalogue and from every client', async (t) => {
    await runCli([...db, 'scope', 'define', 'temporary']);
    const client = await runCli([...db, 'client', 'create', '--id', 'uses-temporary', '--name', 'T', '--grant', 'client_credentials', '--scope', 'temporary']);
    t.is(client.code, 0, client.stderr);
    const deleted = await runCli([...db, 'scope', 'delete', 'temporary']);
    t.is(deleted.code, 0, deleted.stderr);
    const scopes = await runCliJson<Array<{ name: string }>>([...db, 'scope', 'list']);
    t.false(scopes.some((s) => s.name === 'temporary'));
    const shown = await runCliJson<{ scopes: string[] }>([...db, 'client', 'show', 'uses-temporary']);
    t.deepEqual(shown.scopes, []);
  });

  test('scope delete of an unknown scope fails with exit status 1', async (t) => {
    const run = await runCli([...db, 'scope', 'delete', 'never-defined']);
    t.is(run.code, 1);
    t.is(run.stderr, 'oauth2-kit: error: no scope named "never-defined"\n');
  });
}
