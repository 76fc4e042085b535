/** `oauth2-kit resource …`: the protected resources of RFC 8707, against a fresh PostgreSQL database, through the real bin. */
import test from 'ava';
import { provisionPostgres } from '../support/databases.js';
import { runCli, runCliJson } from './support/run-cli.js';

const database = await provisionPostgres();
/** A second database that no test defines a resource in. */
const empty = await provisionPostgres();

interface ResourceJson {
  id: string;
  name: string;
  scopes: string[];
  accessTokenLifetime: number | null;
  tokenFormat: 'opaque' | 'jwt';
  createdAt: string;
  updatedAt: string;
}

if ('skip' in database || 'skip' in empty) {
  console.warn(`[cli/resource] skipped: ${'skip' in database ? database.skip : 'skip' in empty ? empty.skip : ''}`);
  test.skip('cli: resource commands (no PostgreSQL server)', () => {});
} else {
  const db = ['--database-url', database.url];

  test.before(async () => {
    for (const scope of ['read', 'write', 'admin']) {
      const defined = await runCli([...db, 'scope', 'define', scope]);
      if (defined.code !== 0) throw new Error(defined.stderr);
    }
  });
  test.after.always(async () => {
    await database.close();
    await empty.close();
  });

  test('resource define takes --scope "a b", repeated --scope and --access-token-lifetime; show, list and --json give them back', async (t) => {
    const uri = 'https://api.example/mcp';
    const defined = await runCliJson<ResourceJson>([
      ...db, 'resource', 'define', uri, '--name', 'MCP server', '--scope', 'read write', '--scope', 'admin', '--access-token-lifetime', '600',
    ]);
    t.like(defined, { id: uri, name: 'MCP server', scopes: ['read', 'write', 'admin'], accessTokenLifetime: 600 });
    t.deepEqual(await runCliJson<ResourceJson>([...db, 'resource', 'show', uri]), defined);
    t.deepEqual((await runCliJson<ResourceJson[]>([...db, 'resource', 'list'])).find((r) => r.id === uri), defined);
    const shown = await runCli([...db, 'resource', 'show', uri]);
    t.regex(shown.stdout, /^ {2}resource: +https:\/\/api\.example\/mcp$/m);
    t.regex(shown.stdout, /^ {2}scopes: +read write admin$/m);
    t.regex(shown.stdout, /^ {2}access token lifetime: +at most 600 s$/m);
    const list = await runCli([...db, 'resource', 'list']);
    t.regex(list.stdout, /^RESOURCE +NAME +SCOPES +ACCESS TOKEN LIFETIME +TOKEN FORMAT$/m);
    t.regex(list.stdout, /^https:\/\/api\.example\/mcp +MCP server +read write admin +600 s +opaque$/m);
    t.regex(shown.stdout, /^ {2}token format: +opaque$/m);
  });

  test('RFC 9068 — resource define --token-format jwt makes its access tokens JWTs; show, list and --json say so, and a later define without it makes them opaque again', async (t) => {
    const uri = 'https://jwt.example/mcp';
    const defined = await runCliJson<ResourceJson>([...db, 'resource', 'define', uri, '--name', 'JWT API', '--token-format', 'jwt']);
    t.is(defined.tokenFormat, 'jwt');
    t.regex((await runCli([...db, 'resource', 'show', uri])).stdout, /^ {2}token format: +jwt \(RFC 9068 JWT access tokens, verified with the published keys\)$/m);
    t.regex((await runCli([...db, 'resource', 'list'])).stdout, /^https:\/\/jwt\.example\/mcp +JWT API +any +- +jwt$/m);
    t.is((await runCliJson<ResourceJson>([...db, 'resource', 'define', uri, '--name', 'JWT API'])).tokenFormat, 'opaque');
    const refused = await runCli([...db, 'resource', 'define', uri, '--name', 'JWT API', '--token-format', 'JWT']);
    t.is(refused.code, 2);
    t.is(refused.stderr, 'oauth2-kit: error: --token-format must be opaque or jwt, got "JWT"\n');
  });

  test('resource define of a defined resource replaces every setting and keeps its creation time', async (t) => {
    const uri = 'https://replaced.example/';
    const first = await runCliJson<ResourceJson>([...db, 'resource', 'define', uri, '--name', 'Before', '--scope', 'read', '--access-token-lifetime', '60']);
    const second = await runCliJson<ResourceJson>([...db, 'resource', 'define', uri, '--name', 'After']);
    t.like(second, { id: uri, name: 'After', scopes: [], accessTokenLifetime: null, createdAt: first.createdAt });
    const shown = await runCli([...db, 'resource', 'show', uri]);
    t.regex(shown.stdout, /^ {2}scopes: +any \(the client decides\)$/m);
    t.regex(shown.stdout, /^ {2}access token lifetime: +none of its own \(the client's applies\)$/m);
  });

  test('RFC 8707 §2 — resource define refuses an identifier that is not an absolute URI without fragment, naming <uri>', async (t) => {
    for (const uri of ['/relative', 'https://api.example/#fragment', 'not a uri']) {
      const run = await runCli([...db, 'resource', 'define', uri, '--name', 'Bad']);
      t.is(run.code, 1, uri);
      t.is(run.stderr, 'oauth2-kit: error: <uri>: must be an absolute URI without fragment (RFC 8707 §2), of at most 512 characters\n', uri);
    }
    t.false((await runCliJson<ResourceJson[]>([...db, 'resource', 'list'])).some((r) => r.name === 'Bad'));
  });

  test('resource define refuses an undefined scope, saying how to define it, and a lifetime beyond a day, naming the option', async (t) => {
    const scope = await runCli([...db, 'resource', 'define', 'https://scoped.example/', '--name', 'S', '--scope', 'read nowhere']);
    t.is(scope.code, 1);
    t.is(scope.stderr, 'oauth2-kit: error: unknown scope: nowhere (define it first: oauth2-kit scope define nowhere)\n');
    const long = await runCli([...db, 'resource', 'define', 'https://scoped.example/', '--name', 'S', '--access-token-lifetime', '86401']);
    t.is(long.code, 1);
    t.is(long.stderr, 'oauth2-kit: error: --access-token-lifetime: must be a whole number of seconds between 1 and 86400\n');
    const badScope = await runCli([...db, 'resource', 'define', 'https://scoped.example/', '--name', 'S', '--scope', 'read', '--scope', 'b"ad']);
    t.is(badScope.stderr, 'oauth2-kit: error: --scope #2: must be a scope-token (RFC 6749 §3.3)\n');
    t.is((await runCli([...db, 'resource', 'show', 'https://scoped.example/'])).code, 1);
  });

  test('resource define without --name or <uri> is a usage error (exit status 2)', async (t) => {
    const noName = await runCli([...db, 'resource', 'define', 'https://api.example/']);
    t.is(noName.code, 2);
    t.is(noName.stderr, 'oauth2-kit: error: resource define needs --name\n');
    const noUri = await runCli([...db, 'resource', 'define', '--name', 'X']);
    t.is(noUri.code, 2);
    t.is(noUri.stderr, 'oauth2-kit: error: resource define needs <uri>\n');
  });

  test('resource delete removes the resource; deleting or showing an unknown one fails with exit status 1', async (t) => {
    const uri = 'urn:example:deleted';
    t.is((await runCli([...db, 'resource', 'define', uri, '--name', 'Soon gone'])).code, 0);
    const deleted = await runCli([...db, 'resource', 'delete', uri]);
    t.is(deleted.code, 0, deleted.stderr);
    t.regex(deleted.stdout, /^Deleted resource "urn:example:deleted"\./);
    for (const command of ['delete', 'show']) {
      const run = await runCli([...db, 'resource', command, uri]);
      t.is(run.code, 1, command);
      t.is(run.stderr, 'oauth2-kit: error: no resource "urn:example:deleted"\n', command);
    }
  });

  test('resource list on a database without resources says how to define one', async (t) => {
    const run = await runCli(['--database-url', empty.url, 'resource', 'list']);
    t.is(run.code, 0, run.stderr);
    t.is(run.stdout, 'No resources. Register one with "oauth2-kit resource define <uri> --name NAME".\n');
  });

  test('resource --help lists define, list, show and delete; the CLI help lists them too', async (t) => {
    const group = await runCli(['resource', '--help']);
    t.is(group.code, 0, group.stderr);
    for (const usage of ['resource define <uri> --name NAME [options]', 'resource list', 'resource show <uri>', 'resource delete <uri>']) {
      t.true(group.stdout.includes(`oauth2-kit ${usage}\n`), usage);
    }
    const define = await runCli(['resource', 'define', '--help']);
    t.regex(define.stdout.replace(/\s+/g, ' '), /an absolute URI without fragment, at most 512 characters \(RFC 8707 §2\)/);
    t.regex((await runCli(['--help'])).stdout, /^ {2}resource define +register a resource tokens may be asked for \(RFC 8707\)/m);
  });
}
