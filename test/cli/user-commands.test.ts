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
    // Sign-in is checked through the password grant: an explicit opt-in (RFC 9700 §2.4), on both sides.
    endpoint = tokenEndpointOn(database.url, undefined, { allowPasswordGrant: true });
    // Sign-in requests name no scope: they get the client's default scope (RFC 6749 §3.3).
    const defined = await runCli([...db, 'scope', 'define', 'profile']);
    if (defined.code !== 0) throw new Error(defined.stderr);
    const created = await runCliJson<{ clientSecret: string }>([
      ...db, 'client', 'create', '--id', 'app', '--name', 'App', '--grant', 'password', '--grant', 'refresh_token', '--allow-password-grant',
      '--scope', 'profile', '--default-scope', 'profile',
    ]);
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
    await runCli([...db, 'user', 'create', '--username', 'dave', '--password-stdin'], { input: 'password-1' });
    const run = await runCli([...db, 'user', 'create', '--username', 'dave', '--password-stdin'], { input: 'password-2' });
    t.is(run.code, 1);
    t.is(run.stderr, 'oauth2-kit: error: a user named "dave" already exists\n');
  });

  test('user delete removes the user, who can no longer sign in', async (t) => {
    const created = await runCliJson<{ id: string }>([...db, 'user', 'create', '--username', 'erin', '--password-stdin'], { input: 'erin-password' });
    t.is((await signIn('erin', 'erin-password')).status, 200);
    const run = await runCli([...db, 'user', 'delete', created.id]);
    t.is(run.code, 0, run.stderr);
    t.is(run.stdout, `Deleted user "erin" (id ${created.id}) and revoked their tokens.\n`);
    t.is((await signIn('erin', 'erin-password')).status, 400);
    const again = await runCli([...db, 'user', 'delete', created.id]);
    t.is(again.code, 1);
    t.is(again.stderr, `oauth2-kit: error: no user with id or username "${created.id}"\n`);
  });

  test('user delete takes a username too', async (t) => {
    const created = await runCliJson<{ id: string }>([...db, 'user', 'create', '--username', 'frank', '--password-stdin'], { input: 'frank-password' });
    const run = await runCli([...db, 'user', 'delete', 'frank']);
    t.is(run.code, 0, run.stderr);
    t.is(run.stdout, `Deleted user "frank" (id ${created.id}) and revoked their tokens.\n`);
    t.is((await signIn('frank', 'frank-password')).status, 400);
    const byName = await runCli([...db, 'user', 'delete', '--username', 'frank']);
    t.is(byName.code, 1);
    t.is(byName.stderr, 'oauth2-kit: error: no user named "frank"\n');
  });

  test('user create refuses a password shorter than 8 characters, and creates nobody', async (t) => {
    const run = await runCli([...db, 'user', 'create', '--username', 'grace', '--password-stdin'], { input: 'seven77\n' });
    t.is(run.code, 1);
    t.is(run.stdout, '');
    t.is(run.stderr, 'oauth2-kit: error: the password: must be at least 8 characters long\n');
    t.is((await runCli([...db, 'user', 'show', '--username', 'grace'])).code, 1);
  });

  test('user list shows id, username and creation time by username, never a password hash', async (t) => {
    const ids = await Promise.all(
      ['list-zoe', 'list-amy'].map(async (username) =>
        (await runCliJson<{ id: string; createdAt: string }>([...db, 'user', 'create', '--username', username, '--id', `id-${username}`, '--password-stdin'], { input: 'long enough' })),
      ),
    );
    const run = await runCli([...db, 'user', 'list']);
    t.is(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').filter(Boolean);
    t.regex(lines[0]!, /^ID +USERNAME +CREATED$/);
    const mine = lines.filter((line) => line.includes('list-'));
    t.deepEqual(mine.map((line) => line.split(/ +/).slice(0, 2)), [['id-list-amy', 'list-amy'], ['id-list-zoe', 'list-zoe']]);
    t.true(mine.every((line) => /\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(line)));
    t.false(run.stdout.includes('scrypt'));
    const json = await runCliJson<Array<Record<string, unknown>>>([...db, 'user', 'list']);
    const amy = json.find((user) => user.username === 'list-amy');
    t.deepEqual(Object.keys(amy ?? {}).sort(), ['createdAt', 'id', 'updatedAt', 'username']);
    t.is(amy?.createdAt, ids[1]!.createdAt);
  });

  test('user show finds a user by id or by username, never showing the hash', async (t) => {
    const created = await runCliJson<{ id: string; createdAt: string }>([...db, 'user', 'create', '--username', 'heidi', '--password-stdin'], { input: 'heidi-password' });
    const expected = [
      `  id:       ${created.id}`,
      '  username: heidi',
      `  created:  ${created.createdAt}`,
      `  updated:  ${created.createdAt}`,
      '',
    ].join('\n');
    for (const args of [['heidi'], [created.id], ['--id', created.id], ['--username', 'heidi']]) {
      const run = await runCli([...db, 'user', 'show', ...args]);
      t.is(run.code, 0, run.stderr);
      t.is(run.stdout, expected, args.join(' '));
    }
    const missing = await runCli([...db, 'user', 'show', 'nobody-at-all']);
    t.is(missing.code, 1);
    t.is(missing.stderr, 'oauth2-kit: error: no user with id or username "nobody-at-all"\n');
    const both = await runCli([...db, 'user', 'show', 'heidi', '--id', created.id]);
    t.is(both.code, 2);
    t.is(both.stderr, 'oauth2-kit: error: user show takes one of <id-or-username>, --id or --username\n');
  });

  test("an argument that is one user's id and another's username is refused, naming both", async (t) => {
    await runCliJson([...db, 'user', 'create', '--username', 'ivan', '--id', 'judy', '--password-stdin'], { input: 'ivan-password' });
    const judy = await runCliJson<{ id: string }>([...db, 'user', 'create', '--username', 'judy', '--password-stdin'], { input: 'judy-password' });
    const expected =
      `oauth2-kit: error: "judy" is both the id of user "ivan" and the username of the user with id "${judy.id}": ` +
      'say which with --id judy or --username judy\n';
    for (const command of ['show', 'set-password', 'delete']) {
      const run = await runCli([...db, 'user', command, 'judy'], { input: 'a new password' });
      t.is(run.code, 1);
      t.is(run.stderr, expected);
    }
    t.regex((await runCli([...db, 'user', 'show', '--id', 'judy'])).stdout, /username: ivan$/m);
    t.regex((await runCli([...db, 'user', 'show', '--username', 'judy'])).stdout, new RegExp(`id: +${judy.id}$`, 'm'));
    const deleted = await runCli([...db, 'user', 'delete', '--username', 'judy']);
    t.is(deleted.stdout, `Deleted user "judy" (id ${judy.id}) and revoked their tokens.\n`);
    t.is((await signIn('ivan', 'ivan-password')).status, 200, 'the other user is untouched');
  });

  /** A session of the user: its refresh token, which shows whether the session still lives. */
  const sessionOf = async (username: string, password: string) => {
    const response = await signIn(username, password);
    if (response.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(response.body)}`);
    return (response.body as { refresh_token: string }).refresh_token;
  };
  const refreshes = async (refreshToken: string) =>
    (await endpoint.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, client)).status === 200;

  test('user set-password --password-stdin sets the password piped in and revokes the user\'s tokens', async (t) => {
    const created = await runCliJson<{ id: string }>([...db, 'user', 'create', '--username', 'kate', '--password-stdin'], { input: 'kate old password' });
    const session = await sessionOf('kate', 'kate old password');
    const run = await runCli([...db, 'user', 'set-password', 'kate', '--password-stdin'], { input: 'kate new password\n' });
    t.is(run.code, 0, run.stderr);
    t.is(run.stdout, `Set the password of user "kate" (id ${created.id}) and revoked their tokens.\n`);
    t.false(run.stdout.includes('new password'));
    t.is((await signIn('kate', 'kate old password')).status, 400);
    t.is((await signIn('kate', 'kate new password')).status, 200);
    t.false(await refreshes(session), 'the session of the old password is over');
  });

  test('user set-password --keep-tokens keeps the user\'s sessions; --json says what was done', async (t) => {
    const created = await runCliJson<{ id: string }>([...db, 'user', 'create', '--username', 'liam', '--password-stdin'], { input: 'liam old password' });
    const session = await sessionOf('liam', 'liam old password');
    const result = await runCliJson([...db, 'user', 'set-password', '--id', created.id, '--keep-tokens', '--password-stdin'], { input: 'liam new password' });
    t.deepEqual(result, { id: created.id, username: 'liam', passwordSet: true, tokensRevoked: false });
    t.is((await signIn('liam', 'liam new password')).status, 200);
    t.true(await refreshes(session));
  });

  test('user set-password refuses a password shorter than 8 characters, and changes nothing', async (t) => {
    await runCliJson([...db, 'user', 'create', '--username', 'mia', '--password-stdin'], { input: 'mia password' });
    const run = await runCli([...db, 'user', 'set-password', '--username', 'mia', '--password-stdin'], { input: 'seven77\n' });
    t.is(run.code, 1);
    t.is(run.stdout, '');
    t.is(run.stderr, 'oauth2-kit: error: the password: must be at least 8 characters long\n');
    t.is((await signIn('mia', 'mia password')).status, 200);
  });

  test('user set-password names an unknown user before asking for a password', async (t) => {
    const run = await runCli([...db, 'user', 'set-password', 'nobody-at-all']);
    t.is(run.code, 1);
    t.is(run.stderr, 'oauth2-kit: error: no user with id or username "nobody-at-all"\n');
    const none = await runCli([...db, 'user', 'set-password', '--password-stdin'], { input: 'a new password' });
    t.is(none.code, 2);
    t.is(none.stderr, 'oauth2-kit: error: user set-password needs <id-or-username>, --id ID or --username NAME\n');
  });

  test('user set-password --help describes addressing, the password sources and --keep-tokens', async (t) => {
    const run = await runCli(['user', 'set-password', '--help']);
    t.is(run.code, 0, run.stderr);
    t.regex(run.stdout, /^Usage: oauth2-kit user set-password <id-or-username> \| --id ID \| --username NAME \[--password-stdin\] \[--keep-tokens\]$/m);
    for (const option of ['--id ID', '--username NAME', '--password-stdin', '--keep-tokens']) t.true(run.stdout.includes(option), option);
    t.regex((await runCli(['--help'])).stdout, /^ {2}user set-password +set a user's password and revoke their tokens/m);
  });
}
