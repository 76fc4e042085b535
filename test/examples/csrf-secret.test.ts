/**
 * `CSRF_SECRET`: the sign-in form's key. Processes that share it accept each other's forms (what a
 * load balancer needs); without it each process has its own key; a short one stops start-up.
 */
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { provisioned, provisionPostgres, serverGate } from '../support/databases.js';
import { showAuthorizationForm, submitAuthorizationForm } from './support/authorization-form.js';
import { startExample, type ExampleProcess } from './support/example-process.js';

const SCRIPT = 'examples/sql-server.ts';

// Decided before any test is declared: without PostgreSQL, the shared-secret case is a declared skip.
const postgres = await serverGate('postgres', 'examples/csrf-secret');

test('a CSRF_SECRET shorter than 32 bytes ends start-up with one log line naming it, never quoting it', async (t) => {
  const short = 'thirty-one-bytes-long-not-more!';
  t.is(Buffer.byteLength(short), 31);
  const server = startExample(SCRIPT, { CSRF_SECRET: short, DATABASE_URL: 'pglite:/nonexistent/never-opened' });
  t.is((await server.exited).code, 1);
  const failure = server.logs().at(-1);
  t.is(failure?.event, 'startup_failed');
  t.regex(String(failure?.reason), /^CSRF_SECRET must be at least 32 bytes/);
  t.false(server.stdout().includes(short));
  t.is(server.stderr(), '');
});

test('an empty CSRF_SECRET is refused too, rather than silently replaced by a per-process key', async (t) => {
  const server = startExample(SCRIPT, { CSRF_SECRET: '', DATABASE_URL: 'pglite:/nonexistent/never-opened' });
  t.is((await server.exited).code, 1);
  t.regex(String(server.logs().at(-1)?.reason), /^CSRF_SECRET must be at least 32 bytes/);
});

postgres.register(test.serial, "processes sharing CSRF_SECRET accept each other's forms; without it another process refuses them", async (t) => {
  const database = provisioned(await provisionPostgres({ migrate: false }));
  t.teardown(() => database.close());
  const databaseUrl = database.url;
  const running: ExampleProcess[] = [];
  t.teardown(() => {
    for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });
  async function start(env: Record<string, string>): Promise<{ server: ExampleProcess; baseUrl: string }> {
    const server = startExample(SCRIPT, { DATABASE_URL: databaseUrl, ...env });
    running.push(server);
    const started = await server.waitForLog((line) => line.event === 'server_started');
    return { server, baseUrl: String(started.url) };
  }

  const secret = randomBytes(32).toString('base64url');
  // One at a time: the first seeds the demo data, the others find it.
  const shown = await start({ CSRF_SECRET: secret });
  const banner = await shown.server.waitForStderr((text) => text.includes('code_verifier='));
  const password = /^ {3}password +(\S+)$/m.exec(banner)![1]!;
  const authorizeUrl = banner.split('\n').find((line) => line.includes('/auth/authorize?'))!.trim();
  const sharing = await start({ CSRF_SECRET: secret });
  const own = await start({});
  t.like(shown.server.logs().find((line) => line.event === 'starting'), { csrf_secret: 'environment' });
  t.like(own.server.logs().find((line) => line.event === 'starting'), { csrf_secret: 'per_process' });
  const answer = { username: 'demo', password, decision: 'approve' } as const;

  const accepted = await submitAuthorizationForm(sharing.baseUrl, await showAuthorizationForm(authorizeUrl), answer);
  t.is(accepted.status, 303);
  t.regex(accepted.headers.get('location') ?? '', /\/demo\/callback\?code=[\w-]+&state=demo&/);

  const refused = await submitAuthorizationForm(own.baseUrl, await showAuthorizationForm(authorizeUrl), answer);
  t.is(refused.status, 403);
  t.is(refused.headers.get('location'), null);
  for (const server of running) server.child.kill('SIGTERM');
  for (const server of running) t.is((await server.exited).code, 0);
  for (const server of running) t.false(server.stdout().includes(secret));
});
