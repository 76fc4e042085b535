/**
 * The ceiling every figure is divided by: Koa 3 and @koa/router serving one route that returns
 * constant JSON, in the same kind of child process, on the same Node, as the servers under test.
 */
import Router from '@koa/router';
import Koa from 'koa';
import { runBenchServer } from './bench-listen.js';

await runBenchServer(async () => {
  const app = new Koa();
  const router = new Router();
  const answer = { client: 'bench-client', user: null, scope: ['read'] };
  router.get('/api/resource', (ctx) => {
    ctx.body = answer;
  });
  app.use(router.routes());
  return { handler: app.callback(), close: async () => {} };
});
