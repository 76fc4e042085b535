/**
 * `oauth2-kit grants list|revoke`: the consent users gave clients (OIDC Core §3.1.2.4), against a
 * fresh PostgreSQL database through the real bin. The consent and tokens are made by a provider
 * on the same database, as the authorization page and the token endpoint make them.
 */
import test from 'ava';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { credentialsOf } from '../../src/core/provider/provider-link.js';
import { digestCredential } from '../../src/core/provider/opaque-credentials.js';
import { OAuthSqlProvider, pgPoolAdapter } from '../../src/providers/sql/index.js';
import { provisionPostgres } from '../support/databases.js';
import { runCli, runCliJson } from './support/run-cli.js';

const database = await provisionPostgres();

if ('skip' in database) {
  console.warn(`[cli/grants] skipped: ${database.skip}`);
  test.skip('cli: grants commands (no PostgreSQL server)', () => {});
} else {
  const db = ['--database-url', database.url];
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  let provider: OAuthSqlProvider;

  test.before(async () => {
    const defined = await runCli([...db, 'scope', 'define', 'openid']);
    if (defined.code !== 0) throw new Error(defined.stderr);
    provider = new OAuthSqlProvider(pgPoolAdapter(pool));
    for (const id of ['notes', 'calendar']) {
      await provider.clients.create({ id, name: id, grants: ['authorization_code'], redirectUris: [`https://${id}.example/callback`], scopes: ['openid'] });
    }
  });
  test.after.always(async () => {
    await pool.end();
    await database.close();
  });

  const consent = (userId: string, clientId: string) => credentialsOf(provider).consentGrants.remember(userId, clientId, ['openid'], []);
  const token = async (userId: string, clientId: string) => {
    const client = (await provider.clients.get(clientId))!;
    const issued = await credentialsOf(provider).issueTokens({ client: { ...client, secretHash: null }, userId, scope: ['openid'], refreshToken: false });
    return issued.accessToken;
  };
  const revoked = async (accessToken: string) => {
    const { rows } = await pool.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM oauth_tokens WHERE access_token_hash = $1', [digestCredential(accessToken)]);
    return rows[0]!.revoked_at !== null;
  };

  test.serial('grants list shows every grant, or a user\'s or a client\'s, in a table and as JSON', async (t) => {
    await consent('list-alice', 'notes');
    await consent('list-alice', 'calendar');
    await consent('list-bob', 'notes');
    const all = await runCli([...db, 'grants', 'list']);
    t.is(all.code, 0, all.stderr);
    t.regex(all.stdout, /^USER +CLIENT +SCOPES +RESOURCES +UPDATED$/m);
    t.regex(all.stdout, /^list-alice +calendar +openid +- +\d{4}-/m);
    const alices = await runCliJson<Array<{ userId: string; clientId: string; scope: string[] }>>([...db, 'grants', 'list', '--user', 'list-alice']);
    t.deepEqual(alices.map((grant) => grant.clientId), ['calendar', 'notes']);
    t.deepEqual(alices[0]!.scope, ['openid']);
    const notes = await runCliJson<Array<{ userId: string }>>([...db, 'grants', 'list', '--client', 'notes', '--user', 'list-bob']);
    t.deepEqual(notes.map((grant) => grant.userId), ['list-bob']);
    const none = await runCli([...db, 'grants', 'list', '--user', 'nobody']);
    t.is(none.stdout, 'No consent grants.\n');
  });

  test.serial('OIDC Core §3.1.2.4 — grants revoke --user --client withdraws that consent, revokes the user\'s tokens at that client and prints what went', async (t) => {
    await consent('carol', 'notes');
    await consent('carol', 'calendar');
    const atNotes = await token('carol', 'notes');
    const atCalendar = await token('carol', 'calendar');
    const run = await runCli([...db, 'grants', 'revoke', '--user', 'carol', '--client', 'notes']);
    t.is(run.code, 0, run.stderr);
    t.is(run.stdout, 'Revoked 1 consent grant(s) of user "carol" to client "notes", and with them 0 authorization code(s) not yet exchanged and 1 token issuance(s).\n');
    t.true(await revoked(atNotes));
    t.false(await revoked(atCalendar));
    t.deepEqual((await provider.grants.list({ userId: 'carol' })).map((grant) => grant.clientId), ['calendar']);
  });

  test.serial('OIDC Core §3.1.2.4 — grants revoke --user without --client withdraws every consent of the user, with its tokens', async (t) => {
    await consent('dave', 'notes');
    await consent('dave', 'calendar');
    const tokens = [await token('dave', 'notes'), await token('dave', 'calendar')];
    const result = await runCliJson<{ userId: string; grants: number; codes: number; tokens: number }>([...db, 'grants', 'revoke', '--user', 'dave']);
    t.deepEqual(result, { userId: 'dave', grants: 2, codes: 0, tokens: 2 });
    for (const accessToken of tokens) t.true(await revoked(accessToken));
  });

  const session = (userId: string, secretHash: string) =>
    pool.query(
      `INSERT INTO oauth_sessions (id, secret_hash, user_id, auth_time, expires_at) VALUES ($1, $2, $3, now(), now() + interval '1 hour')`,
      [randomUUID(), secretHash, userId],
    );
  const sessionsOf = async (userId: string) => (await pool.query('SELECT id FROM oauth_sessions WHERE user_id = $1', [userId])).rowCount;

  test.serial('user delete also deletes the user\'s consent grants and ends their sign-in sessions, and no one else\'s', async (t) => {
    const created = await runCliJson<{ id: string }>([...db, 'user', 'create', '--username', 'erin', '--password-stdin'], { input: 'correct horse battery\n' });
    await consent(created.id, 'notes');
    await consent('someone-else', 'notes');
    await session(created.id, 'a'.repeat(64));
    await session('someone-else', 'b'.repeat(64));
    const deleted = await runCli([...db, 'user', 'delete', '--id', created.id]);
    t.is(deleted.code, 0, deleted.stderr);
    t.deepEqual(await runCliJson([...db, 'grants', 'list', '--user', created.id]), []);
    t.is((await provider.grants.list({ userId: 'someone-else' })).length, 1);
    t.is(await sessionsOf(created.id), 0);
    t.is(await sessionsOf('someone-else'), 1);
  });

  test('grants revoke without --user is a usage error; grants --help names both commands', async (t) => {
    const run = await runCli([...db, 'grants', 'revoke', '--client', 'notes']);
    t.is(run.code, 2);
    t.is(run.stderr, 'oauth2-kit: error: grants revoke needs --user\n');
    const help = await runCli(['grants', '--help']);
    t.regex(help.stdout, /oauth2-kit grants list \[--user ID\] \[--client ID\]/);
    t.regex(help.stdout, /oauth2-kit grants revoke --user ID \[--client ID\]/);
    const overview = await runCli(['--help']);
    t.regex(overview.stdout, /^ {2}grants revoke +withdraw a user's consent/m);
  });
}
