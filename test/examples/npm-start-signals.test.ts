/**
 * Process managers and container runtimes stop a service with SIGTERM, sent to the process they
 * started — here `npm start`. npm passes it on only to a script that is the process itself, so the
 * start scripts `exec` the server: SIGTERM to npm reaches it and it shuts down cleanly, instead of
 * being orphaned by a shell that dies in between.
 */
import test from 'ava';
import { startExample, temporaryDataFolder } from './support/example-process.js';

for (const [script, npmScript] of [
  ['examples/prisma-server.ts', 'start'],
  ['examples/sql-server.ts', 'start:sql'],
] as const) {
  test(`SIGTERM to "npm run ${npmScript}" reaches the example server, which drains and exits cleanly`, async (t) => {
    const data = await temporaryDataFolder();
    t.teardown(() => data.remove());
    // --ignore-scripts skips prestart (prisma generate, done by the test run already), not the script itself.
    const server = startExample(script, { DATABASE_URL: data.url }, { command: 'npm', args: ['run', npmScript, '--silent', '--ignore-scripts'] });
    t.teardown(() => {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    });
    await server.waitForLog((line) => line.event === 'server_started');
    server.child.kill('SIGTERM');
    await server.waitForLog((line) => line.event === 'shutdown_complete');
    const { code } = await server.exited;
    t.is(code, 0);
  });
}
