/**
 * What the routes answer when the database is gone: a retryable JSON error, the cause reported to
 * the Koa application for logging and kept out of the response.
 */
import test from 'ava';
import { basic } from './support/http-server.js';
import { postTo, startE2eServer } from './support/oauth-server.js';

test('with the database down the token endpoint answers 503 temporarily_unavailable and reports the cause', async (t) => {
  const server = await startE2eServer();
  t.teardown(() => server.close());
  await server.closeDatabase();
  const { status, json } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: basic(server.confidential.id, server.confidential.secret),
  });
  t.is(status, 503);
  t.is(json.error, 'temporarily_unavailable');
  t.is(server.emittedErrors.length, 1);
  t.true(server.emittedErrors[0] instanceof Error);
});

test('with the database down a guarded route answers 503 and reports the cause', async (t) => {
  const server = await startE2eServer();
  t.teardown(() => server.close());
  await server.closeDatabase();
  const response = await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${'x'.repeat(43)}` } });
  t.is(response.status, 503);
  t.is(server.emittedErrors.length, 1);
});
