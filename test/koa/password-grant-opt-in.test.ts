/** A server built without `allowPasswordGrant` (the default, RFC 9700 §2.4), end to end over HTTP. */
import test from 'ava';
import { basic } from './support/http-server.js';
import { postTo, startE2eServer, type E2eFixture } from './support/oauth-server.js';

let server: E2eFixture;

test.before(async () => {
  server = await startE2eServer({ allowPasswordGrant: false });
});

test.after.always(() => server.close());

test('RFC 6749 §5.2 — without allowPasswordGrant, the token endpoint answers grant_type=password 400 unsupported_grant_type', async (t) => {
  const { status, json, headers } = await postTo(
    server.endpoint('token'),
    { grant_type: 'password', username: server.user.username, password: server.user.password, scope: 'read' },
    { authorization: basic(server.confidential.id, server.confidential.secret) },
  );
  t.is(status, 400);
  t.is(json.error, 'unsupported_grant_type');
  t.is(headers.get('cache-control'), 'no-store');
});

test('RFC 8414 §2 — without allowPasswordGrant, grant_types_supported does not list the password grant', async (t) => {
  const response = await fetch(`${server.origin}/.well-known/oauth-authorization-server`);
  const body = (await response.json()) as { grant_types_supported: string[] };
  t.deepEqual(body.grant_types_supported, ['client_credentials', 'refresh_token']);
});

test('RFC 6749 §4.4 — without allowPasswordGrant, the other grants are served as before', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials', scope: 'read' }, {
    authorization: basic(server.confidential.id, server.confidential.secret),
  });
  t.is(status, 200);
  t.is(json.scope, 'read');
});
