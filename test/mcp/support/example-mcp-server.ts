/**
 * The example server (`npm start`) as an MCP client meets it: started as the example tests start it,
 * on a free port and a temporary embedded database, known by nothing but its `/mcp` URL, with the
 * demo user a person would sign in as (the first-run banner prints the password).
 */
import { startExample, temporaryDataFolder, type ExampleProcess } from '../../examples/support/example-process.js';
import { showAuthorizationForm, submitAuthorizationForm } from '../../examples/support/authorization-form.js';
import type { SignIn } from './mcp-oauth-client.js';

export interface RunningExample {
  process: ExampleProcess;
  /** `http://localhost:<port>`: the issuer and the origin of every route. */
  baseUrl: string;
  /** The MCP server's URL, its resource identifier. */
  mcpUrl: string;
  /** The demo user's name and password, from the first-run banner. */
  user: { username: string; password: string };
  stop(): Promise<void>;
}

/** Starts `npm start`'s server with `env` added; resolves once it listens and has printed its banner. */
export async function startExampleServer(env: Record<string, string> = {}): Promise<RunningExample> {
  const data = await temporaryDataFolder();
  const server = startExample('examples/prisma-server.ts', { ...env, DATABASE_URL: data.url });
  try {
    const started = await server.waitForLog((line) => line.event === 'server_started');
    const banner = await server.waitForStderr((text) => text.split('─'.repeat(78)).length >= 4);
    const password = /^ {3}password +(\S+)$/m.exec(banner)?.[1];
    if (password === undefined) throw new Error(`no password in the banner:\n${banner}`);
    return {
      process: server,
      baseUrl: String(started.url),
      mcpUrl: String(started.mcp_url),
      user: { username: 'demo', password },
      async stop() {
        if (server.child.exitCode === null && server.child.signalCode === null) {
          server.child.kill('SIGTERM');
          await server.exited;
        }
        await data.remove();
      },
    };
  } catch (error) {
    server.child.kill('SIGKILL');
    await server.exited;
    await data.remove();
    throw error;
  }
}

/**
 * What the user does in the browser the MCP client opened: loads the sign-in page at the
 * authorization URL, signs in as `user` and approves. Resolves with where the page sends the
 * browser (the client's redirect URI with the code), without going there.
 */
export function signInAs(baseUrl: string, user: { username: string; password: string }, fetchFn: typeof fetch = fetch): SignIn {
  return async (authorizationUrl) => {
    const form = await showAuthorizationForm(authorizationUrl.href, fetchFn);
    const answer = await submitAuthorizationForm(baseUrl, form, { ...user, decision: 'approve' }, fetchFn);
    const location = answer.headers.get('location');
    if (location === null) throw new Error(`the sign-in page did not redirect: ${answer.status} ${await answer.text()}`);
    return new URL(location);
  };
}
