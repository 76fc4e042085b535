/**
 * Serves a Koa application built once its own origin is known, for applications that must name
 * their own URL in what they configure: a protected resource's identifier (RFC 9728 §1.2), an
 * authorization server's issuer. The port is only known after listening, so the server listens
 * first and hands every request to the application built then.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import { serve, type ServedApp } from './http-server.js';

export async function serveAtOwnOrigin(build: (origin: string) => Koa | Promise<Koa>): Promise<ServedApp> {
  let handle: ((request: IncomingMessage, response: ServerResponse) => Promise<unknown>) | undefined;
  const front = new Koa();
  front.use(async (ctx) => {
    // The application built below writes the response itself.
    ctx.respond = false;
    await handle?.(ctx.req, ctx.res);
  });
  const served = await serve(front);
  const app = await build(served.origin);
  app.on('error', (error: unknown) => served.emittedErrors.push(error));
  handle = app.callback() as (request: IncomingMessage, response: ServerResponse) => Promise<unknown>;
  return served;
}
