/**
 * A resource server as it runs on another machine: it imports Koa and oauth2-kit/koa, nothing
 * else, and protects every path with a JWT guard for the issuer and resource its environment names
 * (ISSUER, RESOURCE). Started by a test as a child process, it tells the test its port, moves its
 * clock forward when told (`advance`), and lists the modules it has loaded (`modules`, when started
 * with record-modules.mjs).
 */
import Koa from 'koa';
import { jwtGuard } from 'oauth2-kit/koa';

/** Messages between the test and this process. */
export type ResourceServerMessage =
  | { type: 'listening'; port: number }
  | { type: 'advanced' }
  | { type: 'modules'; modules: string[] }
  | { type: 'error'; message: string };

const send = (message: ResourceServerMessage) => process.send?.(message);
let offsetMs = 0;

const requireToken = jwtGuard({
  issuer: process.env.ISSUER ?? '',
  resource: process.env.RESOURCE ?? '',
  now: () => new Date(Date.now() + offsetMs),
});
const app = new Koa();
app.on('error', (error: Error) => send({ type: 'error', message: error.message }));
app.use(requireToken({ scope: ['notes:read'] }));
app.use((ctx) => {
  ctx.body = ctx.state.oauth;
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ type: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 });
});

process.on('message', (message: { type: string; seconds?: number }) => {
  if (message.type === 'advance') {
    offsetMs += (message.seconds ?? 0) * 1000;
    send({ type: 'advanced' });
  } else if (message.type === 'modules') {
    const list = (globalThis as { loadedModules?: () => string[] }).loadedModules;
    send({ type: 'modules', modules: list === undefined ? [] : list() });
  }
});
process.on('disconnect', () => server.close(() => process.exit(0)));
