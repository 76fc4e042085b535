/** The `legacyForbiddenErrors` router option: every error answered 403, as the ancestor library did. */
import test from 'ava';
import { basic } from './support/http-server.js';
import { postTo, startE2eServer, type E2eFixture } from './support/oauth-server.js';

let legacy: E2eFixture;

test.before(async () => {
  legacy = await startE2eServer({ legacyForbiddenErrors: true });
});

test.after.always(() => legacy.close());

test('a grant error is answered 403 with its RFC 6749 error code', async (t) => {
  const { status, json } = await postTo(
    legacy.endpoint('token'),
    { grant_type: 'password', username: legacy.user.username, password: 'wrong' },
    { authorization: basic(legacy.confidential.id, legacy.confidential.secret) },
  );
  t.is(status, 403);
  t.is(json.error, 'invalid_grant');
});

test('a client authentication failure is answered 403 invalid_client', async (t) => {
  const { status, json } = await postTo(legacy.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: basic(legacy.confidential.id, 'wrong'),
  });
  t.is(status, 403);
  t.is(json.error, 'invalid_client');
});

test('a guard refusal for a missing token is answered 403', async (t) => {
  t.is((await fetch(`${legacy.origin}/api/me`)).status, 403);
});

test('a guard refusal for insufficient scope is answered 403', async (t) => {
  const { json } = await postTo(legacy.endpoint('token'), { grant_type: 'client_credentials', scope: 'read' }, {
    authorization: basic(legacy.confidential.id, legacy.confidential.secret),
  });
  const response = await fetch(`${legacy.origin}/api/notes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${json.access_token}` },
  });
  t.is(response.status, 403);
});

test('an introspection refusal is answered 403', async (t) => {
  const { status } = await postTo(legacy.endpoint('introspect'), { token: 'x', client_id: legacy.public.id });
  t.is(status, 403);
});

test('a body the binding refuses is answered 403 too', async (t) => {
  const response = await fetch(legacy.endpoint('token'), {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: 'grant_type=client_credentials',
  });
  t.is(response.status, 403);
  t.is(((await response.json()) as { error: string }).error, 'invalid_request');
});

test('RFC 6749 §5.2 — without the option the same client authentication failure is answered 401', async (t) => {
  const standard = await startE2eServer();
  t.teardown(() => standard.close());
  const { status } = await postTo(standard.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: basic(standard.confidential.id, 'wrong'),
  });
  t.is(status, 401);
});
