/**
 * How the OAuth endpoints read request bodies: form or JSON in, everything else refused with an
 * RFC 6749 §5.2-shaped JSON error, never a 500.
 */
import { gzipSync } from 'node:zlib';
import test from 'ava';
import Koa from 'koa';
import { createOAuthRouter } from '../../src/koa/index.js';
import { echoAuthController } from './support/echo-interactors.js';
import { serve, type ServedApp } from './support/http-server.js';

let served: ServedApp;
let tokenUrl: string;

test.before(async () => {
  const app = new Koa();
  const router = createOAuthRouter({ authController: echoAuthController(), bodyLimit: '1kb' });
  app.use(router.routes()).use(router.allowedMethods());
  served = await serve(app);
  tokenUrl = `${served.origin}/auth/token`;
});

test.after.always(() => served.close());

async function post(body: RequestInit['body'], headers: Record<string, string> = {}) {
  const response = await fetch(tokenUrl, { method: 'POST', headers, body: body ?? null });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}

test('a form body reaches the interactor as its parameters', async (t) => {
  const { status, json } = await post(new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' }));
  t.is(status, 200);
  t.deepEqual(json.body, { grant_type: 'client_credentials', scope: 'a b' });
});

test('a repeated form parameter reaches the interactor as an array of its values, in order', async (t) => {
  const { json } = await post(new URLSearchParams([['scope', 'b'], ['grant_type', 'password'], ['scope', 'a']]));
  t.deepEqual(json.body, { scope: ['b', 'a'], grant_type: 'password' });
});

test('a parameter repeated many times stays one array', async (t) => {
  const pairs = Array.from({ length: 30 }, (_, i): [string, string] => ['scope', `s${i}`]);
  const { json } = await post(new URLSearchParams(pairs));
  t.deepEqual(json.body.scope, pairs.map(([, value]) => value));
});

test('form parameter names are taken literally, without bracket or dot nesting', async (t) => {
  const { json } = await post('client.id=a&scope[]=b&x[y]=c', { 'content-type': 'application/x-www-form-urlencoded' });
  t.deepEqual(json.body, { 'client.id': 'a', 'scope[]': 'b', 'x[y]': 'c' });
});

test('form values are percent- and plus-decoded', async (t) => {
  const { json } = await post('password=p%40ss+word%26%3D', { 'content-type': 'application/x-www-form-urlencoded' });
  t.is(json.body.password, 'p@ss word&=');
});

test('a form parameter named __proto__ is refused with 400 invalid_request', async (t) => {
  const { status, json } = await post('__proto__=x&grant_type=password', {
    'content-type': 'application/x-www-form-urlencoded',
  });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test('a JSON object body reaches the interactor as that object', async (t) => {
  const { json } = await post(JSON.stringify({ grant_type: 'password', scope: ['a', 'a'] }), {
    'content-type': 'application/json',
  });
  t.deepEqual(json.body, { grant_type: 'password', scope: ['a', 'a'] });
});

test('malformed JSON is answered 400 invalid_request', async (t) => {
  const { status, json } = await post('{"grant_type":', { 'content-type': 'application/json' });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
  t.is(typeof json.error_description, 'string');
});

test('a JSON body that is not an object is answered 400 invalid_request', async (t) => {
  const { status, json } = await post('["grant_type"]', { 'content-type': 'application/json' });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test('a JSON body with a __proto__ key is answered 400 invalid_request', async (t) => {
  const { status, json } = await post('{"__proto__":{"admin":true}}', { 'content-type': 'application/json' });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test('a body of another media type is answered 400 invalid_request', async (t) => {
  const { status, json } = await post('grant_type=password', { 'content-type': 'text/plain' });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test('a body without a content type is answered 400 invalid_request', async (t) => {
  const { status, json } = await post(new Blob(['grant_type=password']));
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test('a body declared in a charset other than UTF-8 is answered 400 invalid_request', async (t) => {
  const { status, json } = await post('grant_type=password', {
    'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1',
  });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test('a request without a body reaches the interactor with an empty body', async (t) => {
  const { status, json } = await post(undefined);
  t.is(status, 200);
  t.deepEqual(json.body, {});
});

test('RFC 9110 §15.5.14 — a form body over the limit is answered 413 with a JSON error', async (t) => {
  const { status, json, headers } = await post(new URLSearchParams({ assertion: 'x'.repeat(2048) }));
  t.is(status, 413);
  t.is(json.error, 'invalid_request');
  t.is(headers.get('cache-control'), 'no-store');
});

test('RFC 9110 §15.5.14 — a JSON body over the limit is answered 413 with a JSON error', async (t) => {
  const { status, json } = await post(JSON.stringify({ assertion: 'x'.repeat(2048) }), {
    'content-type': 'application/json',
  });
  t.is(status, 413);
  t.is(json.error, 'invalid_request');
});

test('RFC 9110 §15.5.14 — a streamed body without Content-Length over the limit is answered 413', async (t) => {
  const chunks = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < 4; i += 1) controller.enqueue(new TextEncoder().encode(`a${i}=${'x'.repeat(500)}&`));
      controller.close();
    },
  });
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: chunks,
    duplex: 'half',
  } as RequestInit);
  t.is(response.status, 413);
  t.is(((await response.json()) as { error: string }).error, 'invalid_request');
});

test('the limit applies to the decompressed body', async (t) => {
  const compressed = gzipSync(new URLSearchParams({ assertion: 'x'.repeat(4096) }).toString());
  t.true(compressed.length < 1024);
  const { status } = await post(compressed, {
    'content-type': 'application/x-www-form-urlencoded',
    'content-encoding': 'gzip',
  });
  t.is(status, 413);
});

test('an unknown content encoding is answered 400 invalid_request', async (t) => {
  const { status, json } = await post('grant_type=password', {
    'content-type': 'application/x-www-form-urlencoded',
    'content-encoding': 'compress-9000',
  });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test.after('a body the server could not read is never reported as a server error', (t) => {
  t.deepEqual(served.emittedErrors, []);
});

test('the default body limit is 16kb', async (t) => {
  const app = new Koa();
  const router = createOAuthRouter({ authController: echoAuthController() });
  app.use(router.routes());
  const defaults = await serve(app);
  t.teardown(() => defaults.close());
  const sized = (bytes: number) =>
    fetch(`${defaults.origin}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ assertion: 'x'.repeat(bytes - 'assertion='.length) }),
    });
  t.is((await sized(16 * 1024)).status, 200);
  t.is((await sized(16 * 1024 + 1)).status, 413);
});
