/** `oauth2-kit client …` against a fresh PostgreSQL database, through the real bin. */
import test from 'ava';
import { provisionPostgres } from '../support/databases.js';
import { runCli, runCliJson } from './support/run-cli.js';
import { tokenEndpointOn, type TokenEndpoint } from './support/token-endpoint.js';

const database = await provisionPostgres();

interface CreatedJson {
  client: { id: string; name: string; confidential: boolean; grants: string[]; scopes: string[]; [key: string]: unknown };
  clientSecret: string | null;
}

if ('skip' in database) {
  console.warn(`[cli/client] skipped: ${database.skip}`);
  test.skip('cli: client commands (no PostgreSQL server)', () => {});
} else {
  const db = ['--database-url', database.url];
  let endpoint: TokenEndpoint;

  test.before(async () => {
    endpoint = tokenEndpointOn(database.url);
    for (const scope of ['read', 'write']) {
      const defined = await runCli([...db, 'scope', 'define', scope]);
      if (defined.code !== 0) throw new Error(defined.stderr);
    }
  });
  test.after.always(async () => {
    await endpoint?.close();
    await database.close();
  });

  const createClient = (id: string, ...extra: string[]) =>
    runCliJson<CreatedJson>([...db, 'client', 'create', '--id', id, '--name', `Client ${id}`, '--grant', 'client_credentials', '--scope', 'read', ...extra]);

  const clientCredentials = (id: string, secret: string) =>
    endpoint.token({ grant_type: 'client_credentials', scope: 'read' }, { id, secret });

  test('client create prints the generated secret once with a warning that it cannot be shown again', async (t) => {
    const run = await runCli([...db, 'client', 'create', '--id', 'human-output', '--name', 'Human', '--grant', 'client_credentials', '--scope', 'read']);
    t.is(run.code, 0, run.stderr);
    const secret = /^Client secret: (\S+)$/m.exec(run.stdout)?.[1];
    t.truthy(secret);
    t.is(run.stdout.split(secret!).length - 1, 1, 'the secret appears exactly once');
    t.regex(run.stdout, /cannot be shown again/);
    t.is((await clientCredentials('human-output', secret!)).status, 200);
  });

  test('client create --json is parseable and its secret authenticates the client at the token endpoint', async (t) => {
    const created = await createClient('json-output');
    t.is(created.client.id, 'json-output');
    t.true(created.client.confidential);
    t.regex(created.clientSecret!, /^[A-Za-z0-9_-]{43,}$/);
    const response = await clientCredentials('json-output', created.clientSecret!);
    t.is(response.status, 200);
    t.is(typeof (response.body as { access_token?: unknown }).access_token, 'string');
  });

  test('client create takes every setting a client has', async (t) => {
    const created = await runCliJson<CreatedJson>([
      ...db, 'client', 'create', '--id', 'full', '--name', 'Full settings',
      '--grant', 'authorization_code', '--grant', 'refresh_token',
      '--redirect-uri', 'https://app.example/cb', '--redirect-uri', 'http://localhost:8080/cb',
      '--scope', 'read', '--scope', 'write',
      '--access-token-lifetime', '600', '--refresh-token-lifetime', '7200', '--authorization-code-lifetime', '120',
      '--no-require-pkce', '--allow-plain-pkce',
    ]);
    const shown = await runCliJson<Record<string, unknown>>([...db, 'client', 'show', 'full']);
    for (const client of [created.client, shown]) {
      t.like(client, {
        id: 'full',
        name: 'Full settings',
        confidential: true,
        grants: ['authorization_code', 'refresh_token'],
        redirectUris: ['https://app.example/cb', 'http://localhost:8080/cb'],
        scopes: ['read', 'write'],
        accessTokenLifetime: 600,
        refreshTokenLifetime: 7200,
        authorizationCodeLifetime: 120,
        requirePkce: false,
        allowPlainPkce: true,
      });
    }
  });

  test('client create --public registers a client without a secret', async (t) => {
    const created = await runCliJson<CreatedJson>([
      ...db, 'client', 'create', '--id', 'spa', '--name', 'SPA', '--public',
      '--grant', 'authorization_code', '--redirect-uri', 'https://spa.example/cb',
    ]);
    t.is(created.clientSecret, null);
    t.false(created.client.confidential);
    const human = await runCli([...db, 'client', 'create', '--id', 'spa2', '--name', 'SPA', '--public', '--grant', 'refresh_token']);
    t.is(human.code, 0, human.stderr);
    t.notRegex(human.stdout, /secret:/i);
  });

  test('RFC 9700 §2.4 — client create refuses --grant password without --allow-password-grant, saying how, and registers nothing', async (t) => {
    const run = await runCli([...db, 'client', 'create', '--id', 'legacy', '--name', 'Legacy', '--grant', 'password']);
    t.is(run.code, 1);
    t.regex(run.stderr, /^oauth2-kit: error: --grant password: the password grant is off \(RFC 9700 §2\.4/);
    t.regex(run.stderr, /pass --allow-password-grant/);
    t.is((await runCli([...db, 'client', 'show', 'legacy'])).code, 1);
  });

  test('RFC 9700 §2.4 — client create --allow-password-grant registers the password grant', async (t) => {
    const created = await runCliJson<CreatedJson>([
      ...db, 'client', 'create', '--id', 'legacy-allowed', '--name', 'Legacy', '--grant', 'password', '--allow-password-grant',
    ]);
    t.deepEqual(created.client.grants, ['password']);
  });

  test('client list and show never print the secret or its digest', async (t) => {
    const created = await createClient('listed');
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(created.clientSecret!).digest('hex');
    const outputs = [
      await runCli([...db, 'client', 'list']),
      await runCli([...db, 'client', 'list', '--json']),
      await runCli([...db, 'client', 'show', 'listed']),
      await runCli([...db, 'client', 'show', 'listed', '--json']),
    ];
    for (const run of outputs) {
      t.is(run.code, 0, run.stderr);
      t.true(run.stdout.includes('listed'));
      t.false(run.stdout.includes(created.clientSecret!));
      t.false(run.stdout.includes(digest));
      t.notRegex(run.stdout, /secretHash|secret_hash/);
    }
    const listed = JSON.parse(outputs[1]!.stdout) as Array<{ id: string }>;
    t.true(listed.some((client) => client.id === 'listed'));
  });

  test('client rotate-secret prints a new secret and the old one stops working at once', async (t) => {
    const created = await createClient('rotated');
    t.is((await clientCredentials('rotated', created.clientSecret!)).status, 200);
    const rotated = await runCliJson<{ id: string; clientSecret: string }>([...db, 'client', 'rotate-secret', 'rotated']);
    t.not(rotated.clientSecret, created.clientSecret);
    t.is((await clientCredentials('rotated', created.clientSecret!)).status, 401);
    t.is((await clientCredentials('rotated', rotated.clientSecret)).status, 200);
  });

  test('client delete removes the client, and its credentials stop working', async (t) => {
    const created = await createClient('deleted');
    const run = await runCli([...db, 'client', 'delete', 'deleted']);
    t.is(run.code, 0, run.stderr);
    t.is((await clientCredentials('deleted', created.clientSecret!)).status, 401);
    const show = await runCli([...db, 'client', 'show', 'deleted']);
    t.is(show.code, 1);
    t.is(show.stderr, 'oauth2-kit: error: no client with id "deleted"\n');
    const again = await runCli([...db, 'client', 'delete', 'deleted']);
    t.is(again.code, 1);
  });
}
