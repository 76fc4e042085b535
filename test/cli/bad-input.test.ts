/**
 * Whatever is wrong with a command line, the CLI answers with one line on stderr, a non-zero exit
 * status and no stack trace.
 */
import test from 'ava';
import { provisionPostgres } from '../support/databases.js';
import { hasStackTrace, runCli } from './support/run-cli.js';

const database = await provisionPostgres();
const empty = await provisionPostgres({ migrate: false });

async function assertOneLineFailure(t: import('ava').ExecutionContext, args: string[], expected: RegExp, code = 1) {
  const run = await runCli(args);
  t.is(run.code, code, `exit status of oauth2-kit ${args.join(' ')}`);
  t.is(run.stdout, '');
  t.false(hasStackTrace(run.stderr), run.stderr);
  const lines = run.stderr.split('\n').filter(Boolean);
  t.is(lines.length, 1, run.stderr);
  t.regex(lines[0]!, expected);
}

// Command-line mistakes: found before any database is opened, exit status 2.
test('an unknown flag is refused by name', (t) =>
  assertOneLineFailure(t, ['client', 'list', '--verbose'], /^oauth2-kit: error: unknown option '--verbose'$/, 2));

test('an unknown command is refused by name', (t) =>
  assertOneLineFailure(t, ['clients', 'list'], /^oauth2-kit: error: unknown command "clients"/, 2));

test('an unknown subcommand is refused by name', (t) =>
  assertOneLineFailure(t, ['client', 'rename', 'x'], /^oauth2-kit: error: unknown command "client rename"/, 2));

test('a flag that needs a value and has none is refused', (t) =>
  assertOneLineFailure(t, ['client', 'create', '--name'], /^oauth2-kit: error: option '--name <value>' argument missing$/, 2));

test('a missing required argument is named', (t) =>
  assertOneLineFailure(t, ['--database-url', 'pglite:/nonexistent/never', 'client', 'show'], /^oauth2-kit: error: client show needs <id>$/, 2));

test('a lifetime that is not a number of seconds is refused', (t) =>
  assertOneLineFailure(
    t,
    ['client', 'create', '--name', 'x', '--grant', 'client_credentials', '--access-token-lifetime', '1h'],
    /^oauth2-kit: error: --access-token-lifetime must be a positive whole number of seconds/,
    2,
  ));

test('a malformed database URL is refused without echoing it', async (t) => {
  await assertOneLineFailure(t, ['--database-url', 'postgresql://user:hunter2@[::1', 'client', 'list'], /^oauth2-kit: error: malformed postgresql: database URL$/, 2);
  await assertOneLineFailure(t, ['--database-url', 'redis://localhost/0', 'client', 'list'], /unsupported database URL scheme "redis:"/, 2);
});

test('an unreachable database is reported with its address but never its password', async (t) => {
  const run = await runCli(['--database-url', 'postgresql://postgres:hunter2@127.0.0.1:1/x', 'client', 'list']);
  t.is(run.code, 1);
  t.regex(run.stderr, /^oauth2-kit: error: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/x: .*ECONNREFUSED/);
  t.false(run.stderr.includes('hunter2'));
  t.false(hasStackTrace(run.stderr));
});

test('an embedded data folder that holds no database is explained, not created', async (t) => {
  const folder = `/tmp/oauth2-kit-no-such-folder-${process.pid}`;
  await assertOneLineFailure(t, ['--database-url', `pglite:${folder}`, 'client', 'list'], /no embedded database at .*run "oauth2-kit migrate"/);
  const { existsSync } = await import('node:fs');
  t.false(existsSync(folder));
});

if ('skip' in database || 'skip' in empty) {
  console.warn(`[cli/bad-input] database cases skipped: ${'skip' in database ? database.skip : ''}`);
  test.skip('cli: bad input against a database (no PostgreSQL server)', () => {});
} else {
  const db = ['--database-url', database.url];
  test.after.always(() => Promise.all([database.close(), empty.close()]).then(() => undefined));

  test('a duplicate client id is refused by id', async (t) => {
    const first = await runCli([...db, 'client', 'create', '--id', 'taken', '--name', 'A', '--grant', 'client_credentials']);
    t.is(first.code, 0, first.stderr);
    await assertOneLineFailure(t, [...db, 'client', 'create', '--id', 'taken', '--name', 'B', '--grant', 'client_credentials'], /^oauth2-kit: error: a client with id "taken" already exists$/);
  });

  test('a scope missing from the catalogue is named, with how to define it', (t) =>
    assertOneLineFailure(
      t,
      [...db, 'client', 'create', '--name', 'A', '--grant', 'client_credentials', '--scope', 'undefined-scope'],
      /^oauth2-kit: error: unknown scope: undefined-scope \(define it first: oauth2-kit scope define undefined-scope\)$/,
    ));

  test('an invalid client setting is reported with the option that carries it', (t) =>
    assertOneLineFailure(
      t,
      [...db, 'client', 'create', '--name', 'A', '--grant', 'client_credentials', '--redirect-uri', 'https://ok.example/cb', '--redirect-uri', 'javascript:alert(1)'],
      /^oauth2-kit: error: --redirect-uri #2: must be an absolute URI/,
    ));

  test('a client id with the dcr_ prefix, reserved for self-registered clients, is refused naming --id and why', (t) =>
    assertOneLineFailure(
      t,
      [...db, 'client', 'create', '--id', 'dcr_billing', '--name', 'A', '--grant', 'client_credentials'],
      /^oauth2-kit: error: --id: must not begin with "dcr_", which is reserved for clients that register themselves \(RFC 7591\)$/,
    ));

  test('an unknown grant type is reported with the accepted ones', (t) =>
    assertOneLineFailure(t, [...db, 'client', 'create', '--name', 'A', '--grant', 'implicit'], /^oauth2-kit: error: --grant #1: must be one of authorization_code, client_credentials, password, refresh_token$/));

  test('a database without the tables asks for migrate', (t) =>
    assertOneLineFailure(t, ['--database-url', empty.url, 'client', 'list'], /^oauth2-kit: error: the database has no oauth2-kit tables yet: run "oauth2-kit migrate" first$/));
}
