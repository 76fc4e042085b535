/**
 * The example server (`npm start`) as a relying party meets it: started as the example tests start
 * it, on a free port and a temporary embedded database, with the demo client and user the
 * first-run banner prints (the only place their secrets appear).
 */
import { startExample, temporaryDataFolder, type ExampleProcess } from '../../examples/support/example-process.js';

export interface RunningOpenIdExample {
  process: ExampleProcess;
  /** `http://localhost:<port>`: the issuer. */
  baseUrl: string;
  client: { id: string; secret: string; redirectUri: string };
  user: { username: string; password: string };
  stop(): Promise<void>;
}

export async function startOpenIdExample(): Promise<RunningOpenIdExample> {
  const data = await temporaryDataFolder();
  const server = startExample('examples/prisma-server.ts', { DATABASE_URL: data.url });
  const stop = async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await data.remove();
  };
  try {
    const started = await server.waitForLog((line) => line.event === 'server_started');
    const banner = await server.waitForStderr((text) => text.split('─'.repeat(78)).length >= 4);
    const field = (name: string) => {
      const value = new RegExp(`^ {3}${name} +(\\S+)$`, 'm').exec(banner)?.[1];
      if (value === undefined) throw new Error(`no ${name} in the banner:\n${banner}`);
      return value;
    };
    return {
      process: server,
      baseUrl: String(started.url),
      client: { id: field('client_id'), secret: field('client_secret'), redirectUri: field('redirect URI') },
      user: { username: field('user'), password: field('password') },
      stop,
    };
  } catch (error) {
    server.child.kill('SIGKILL');
    await stop();
    throw error;
  }
}
