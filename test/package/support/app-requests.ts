/** What the package tests do against an installed application: its CLI, then its HTTP endpoints. */
import type { ExecutionContext } from 'ava';
import { runCommandOrThrow, type CommandRun } from './user-shell.js';

/** `npx oauth2-kit …` in the application, each call's time logged. */
export function appCli(t: ExecutionContext, dir: string, env: Record<string, string>): (...args: string[]) => Promise<CommandRun> {
  return async (...args) => {
    const started = performance.now();
    const run = await runCommandOrThrow('npx', ['oauth2-kit', ...args], { cwd: dir, env });
    t.log(`npx oauth2-kit ${args.filter((arg) => !arg.startsWith('-')).slice(0, 2).join(' ')}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return run;
  };
}

/** The scope `read` and a confidential `client_credentials` client `billing` with it, through the CLI; its secret. */
export async function createBillingClient(cli: (...args: string[]) => Promise<CommandRun>): Promise<string> {
  await cli('scope', 'define', 'read');
  const created = await cli('client', 'create', '--id', 'billing', '--name', 'Billing service', '--grant', 'client_credentials', '--scope', 'read', '--json');
  return (JSON.parse(created.stdout) as { clientSecret: string }).clientSecret;
}

/** A `client_credentials` token request for `billing` with HTTP Basic. */
export async function billingToken(base: string, secret: string): Promise<{ status: number; body: { access_token?: string } }> {
  const response = await fetch(`${base}/auth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`billing:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }),
  });
  return { status: response.status, body: (await response.json()) as { access_token?: string } };
}

/** `GET /api/me` with a bearer token: the guarded route of the README's snippets. */
export async function guardedMe(base: string, token: string | undefined): Promise<{ status: number; body: { client?: { id: string }; scope?: string[] } }> {
  const response = await fetch(`${base}/api/me`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: response.status === 200 ? ((await response.json()) as { client: { id: string }; scope: string[] }) : {} };
}

/**
 * The README's promise at `base`: `billing` gets a token for `read`, and the guarded route admits
 * it as billing's with that scope. Returns the token.
 */
export async function assertBillingServed(t: ExecutionContext, base: string, secret: string): Promise<string | undefined> {
  const token = await billingToken(base, secret);
  t.is(token.status, 200, JSON.stringify(token.body));
  const me = await guardedMe(base, token.body.access_token);
  t.is(me.status, 200);
  t.is(me.body.client?.id, 'billing');
  t.deepEqual(me.body.scope, ['read']);
  return token.body.access_token;
}
