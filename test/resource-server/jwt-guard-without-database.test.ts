/**
 * A resource server on another machine needs no database: a child process that imports only `koa`
 * and `oauth2-kit/koa` protects its routes with the JWT guard, against oauth2-kit's authorization
 * server running in this test's process. It admits the server's JWTs, refuses them once expired,
 * and never loads a database driver or a provider.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { ResourceServerMessage } from './support/jwt-resource-server.js';
import { BILLING, NOTES, startIssuingServer, type IssuingServer } from './support/issuing-server.js';

/** Where database drivers and providers live: none may be loaded by the resource server. */
const DATABASE_MODULE = /[/\\]node_modules[/\\](pg|pg-pool|mariadb|mysql2|@prisma[/\\][^/\\]+|@electric-sql[/\\]pglite|pglite-prisma-adapter)[/\\]/;
const PROVIDER_MODULE = /[/\\]src[/\\]providers[/\\]/;

let as: IssuingServer;
let child: ChildProcess;
let origin: string;

/** The child's next message of `type`. */
function next<T extends ResourceServerMessage['type']>(type: T): Promise<Extract<ResourceServerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ResourceServerMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<ResourceServerMessage, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`the resource server exited with ${code} before answering ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

test.before(async () => {
  as = await startIssuingServer();
  const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
  child = fork(here('./support/jwt-resource-server.ts'), [], {
    // The repository root, whose tsconfig.json maps oauth2-kit/koa to its source.
    cwd: here('../../'),
    execArgv: ['--import', 'tsx', '--import', here('./support/record-modules.mjs')],
    env: { ...process.env, ISSUER: as.issuer, RESOURCE: NOTES },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  origin = `http://127.0.0.1:${(await next('listening')).port}`;
});

test.after.always(async () => {
  if (child?.connected) child.disconnect();
  await as?.close();
});

const get = (token: string) => fetch(`${origin}/`, { headers: { authorization: `Bearer ${token}` } });

test.serial('RFC 9068 §4 — a process with no database admits a JWT the authorization server issued for its resource', async (t) => {
  const response = await get(await as.clientToken(NOTES));
  t.is(response.status, 200);
  const oauth = (await response.json()) as { client: { id: string }; audience: string[] };
  t.is(oauth.client.id, as.app.id);
  t.deepEqual(oauth.audience, [NOTES]);
});

test.serial('RFC 8707 §2 — the process refuses a JWT the same server issued for another resource', async (t) => {
  t.is((await get(await as.clientToken(BILLING))).status, 401);
});

test.serial('the process has loaded Koa, oauth2-kit/koa and jose, and no database driver and no provider', async (t) => {
  child.send({ type: 'modules' });
  const { modules } = await next('modules');
  // The record is real: what the process does use is in it.
  t.true(modules.some((module) => /[/\\]node_modules[/\\]koa[/\\]/.test(module)));
  t.true(modules.some((module) => /[/\\]node_modules[/\\]jose[/\\]/.test(module)));
  t.true(modules.some((module) => /[/\\]src[/\\]koa[/\\]jwt-guard\.ts$/.test(module)));
  t.deepEqual(modules.filter((module) => DATABASE_MODULE.test(module) || PROVIDER_MODULE.test(module)), []);
});

test.serial('RFC 9068 §4 — the process refuses the same JWT once its exp has passed on its own clock', async (t) => {
  const token = await as.clientToken(NOTES);
  t.is((await get(token)).status, 200);
  // The server's JWTs live 300 s; the guard allows 5 s of clock skew.
  child.send({ type: 'advance', seconds: 305 });
  await next('advanced');
  const response = await get(token);
  t.is(response.status, 401);
  t.is(response.headers.get('www-authenticate'), 'Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is invalid"');
});
