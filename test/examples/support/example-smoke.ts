/**
 * The smoke test both examples pass: first run with its banner, the banner's commands pasted as
 * they are, the authorization-code walk-through, scopes, logging hygiene, graceful shutdown, and a
 * second start that shows no secret.
 */
import { readFile, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import type { TestFn } from 'ava';
import { showAuthorizationForm, submitAuthorizationForm } from './authorization-form.js';
import { bannerCommands, runShell, startExample, temporaryDataFolder, type ExampleProcess } from './example-process.js';

interface Started {
  server: ExampleProcess;
  baseUrl: string;
  banner: string;
}

async function start(script: string, databaseUrl: string): Promise<Started> {
  const server = startExample(script, { DATABASE_URL: databaseUrl });
  const started = await server.waitForLog((line) => line.event === 'server_started');
  const banner = started.first_run === true ? await server.waitForStderr((text) => text.split('─'.repeat(78)).length >= 4) : '';
  return { server, baseUrl: String(started.url), banner };
}

function field(banner: string, name: string): string {
  const value = new RegExp(`^ {3}${name} +(\\S+)$`, 'm').exec(banner)?.[1];
  if (value === undefined) throw new Error(`no ${name} in the banner:\n${banner}`);
  return value;
}

async function tokenFor(baseUrl: string, banner: string, form: Record<string, string>): Promise<string> {
  const basic = Buffer.from(`${field(banner, 'client_id')}:${field(banner, 'client_secret')}`).toString('base64');
  const response = await fetch(`${baseUrl}/auth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Registers the full first-run smoke test of `script` on a temporary embedded database. */
export function exampleSmokeTests(test: TestFn, script: string): void {
  let data: Awaited<ReturnType<typeof temporaryDataFolder>>;
  let first: Started;
  /** Every credential the tests saw; none may ever appear in a log line. */
  const secrets = new Set<string>();

  test.before(async () => {
    data = await temporaryDataFolder();
    first = await start(script, data.url);
    for (const name of ['client_secret', 'password']) secrets.add(field(first.banner, name));
  });
  test.after.always(async () => {
    if (first?.server.child.exitCode === null) first.server.child.kill('SIGKILL');
    await data?.remove();
  });

  test.serial('the first run prints the demo client, its secret and user once, saying they cannot be shown again', (t) => {
    t.is(field(first.banner, 'client_id'), 'demo-client');
    t.regex(field(first.banner, 'client_secret'), /^[A-Za-z0-9_-]{43}$/);
    t.regex(first.banner, /^ {3}scopes +read admin openid profile$/m);
    t.regex(first.banner, /Shown this ONCE/);
    t.is(first.server.stderr().split(field(first.banner, 'client_secret')).length - 1, bannerCommands(first.banner).filter((c) => c.includes(' -u ')).length + 1);
  });

  test.serial('the first-run banner is printed once, on stderr, apart from the JSON log on stdout', (t) => {
    const title = ' oauth2-kit demo — first run: created a demo client and a demo user';
    t.is(first.server.stderr().split(title).length - 1, 1, 'one banner on stderr');
    t.true(first.server.stderr().startsWith('─'.repeat(78)), 'nothing else on stderr');
    const stdout = first.server.stdout();
    t.false(stdout.includes(title));
    t.false(stdout.includes(field(first.banner, 'client_secret')));
    for (const line of stdout.split('\n').filter(Boolean)) t.notThrows(() => JSON.parse(line), line);
  });

  // Permission bits are POSIX: elsewhere this test is a declared skip, said once.
  if (process.platform === 'win32') console.warn(`[examples] ${script}: the data folder's mode is not checked: no POSIX file modes on win32`);
  (process.platform === 'win32' ? test.skip : test.serial)(
    'the first start creates the embedded database folder readable by its owner only (0700): it holds password hashes',
    async (t) => {
      t.is(((await stat(data.folder)).mode & 0o777).toString(8), '700');
    },
  );

  test.serial("the banner's curl commands work pasted as they are: a token, then /api/me and /api/admin answer, and the MCP server's metadata", async (t) => {
    const commands = bannerCommands(first.banner).filter((command) => !command.startsWith('CODE=') && !command.includes('authorization_code'));
    t.is(commands.length, 6);
    const outputs = await runShell(commands);
    const token = JSON.parse(outputs[0]!) as { access_token: string; token_type: string; scope: string };
    t.is(token.token_type, 'Bearer');
    t.is(token.scope, 'read');
    secrets.add(token.access_token);
    const me = JSON.parse(outputs[2]!) as { client: { id: string }; user: unknown; scope: string[] };
    t.is(me.client.id, 'demo-client');
    t.is(me.user, null);
    t.deepEqual(me.scope, ['read']);
    const admin = JSON.parse(outputs[4]!) as { message: string; user: string };
    t.is(admin.message, 'admin scope granted');
    t.is(admin.user, 'demo-user');
    const mcp = JSON.parse(outputs[5]!) as { resource: string; authorization_servers: string[]; scopes_supported: string[] };
    t.deepEqual(mcp, { ...mcp, resource: `${first.baseUrl}/mcp`, authorization_servers: [first.baseUrl], scopes_supported: ['mcp:tools'] });
  });

  test.serial('/api/me answers 200 and /api/admin 403 insufficient_scope to a token without the admin scope', async (t) => {
    const token = await tokenFor(first.baseUrl, first.banner, { grant_type: 'client_credentials', scope: 'read' });
    secrets.add(token);
    const me = await fetch(`${first.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    t.is(me.status, 200);
    const admin = await fetch(`${first.baseUrl}/api/admin`, { headers: { authorization: `Bearer ${token}` } });
    t.is(admin.status, 403);
    t.regex(admin.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    const anonymous = await fetch(`${first.baseUrl}/api/me`);
    t.is(anonymous.status, 401);
  });

  test.serial('RFC 6749 §3.3 — the demo client\'s requests without scope get its default scope read, never admin', async (t) => {
    t.is(field(first.banner, 'default scope'), 'read');
    const token = await tokenFor(first.baseUrl, first.banner, { grant_type: 'client_credentials' });
    secrets.add(token);
    const me = await fetch(`${first.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    t.deepEqual(((await me.json()) as { scope: string[] }).scope, ['read']);
    const admin = await fetch(`${first.baseUrl}/api/admin`, { headers: { authorization: `Bearer ${token}` } });
    t.is(admin.status, 403);
  });

  test.serial('RFC 6750 §2.3 — a bearer token in the query string is refused unless ALLOW_QUERY_ACCESS_TOKEN=1, and the request log leaves the query out', async (t) => {
    const token = await tokenFor(first.baseUrl, first.banner, { grant_type: 'client_credentials', scope: 'read' });
    secrets.add(token);
    const response = await fetch(`${first.baseUrl}/api/me?access_token=${token}`);
    t.is(response.status, 400);
    t.is(((await response.json()) as { error: string }).error, 'invalid_request');
    const logged = await first.server.waitForLog((line) => line.event === 'request' && line.path === '/api/me' && line.status === 400);
    t.is(typeof logged.duration_ms, 'number');
  });

  test.serial('RFC 8414 §2 — the issuer is the configured one (default http://localhost:<port>), whatever Host a request names', async (t) => {
    const metadata = (await (await fetch(`${first.baseUrl}/.well-known/oauth-authorization-server`, { headers: { host: 'evil.example' } })).json()) as { issuer: string };
    t.is(metadata.issuer, first.baseUrl);
  });

  test.serial("the banner's authorization-code walk-through works: sign in, approve, exchange the code", async (t) => {
    const authorizeUrl = first.banner.split('\n').find((line) => line.includes('/auth/authorize?'))!.trim();
    const form = await showAuthorizationForm(authorizeUrl);
    const approved = await submitAuthorizationForm(first.baseUrl, form, {
      username: 'demo',
      password: field(first.banner, 'password'),
      decision: 'approve',
    });
    // 303, so that the browser follows with a GET and never re-posts the password (RFC 9700 §4.12).
    t.is(approved.status, 303);
    const callback = await fetch(approved.headers.get('location')!);
    const { code, state, iss } = (await callback.json()) as { code: string; state: string; iss: string };
    t.is(state, 'demo');
    t.is(iss, first.baseUrl, 'the issuer the metadata announces (RFC 9207 §2)');
    const exchange = bannerCommands(first.banner).find((command) => command.includes('grant_type=authorization_code'))!;
    const [output] = await runShell([`CODE=${code}`, exchange]).then((outputs) => outputs.slice(1));
    const token = JSON.parse(output!) as { access_token: string; refresh_token: string; scope: string };
    t.is(token.scope, 'read');
    t.truthy(token.refresh_token);
    secrets.add(token.access_token).add(token.refresh_token).add(code);
  });

  /** The key ids of the JWT signing keys the first run published. */
  let firstRunKeyIds: string[] = [];

  (process.platform === 'win32' ? test.skip : test.serial)(
    'the first start on the embedded database keeps the key its JWT signing keys are sealed under beside the folder, readable by its owner only',
    async (t) => {
      t.like(first.server.logs().find((line) => line.event === 'server_started'), { signing_key_encryption_key: 'data_folder' });
      t.is(((await stat(`${data.folder}.signing-key`)).mode & 0o777).toString(8), '600');
      secrets.add((await readFile(`${data.folder}.signing-key`, 'utf8')).trim());
      const jwks = (await (await fetch(`${first.baseUrl}/auth/jwks`)).json()) as { keys: Array<{ kid: string }> };
      firstRunKeyIds = jwks.keys.map((key) => key.kid);
      t.true(firstRunKeyIds.length > 0);
    },
  );

  test.serial('SIGTERM stops accepting, lets the request in flight finish, closes the database and exits 0', async (t) => {
    const { port } = new URL(first.baseUrl);
    // A request whose body is still arriving when the signal comes. `Expect: 100-continue` makes the
    // server say when it has the headers, i.e. when the request is in flight (RFC 9110 §10.1.1).
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    const socketErrors: Error[] = [];
    socket.on('error', (error) => socketErrors.push(error));
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    let received: () => void = () => {};
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      response += chunk;
      received();
    });
    const continued = new Promise<void>((resolve) => {
      received = () => response.includes('100 Continue') && resolve();
    });
    const body = 'grant_type=client_credentials&scope=read';
    const basic = Buffer.from(`${field(first.banner, 'client_id')}:${field(first.banner, 'client_secret')}`).toString('base64');
    socket.write(
      `POST /auth/token HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ${basic}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
    );
    await continued;

    first.server.child.kill('SIGTERM');
    const started = await first.server.waitForLog((line) => line.event === 'shutdown_started');
    t.is(started.in_flight, 1);
    const refused = await fetch(`${first.baseUrl}/healthz`).then(() => 'answered', () => 'refused');
    t.is(refused, 'refused');

    socket.write(body);
    const ended = new Promise((resolve) => socket.once('close', resolve));
    const { code } = await first.server.exited;
    await ended;
    t.deepEqual(socketErrors, []);
    // The request finished normally, on a database that was still open.
    t.regex(response, /HTTP\/1\.1 200 OK/, 'the in-flight request got its answer');
    const issued = /"access_token":"([^"]+)"/.exec(response)?.[1];
    t.truthy(issued);
    secrets.add(issued!);
    t.is(code, 0);
    t.like(first.server.logs().at(-1), { event: 'shutdown_complete', exit_code: 0, abandoned_requests: 0 });
  });

  test.serial('every log line is JSON and none carries a secret, password, token or code', (t) => {
    const stdout = first.server.stdout();
    const lines = stdout.split('\n').filter(Boolean);
    t.true(lines.length > 5);
    for (const line of lines) t.notThrows(() => JSON.parse(line), line);
    t.true(secrets.size >= 6);
    for (const secret of secrets) t.false(stdout.includes(secret), 'a credential appears in the log');
    for (const line of first.server.logs().filter((entry) => entry.event === 'request')) t.false(String(line.path).includes('?'));
  });

  test.serial('a second start on the same database prints no banner, shows no secret, and still reads the signing keys of the first', async (t) => {
    const second = await start(script, data.url);
    t.teardown(() => {
      if (second.server.child.exitCode === null) second.server.child.kill('SIGKILL');
    });
    t.like(second.server.logs().find((line) => line.event === 'server_started'), { first_run: false });
    t.is(second.banner, '');
    for (const secret of secrets) t.false(second.server.stderr().includes(secret));
    const token = await tokenFor(second.baseUrl, first.banner, { grant_type: 'client_credentials', scope: 'read' });
    t.is((await fetch(`${second.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const jwks = (await (await fetch(`${second.baseUrl}/auth/jwks`)).json()) as { keys: Array<{ kid: string }> };
    t.deepEqual(jwks.keys.map((key) => key.kid), firstRunKeyIds);
    second.server.child.kill('SIGINT');
    t.is((await second.server.exited).code, 0);
  });
}
