/** `oauth2-kit user …` against a fresh PostgreSQL database; sign-in is checked at the real token endpoint. */
import test from 'ava';
import { provisionPostgres } from '../support/databases.js';
import { runCli, runCliJson } from './support/run-cli.js';
import { tokenEndpointOn, type TokenEndpoint } from './support/token-endpoint.js';

const database = await provisionPostgres();

if ('skip' in database) {
  console.warn(`[cli/user] skipped: ${database.skip}`);
  test.skip('cli: user commands (no PostgreSQL server)', () => {});
} else {
  const db = ['--database-url', database.url];
  let endpoint: TokenEndpoint;
  let client: { id: string; secret: string };

  test.before(async () => {
    endpoint = tokenEndpointOn(database.url);
    const created = await runCliJson<{ clientSecret: string }>([...db, 'client', 'create', '--id', 'app', '--name', 'App', '--grant', 'password']);
    client = { id: 'app', secret: created.clientSecret };
  });
  test.after.always(async () => {
    await endpoint?.close();
    await database.close();
  });

  const signIn = (username: string, password: string) => endpoint.token({ grant_type: 'password', username, password }, client);

  test('user create --password-stdin stores the password piped in, and the user can sign in with it', async (t) => {
    const run = await runCli([...db, 'user', 'create', '--username', 'alice', '--password-stdin'], { input: 'correct horse battery\n' });
    t.is(run.code, 0, run.stderr);
    t.regex(run.stdout, /Created user "alice"/);
    t.false(run.stdout.includes('correct horse'));
    t.is((await signIn('alice', 'correct horse battery')).status, 200);
    t.is((await signIn('alice', 'correct horse battery\n')).status, 400);
  });

  test('user create --password works but warns that the password is visible', async (t) => {
    const run = await runCli([...db, 'user', 'create', '--username', 'bob', '--id', 'bob-id', '--password', 'visible pw', '--json']);
    t.is(run.code, 0, run.stderr);
    t.regex(run.stderr, /^oauth2-kit: warning: --password exposes the password/);
    t.like(JSON.parse(run.stdout), { id: 'bob-id', username: 'bob' });
    t.is((await signIn('bob', 'visible pw')).status, 200);
  });

  test('user create without a password source refuses when stdin is not a terminal', async (t) => {
    const run = await runCli([...db, 'user', 'create', '--username', 'carol']);
    t.is(run.code, 1);
    t.is(run.stderr, 'oauth2-kit: error: no password given: pipe it with --password-stdin (stdin is not a terminal to prompt on)\n');
  });

  test('user create refuses a taken username', async (t) => {
    await runCli([...db, 'user', 'create', '--username', 'dave', '--password-stdin'], { input: 'pw-1' });
    const run = await runCli([...db, 'user', 'create', '--username', 'dave', '--password-stdin'], { input: 'pw-2' });
    t.is(run.code, 1);
    t.is(run.stderr, 'oauth2-kit: error: a user named "dave" already exists\n');
  });

  test('user delete removes the user, who can no longer sign in', async (t) => {
    const created = await runCliJson<{ id: string }>([...db, 'user', 'create', '--username', 'erin', '--password-stdin'], { input: 'erin-pw' });
    t.is((await signIn('erin', 'erin-pw')).status, 200);
    const run = await runCli([...db, 'user', 'delete', created.id]);
    t.is(run.code, 0, run.stderr);
    t.is((await signIn('erin', 'erin-pw')).status, 400);
    t.is((await runCli([...db, 'user', 'delete', created.id])).code, 1);
  });
}
