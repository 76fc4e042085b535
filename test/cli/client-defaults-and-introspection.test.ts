/**
 * `oauth2-kit client create|update|show|list` and the two per-client settings of RFC 6749 §3.3
 * (`--default-scope`) and RFC 7662 §4 (`--introspection`), against a fresh PostgreSQL database,
 * through the real bin.
 */
import test from 'ava';
import { provisionPostgres } from '../support/databases.js';
import { runCli, runCliJson } from './support/run-cli.js';
import { tokenEndpointOn, type TokenEndpoint } from './support/token-endpoint.js';

const database = await provisionPostgres();

interface ClientJson {
  id: string;
  scopes: string[];
  defaultScopes: string[];
  allowIntrospection: boolean;
  [key: string]: unknown;
}

if ('skip' in database) {
  console.warn(`[cli/client-defaults] skipped: ${database.skip}`);
  test.skip('cli: default scopes and the introspection permission (no PostgreSQL server)', () => {});
} else {
  const db = ['--database-url', database.url];
  let endpoint: TokenEndpoint;

  test.before(async () => {
    endpoint = tokenEndpointOn(database.url);
    for (const scope of ['read', 'write', 'admin']) {
      const defined = await runCli([...db, 'scope', 'define', scope]);
      if (defined.code !== 0) throw new Error(defined.stderr);
    }
  });
  test.after.always(async () => {
    await endpoint?.close();
    await database.close();
  });

  const create = (id: string, ...extra: string[]) =>
    runCliJson<{ client: ClientJson; clientSecret: string }>([
      ...db, 'client', 'create', '--id', id, '--name', `Client ${id}`, '--grant', 'client_credentials', ...extra,
    ]);

  test('client create takes --default-scope "a b" and --introspection; show, list and --json give them back', async (t) => {
    const created = await create('rs', '--scope', 'read write admin', '--default-scope', 'read write', '--introspection');
    t.deepEqual(created.client.scopes, ['read', 'write', 'admin']);
    t.deepEqual(created.client.defaultScopes, ['read', 'write']);
    t.true(created.client.allowIntrospection);
    const shown = await runCliJson<ClientJson>([...db, 'client', 'show', 'rs']);
    t.like(shown, { defaultScopes: ['read', 'write'], allowIntrospection: true });
    const human = await runCli([...db, 'client', 'show', 'rs']);
    t.regex(human.stdout, /^ {2}default scopes: +read write$/m);
    t.regex(human.stdout, /^ {2}introspects: +any client's access tokens$/m);
    const list = await runCli([...db, 'client', 'list']);
    t.regex(list.stdout, /^ID +NAME +TYPE +GRANTS +SCOPES +DEFAULT SCOPES +INTROSPECTS +SUBJECT$/m);
    t.regex(list.stdout, /^rs +Client rs +confidential +client_credentials +admin read write +read write +any client +public$/m);
  });

  test('a client created without --default-scope or --introspection has neither, and show says what that means', async (t) => {
    const created = await create('plain', '--scope', 'read');
    t.deepEqual(created.client.defaultScopes, []);
    t.false(created.client.allowIntrospection);
    const human = await runCli([...db, 'client', 'show', 'plain']);
    t.regex(human.stdout, /^ {2}default scopes: +- \(a request without scope is refused\)$/m);
    t.regex(human.stdout, /^ {2}introspects: +its own tokens only$/m);
  });

  test('RFC 6749 §3.3 — a client created with --default-scope gets it for a token request without scope, and one without is refused', async (t) => {
    const withDefault = await create('defaulted', '--scope', 'read', '--scope', 'admin', '--default-scope', 'read');
    const granted = await endpoint.token({ grant_type: 'client_credentials' }, { id: 'defaulted', secret: withDefault.clientSecret });
    t.is(granted.status, 200);
    t.is((granted.body as { scope?: string }).scope, 'read');
    const without = await create('undefaulted', '--scope', 'read admin');
    const refused = await endpoint.token({ grant_type: 'client_credentials' }, { id: 'undefaulted', secret: without.clientSecret });
    t.is(refused.status, 400);
    t.is((refused.body as { error?: string }).error, 'invalid_scope');
  });

  test('client update changes the default scopes and the introspection permission, and nothing else', async (t) => {
    await create('updated', '--scope', 'read write', '--default-scope', 'read');
    const first = await runCliJson<ClientJson>([...db, 'client', 'update', 'updated', '--default-scope', 'write', '--introspection']);
    t.like(first, { scopes: ['read', 'write'], defaultScopes: ['write'], allowIntrospection: true, name: 'Client updated' });
    const second = await runCliJson<ClientJson>([...db, 'client', 'update', 'updated', '--no-introspection']);
    t.like(second, { defaultScopes: ['write'], allowIntrospection: false });
    const cleared = await runCliJson<ClientJson>([...db, 'client', 'update', 'updated', '--default-scope', '']);
    t.deepEqual(cleared.defaultScopes, []);
    const both = await runCli([...db, 'client', 'update', 'updated', '--scope', 'admin', '--default-scope', 'admin', '--name', 'Renamed']);
    t.is(both.code, 0, both.stderr);
    t.regex(both.stdout, /^Updated client "updated"\.$/m);
    t.like(await runCliJson<ClientJson>([...db, 'client', 'show', 'updated']), { name: 'Renamed', scopes: ['admin'], defaultScopes: ['admin'] });
  });

  test('client update refuses --scope that would drop a default scope, naming --scope, and changes nothing', async (t) => {
    await create('kept', '--scope', 'read write', '--default-scope', 'read');
    const run = await runCli([...db, 'client', 'update', 'kept', '--scope', 'write']);
    t.is(run.code, 1);
    t.is(run.stderr, 'oauth2-kit: error: --scope: must keep the default scope "read" (change defaultScopes in the same update)\n');
    t.like(await runCliJson<ClientJson>([...db, 'client', 'show', 'kept']), { scopes: ['read', 'write'], defaultScopes: ['read'] });
  });

  test('client create refuses a --default-scope outside --scope, naming it', async (t) => {
    const run = await runCli([...db, 'client', 'create', '--name', 'x', '--grant', 'client_credentials', '--scope', 'read', '--default-scope', 'admin']);
    t.is(run.code, 1);
    t.is(run.stderr, "oauth2-kit: error: --default-scope #1: must be one of the client's scopes\n");
  });

  test('--introspection with --no-introspection, and client update without a setting, are usage errors', async (t) => {
    const both = await runCli([...db, 'client', 'update', 'rs', '--introspection', '--no-introspection']);
    t.is(both.code, 2);
    t.is(both.stderr, 'oauth2-kit: error: --introspection and --no-introspection contradict each other\n');
    const nothing = await runCli([...db, 'client', 'update', 'rs']);
    t.is(nothing.code, 2);
    t.regex(nothing.stderr, /^oauth2-kit: error: client update needs at least one setting to change/);
  });

  test('client update of an unknown client says so', async (t) => {
    const run = await runCli([...db, 'client', 'update', 'nobody', '--introspection']);
    t.is(run.code, 1);
    t.is(run.stderr, 'oauth2-kit: error: no client with id "nobody"\n');
  });
}
